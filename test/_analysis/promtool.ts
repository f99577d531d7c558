import { spawnSync } from 'node:child_process';
import { recordingTestFile, unitTestFile, type ObservabilityModel } from '../../src/observability/index.ts';

const INSTALL_HINT = 'install with: apt-get update && apt-get install -y prometheus prometheus-alertmanager';

/** Fails (never skips) when a tool the acceptance depends on is missing. */
export function requireTool(tool: string): void {
  const found = spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
  if (!found) throw new Error(`${tool} is not installed; ${INSTALL_HINT}`);
}

/**
 * Runs every alert's promtool unit test under `testsDir` (the model's generated files written
 * there) and returns one line per failing test, naming the component (the alert's `service`),
 * the alert and what promtool said: empty when every alert fires past its threshold and stays
 * silent just before it.
 */
export function promtoolFailures(model: ObservabilityModel, testsDir: string): string[] {
  requireTool('promtool');
  const failures: string[] = [];
  for (const a of model.rules.alerts) {
    const file = unitTestFile(a.rule.alert);
    const run = spawnSync('promtool', ['test', 'rules', file], { cwd: testsDir, encoding: 'utf8' });
    if (run.status !== 0 || !/SUCCESS/.test(run.stdout)) {
      const said = `${run.stdout}${run.stderr}`.split('\n').filter((l) => l.trim() !== '').slice(0, 6).join(' | ');
      failures.push(`component ${a.rule.labels['service']}: alert ${a.rule.alert}'s promtool test (${file}) fails: ${said}`);
    }
  }
  for (const s of model.rules.slos) {
    const file = recordingTestFile(s.name);
    const run = spawnSync('promtool', ['test', 'rules', file], { cwd: testsDir, encoding: 'utf8' });
    if (run.status !== 0 || !/SUCCESS/.test(run.stdout)) {
      const said = `${run.stdout}${run.stderr}`.split('\n').filter((l) => l.trim() !== '').slice(0, 6).join(' | ');
      failures.push(`component ${s.service}: the ${s.name} SLO's recording rules' promtool test (${file}) fails: ${said}`);
    }
  }
  return failures;
}
