import { execFile, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { recordingTestFile, unitTestFile, type ObservabilityModel } from '../../src/observability/index.ts';

const INSTALL_HINT = 'install with: apt-get update && apt-get install -y prometheus prometheus-alertmanager';

/** Fails (never skips) when a tool the acceptance depends on is missing. */
export function requireTool(tool: string): void {
  const found = spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
  if (!found) throw new Error(`${tool} is not installed; ${INSTALL_HINT}`);
}

/** One promtool test file, and what its failure is about. */
interface PromtoolTest {
  readonly file: string;
  readonly failure: (said: string) => string;
}

/** Promtool processes at once: one per core of the machine the tests were sized for. */
const PARALLEL = 2;

const HEADER = 'Unit Testing:  ';

/**
 * `promtool test rules` of every file of `files` (paths relative to `cwd`), in at most PARALLEL
 * processes that each test a share of the files one after the other, as promtool does with the
 * files it is given; `cost` weighs the shares (a file's size unless told). Returns, per file, what
 * promtool said about it when it failed (its first lines), undefined when it passed. promtool
 * reports each file under a header line and writes its failures to stderr, so both streams go to
 * one pipe, in the order promtool wrote them. The runs are awaited child processes, so the test
 * worker keeps answering vitest meanwhile.
 */
export async function promtoolTests(
  files: readonly string[],
  cwd: string,
  cost: (file: string) => number = (f) => statSync(join(cwd, f)).size,
): Promise<(string | undefined)[]> {
  requireTool('promtool');
  // Shares of about equal cost, the costliest files first, so that the processes end together.
  const order = files.map((f, i) => ({ i, cost: cost(f) })).sort((a, b) => b.cost - a.cost);
  const shares: { i: number; cost: number }[][] = Array.from({ length: Math.min(PARALLEL, files.length) }, () => []);
  const load = shares.map(() => 0);
  for (const f of order) {
    const k = load.indexOf(Math.min(...load));
    shares[k]!.push(f);
    load[k]! += f.cost;
  }
  const said: (string | undefined)[] = new Array(files.length);
  await Promise.all(
    shares.map(async (share) => {
      const names = share.map((f) => files[f.i]!);
      const { output, code } = await promtoolRun(names, cwd);
      const blocks = new Map<string, string[]>();
      let block: string[] | undefined;
      for (const line of output.split('\n')) {
        if (line.startsWith(HEADER)) blocks.set(line.slice(HEADER.length), (block = [line]));
        else block?.push(line);
      }
      const passed = (lines: string[] | undefined): boolean => lines !== undefined && lines.includes('  SUCCESS');
      for (const [k, name] of names.entries()) {
        const lines = blocks.get(name);
        said[share[k]!.i] = passed(lines) ? undefined : (lines ?? output.split('\n')).filter((l) => l.trim() !== '').slice(0, 6).join(' | ');
      }
      if ((code === 0) !== names.every((n) => passed(blocks.get(n)))) throw new Error(`promtool exited ${code}, which its report does not explain: ${output}`);
    }),
  );
  return said;
}

function promtoolRun(files: readonly string[], cwd: string): Promise<{ output: string; code: number }> {
  return new Promise((resolve, reject) => {
    execFile('sh', ['-c', 'exec promtool test rules "$@" 2>&1', 'promtool', ...files], { cwd, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 }, (err, stdout) => {
      if (err && typeof err.code !== 'number') reject(err);
      else resolve({ output: stdout, code: err ? (err.code as number) : 0 });
    });
  });
}

/**
 * Runs every alert's promtool unit test under `testsDir` (the model's generated files written
 * there) and returns one line per failing test, naming the component (the alert's `service`),
 * the alert and what promtool said: empty when every alert fires past its threshold and stays
 * silent just before it.
 */
export async function promtoolFailures(model: ObservabilityModel, testsDir: string): Promise<string[]> {
  const tests: PromtoolTest[] = [
    ...model.rules.alerts.map((a) => ({
      file: unitTestFile(a.rule.alert),
      failure: (said: string) => `component ${a.rule.labels['service']}: alert ${a.rule.alert}'s promtool test (${unitTestFile(a.rule.alert)}) fails: ${said}`,
    })),
    ...model.rules.slos.map((s) => ({
      file: recordingTestFile(s.name),
      failure: (said: string) => `component ${s.service}: the ${s.name} SLO's recording rules' promtool test (${recordingTestFile(s.name)}) fails: ${said}`,
    })),
  ];
  const said = await promtoolTests(tests.map((t) => t.file), testsDir);
  return tests.flatMap((t, i) => (said[i] === undefined ? [] : [t.failure(said[i]!)]));
}
