import { OutputRoot } from '../../src/render/output-root.ts';
import { SCENARIOS, steppedFs, type ScenarioName } from './_output-fixtures.ts';

/*
 * `node <bundle of _kill-at-step.ts> ROOT SCENARIO N` (test/_helpers.ts bundled), or
 * `node --import tsx _kill-at-step.ts ROOT SCENARIO N`: opens ROOT and writes the scenario's
 * next output, killing itself with SIGKILL just before the N-th change to the file system
 * (no handler, no finally runs: as a crash or `kill -9`). Exits 0 when the write has fewer steps.
 */
const [root, scenario, at] = process.argv.slice(2) as [string, ScenarioName, string];
const { fs } = steppedFs((n) => {
  if (n === Number(at)) process.kill(process.pid, 'SIGKILL');
});
const out = OutputRoot.open(root, { fs });
out.write(SCENARIOS[scenario].after);
out.close();
