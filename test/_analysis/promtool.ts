import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import yaml from 'js-yaml';
import { recordingTestFile, unitTestFile, type ObservabilityModel } from '../../src/observability/index.ts';
import { shared } from '../_run-cache.ts';
import { slicePlan } from './rule-slices.ts';

const INSTALL_HINT = 'install with: apt-get update && apt-get install -y prometheus prometheus-alertmanager';

/** The tools requireTool found: one installed does not go away during a run. */
const found = new Set<string>();

/** Fails (never skips) when a tool the acceptance depends on is missing. */
export function requireTool(tool: string): void {
  if (found.has(tool)) return;
  if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) throw new Error(`${tool} is not installed; ${INSTALL_HINT}`);
  found.add(tool);
}

/** One promtool test file, and what its failure is about. */
interface PromtoolTest {
  readonly file: string;
  readonly failure: (said: string) => string;
}

/** Promtool processes at once: one per core of the machine the tests were sized for. */
const PARALLEL = 2;

const HEADER = 'Unit Testing:  ';

/** A file's outcome as promtoolTests gives it: what promtool said when the file failed, else nothing. */
interface Outcome {
  readonly said?: string;
}

/**
 * What a promtool test file's outcome depends on: its bytes and those of each rule file it loads
 * (named relative to its folder, as promtool resolves them); undefined when a rule file is not a
 * file (a glob, a missing file), whose bytes cannot be known beforehand. A file run on its own
 * groups is keyed by the copy that runs, so callers whose rule files differ only in groups a test
 * does not load share its outcome.
 */
function testInputs(file: string): string | undefined {
  const digest = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
  const ruleFiles = (yaml.load(readFileSync(file, 'utf8')) as { rule_files?: string[] } | undefined)?.rule_files ?? [];
  const paths = ruleFiles.map((f) => resolve(dirname(file), f));
  if (!paths.every((p) => existsSync(p) && statSync(p).isFile())) return undefined;
  return JSON.stringify({ test: digest(file), rules: Object.fromEntries(ruleFiles.map((f, i) => [f, digest(paths[i]!)])) });
}

/**
 * `promtool test rules` of every file of `files` (paths relative to `cwd`, or absolute), in at most PARALLEL
 * processes that each test a share of the files one after the other, as promtool does with the
 * files it is given; `cost` weighs the shares (a file's size unless told). Returns, per file, what
 * promtool said about it when it failed (its first lines), undefined when it passed.
 *
 * A file with the same bytes and rule files as a file another caller of the run had tested is
 * not tested again: its outcome is that test's (test/_run-cache.ts).
 *
 * A file whose rule file's groups evaluate apart runs on the groups it tests (rule-slices.ts),
 * with the same outcome and several times faster; per such rule file, its cheapest test also runs
 * as written, proving the rule file loads whole, and a failure there is that test's.
 */
export async function promtoolTests(
  files: readonly string[],
  cwd: string,
  cost: (file: string) => number = (f) => statSync(join(cwd, f)).size,
): Promise<(string | undefined)[]> {
  requireTool('promtool');
  const plan = slicePlan(files, cwd);
  // What runs: each file (on its own groups, or as written), then the plan's files as written.
  const runs = [...plan.run, ...plan.whole.map((i) => files[i]!)];
  const costOf = new Map(runs.map((r, k) => [r, cost(files[k < files.length ? k : plan.whole[k - files.length]!]!)] as const));
  // The runs this caller makes: those it is the first of the run to ask for (shared calls
  // produce before it returns), and those whose outcome cannot be shared.
  const mine: { readonly run: string; readonly settle: (outcome: Outcome | Error) => void }[] = [];
  const tested = (run: string, write: (outcome: Outcome) => void): Promise<void> =>
    new Promise((ok, fail) =>
      mine.push({
        run,
        settle: (outcome) => {
          if (outcome instanceof Error) return fail(outcome);
          write(outcome);
          ok();
        },
      }),
    );
  const outcomes = runs.map(async (run): Promise<Outcome> => {
    const inputs = testInputs(resolve(cwd, run));
    if (inputs === undefined) {
      let outcome: Outcome = {};
      await tested(run, (o) => (outcome = o));
      return outcome;
    }
    const dir = await shared(`promtool test rules ${inputs}`, (d) => tested(run, (o) => writeFileSync(join(d, 'outcome.json'), JSON.stringify(o))));
    return JSON.parse(readFileSync(join(dir, 'outcome.json'), 'utf8')) as Outcome;
  });
  try {
    const said = await promtoolBatches(
      mine.map((m) => m.run),
      cwd,
      (r) => costOf.get(r)!,
    );
    for (const [k, m] of mine.entries()) m.settle(said[k] === undefined ? {} : { said: said[k] });
  } catch (err) {
    for (const m of mine) m.settle(err instanceof Error ? err : new Error(String(err)));
  }
  const said = (await Promise.all(outcomes)).map((o) => o.said);
  const asWritten = new Map(plan.whole.map((i, k) => [i, said[files.length + k]] as const));
  return files.map((_, i) => said[i] ?? (asWritten.get(i) === undefined ? undefined : `as written, loading its rule file whole: ${asWritten.get(i)}`));
}

/**
 * promtoolTests' runs: `files` in shares of about equal cost, one promtool process each, the
 * costliest files first so that the processes end together. promtool reports each file under a
 * header line and writes its failures to stderr, so both streams go to one pipe, in the order
 * promtool wrote them. The runs are awaited child processes, so the test worker keeps answering
 * vitest meanwhile.
 */
async function promtoolBatches(files: readonly string[], cwd: string, cost: (file: string) => number): Promise<(string | undefined)[]> {
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
        said[share[k]!.i] = passed(lines) ? undefined : (lines?.slice(1) ?? output.split('\n')).filter((l) => l.trim() !== '').slice(0, 6).join(' | ');
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
