import { execFile, spawnSync } from 'node:child_process';
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

/** `promtool test rules file` in `cwd`: what it said when it failed, undefined when it passed. */
function promtoolTest(file: string, cwd: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('promtool', ['test', 'rules', file], { cwd, encoding: 'utf8', maxBuffer: 16 * 2 ** 20 }, (err, stdout, stderr) => {
      const passed = err === null && /SUCCESS/.test(stdout);
      resolve(passed ? undefined : `${stdout}${stderr}`.split('\n').filter((l) => l.trim() !== '').slice(0, 6).join(' | '));
    });
  });
}

/** Promtool runs at once: one per core of the machine the tests were sized for. */
const PARALLEL = 2;

/**
 * Runs every alert's promtool unit test under `testsDir` (the model's generated files written
 * there) and returns one line per failing test, naming the component (the alert's `service`),
 * the alert and what promtool said: empty when every alert fires past its threshold and stays
 * silent just before it. The runs are child processes awaited two at a time, so the test worker
 * keeps answering vitest while a long burn-rate test runs.
 */
export async function promtoolFailures(model: ObservabilityModel, testsDir: string): Promise<string[]> {
  requireTool('promtool');
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
  const said: (string | undefined)[] = new Array(tests.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < tests.length; i = next++) said[i] = await promtoolTest(tests[i]!.file, testsDir);
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return tests.flatMap((t, i) => (said[i] === undefined ? [] : [t.failure(said[i]!)]));
}
