import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pascal } from '../../../src/observability/index.ts';
import { STEMEDB_COMPONENTS } from '../../../src/stacks/stemedb/model/index.ts';
import { stemedbObservability } from '../../../src/stacks/stemedb/monitoring.ts';
import { STEMEDB } from '../../../src/stacks/stemedb/names.ts';
import { promtoolFailures } from '../../_analysis/promtool.ts';
import { parseSeed, type Obj } from './_seed-compare.ts';
import { writtenTree } from '../../_helpers.ts';

/* The six alerts of seed 003 as the ObservabilityModel renders them, run by the real promtool. */

const seedAlerts = (parseSeed(readFileSync(join(import.meta.dirname, 'fixtures', 'seed-003.yaml'), 'utf8')).find((o) => o['kind'] === 'PrometheusRule')!['spec']['groups'] as Obj[])
  .flatMap((g) => g['rules'] as Obj[])
  .map((r) => r['alert'] as string);

describe('StemeDB | observability', () => {
  const model = stemedbObservability();

  it('GIVEN the model THEN it checks clean (every expression parses and reads catalogued metrics, every runbook is linked)', () => {
    expect(model.check()).toEqual([]);
  });

  it('GIVEN the seed\'s alert rules THEN the database declares exactly those, and the model has every component\'s and a missing-data alert per component they read, each with a runbook', () => {
    const declared = (name: string): string[] => (STEMEDB_COMPONENTS.get(name).alerts ?? []).map((a) => a.name);
    expect(declared(STEMEDB).sort()).toEqual([...seedAlerts].sort());
    const missing = model.rules.missingDataWatches.map((w) => `${pascal(w.owner)}DataMissing`);
    const every = STEMEDB_COMPONENTS.components.flatMap((c) => declared(c.name));
    expect(model.rules.alerts.map((a) => a.rule.alert).sort()).toEqual([...every, ...missing].sort());
    const runbooks = new Set(model.runbooks.map((r) => r.name));
    for (const a of model.rules.alerts) expect(runbooks.has(a.runbook), a.rule.alert).toBe(true);
  });

  it('GIVEN the generated promtool tests WHEN promtool runs them THEN every alert fires just past its threshold and stays silent just before it', async () => {
    const root = writtenTree('stemedb-ops', model.files());
    expect(await promtoolFailures(model, join(root, model.paths.tests))).toEqual([]);
  });
});
