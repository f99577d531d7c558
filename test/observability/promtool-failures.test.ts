import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { constant, ObservabilityModel, type AlertDefinition } from '../../src/observability/index.ts';
import { promtoolFailures } from '../_analysis/promtool.ts';
import { writtenTree } from '../_helpers.ts';

/*
 * An alert's test input is part of its declaration: input that does not make promtool fire past
 * the threshold (or that fires before it) fails the suite with a line naming the component.
 */

const RUNBOOK = { name: 'queue-deep', title: 'QueueDeep', meaning: 'm', impact: 'i', diagnosis: ['d'], mitigation: ['m'], escalation: 'e' };

const alert = (series: AlertDefinition['series']): AlertDefinition => ({
  name: 'QueueDeep',
  query: 'max(queue_depth)',
  op: '>',
  threshold: 100,
  for: '5m',
  priority: 'P3',
  service: 'search-api',
  summary: 's',
  description: 'd',
  runbook: RUNBOOK.name,
  series,
});

function failures(a: AlertDefinition, edit?: (rules: string) => string): Promise<string[]> {
  const model = new ObservabilityModel({
    name: 'probe',
    opsRoot: 'ops',
    runbookBaseUrl: 'https://git.example.org/probe/blob/main',
    metrics: [{ name: 'queue_depth', type: 'gauge', labels: [], help: 'Jobs waiting.', owner: 'search-api' }],
    alerts: [a],
    runbooks: [RUNBOOK],
  });
  expect(model.check()).toEqual([]);
  const root = writtenTree('promtool-failures', model.files());
  const rules = join(root, model.paths.rules);
  if (edit) writeFileSync(rules, edit(readFileSync(rules, 'utf8')));
  return promtoolFailures(model, join(root, model.paths.tests));
}

describe('promtool tests of declared alerts |', () => {
  it('GIVEN test input that follows the value asked for THEN promtool passes', async () => {
    expect(await failures(alert((v, _t, steps) => [constant('queue_depth', v, steps)]))).toEqual([]);
  });

  it('GIVEN test input that never reaches the threshold THEN the failure names the component and the alert', async () => {
    const lines = await failures(alert((_v, _t, steps) => [constant('queue_depth', 1, steps)]));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^component search-api: alert QueueDeep's promtool test \(queue-deep\.yaml\) fails: /);
  });

  it('GIVEN test input that is always past the threshold THEN the silent case fails, naming the component', async () => {
    expect(await failures(alert((_v, _t, steps) => [constant('queue_depth', 1000, steps)]))).toEqual([expect.stringMatching(/^component search-api: alert QueueDeep/)]);
  });

  it('GIVEN a rule file that promtool cannot load whole, in a group no test loads THEN the tests on their own groups pass, and the file as written fails naming it', async () => {
    const broken = (rules: string): string => `${rules}  - name: probe.broken\n    rules:\n      - alert: Never\n        expr: vector(1)\n        for: soon\n`;
    expect(await failures(alert((v, _t, steps) => [constant('queue_depth', v, steps)]), broken)).toEqual([
      expect.stringMatching(/^component search-api: alert QueueDeep's promtool test \(queue-deep\.yaml\) fails: as written, loading its rule file whole: .*soon/),
    ]);
  });
});
