import { describe, expect, it } from 'vitest';
import { listEnvironments } from '../../../src/config/index.ts';
import { loadEnvironment, STEMEDB_MODEL } from '../../../src/stacks/stemedb/model/index.ts';
import { StemedbApp } from '../../../src/stacks/stemedb/stemedb-app.ts';
import { objectId, type KubeObject } from '../../../src/analysis/kube-objects.ts';

/*
 * StemeDB's Prometheus (kube-prometheus-stack) picks monitors and rules by the model's selector
 * labels: a monitor without them is never scraped, and its data-missing alert fires forever. Every
 * monitor of every component, those the stack adds later included, and every rule carries them.
 */

const SELECTED_KINDS = ['ServiceMonitor', 'PodMonitor', 'PrometheusRule'];

describe.each(listEnvironments(STEMEDB_MODEL.environmentsDir))('StemeDB | %s | what Prometheus selects', (env) => {
  it("GIVEN every synthesized monitor and rule THEN each carries the model's selector labels, and there is one monitor per component declaring metrics", async () => {
    const config = await loadEnvironment(env);
    const app = new StemedbApp(config);
    const objects = app.charts.flatMap((c) => c.toJson() as KubeObject[]);
    const selected = objects.filter((o) => SELECTED_KINDS.includes(o.kind ?? ''));
    const scraped = app.placed.filter((p) => p.declaration.metrics !== undefined).map((p) => p.declaration.name);
    expect(selected.filter((o) => o.kind !== 'PrometheusRule').map((o) => o.metadata?.name).sort()).toEqual([...scraped].sort());
    expect(selected.some((o) => o.kind === 'PrometheusRule')).toBe(true);
    for (const o of selected) expect(o.metadata?.labels, objectId(o)).toMatchObject(config.monitoring.selectorLabels);
  });
});
