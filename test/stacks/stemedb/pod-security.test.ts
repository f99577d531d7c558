import { describe, expect, it } from 'vitest';
import { listEnvironments } from '../../../src/config/index.ts';
import { loadEnvironment, STEMEDB_MODEL } from '../../../src/stacks/stemedb/model/index.ts';
import { StemedbApp } from '../../../src/stacks/stemedb/stemedb-app.ts';
import { checkRestricted, formatViolation, podSpecsOf, type KubeObject } from '../../_analysis/index.ts';

describe.each(listEnvironments(STEMEDB_MODEL.environmentsDir))('StemeDB | %s | Pod Security Standard restricted', (env) => {
  it('GIVEN every synthesized object THEN none violates restricted, and pods exist to check', async () => {
    const objects = new StemedbApp(await loadEnvironment(env)).charts.flatMap((c) => c.toJson() as KubeObject[]);
    // The database and its backup at least; any component declared beside them is checked too.
    expect(objects.filter((o) => podSpecsOf(o).length > 0).map((o) => o.kind)).toEqual(expect.arrayContaining(['CronJob', 'StatefulSet']));
    expect(objects.flatMap(checkRestricted).map(formatViolation)).toEqual([]);
  });
});
