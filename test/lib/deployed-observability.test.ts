import { describe, expect, it } from 'vitest';
import { DeployedObservability } from '../../src/lib/index.ts';
import { CrumpetApp, crumpetObservability, loadEnvironment } from '../../src/stacks/crumpet/index.ts';
import { testChart } from '../_helpers.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

/*
 * What an environment deploys of an observability model: one set of absent components leaves out
 * both their alerts and SLOs (the PrometheusRule) and their dashboards and panels (the ConfigMaps).
 */

describe('DeployedObservability |', async () => {
  const model = crumpetObservability(new CrumpetApp(await loadEnvironment('prod')).envoyEdge.routes.backendGroups);
  const deployed = (absent?: ReadonlySet<string>) => {
    const chart = testChart();
    new DeployedObservability(chart, 'Deployed', { model, namespace: 'shop', labels: { app: 'shop' }, rulesName: 'shop-rules', ruleLabels: { prometheus: 'main' }, folder: 'Shop', ...(absent ? { absent } : {}) });
    const objects = chart.toJson() as Obj[];
    const rule = objects.find((o) => o.kind === 'PrometheusRule')!;
    const alerts = rule.spec.groups.flatMap((g: Obj) => g.rules.filter((r: Obj) => r.alert)) as Obj[];
    const maps = objects.filter((o) => o.kind === 'ConfigMap');
    return { rule, alerts, maps };
  };
  // A service with both alerts and dashboards or panels of its own.
  const panelled = new Set(model.dashboards.flatMap((d) => [d.component, ...d.panels.map((p) => p.component)]));
  const service = model.rules.alerts.map((a) => a.rule.labels['service']).find((s) => s !== undefined && panelled.has(s))!;

  it('GIVEN every component running THEN the rule holds every alert and a ConfigMap per dashboard, labelled and filed', () => {
    const { rule, alerts, maps } = deployed();
    expect(rule.metadata).toMatchObject({ name: 'shop-rules', labels: { app: 'shop', prometheus: 'main' } });
    expect(alerts.length).toBe(model.rules.alerts.length);
    expect(maps.map((m) => m.metadata.name).sort()).toEqual(model.dashboards.map((d) => d.uid).sort());
    for (const m of maps) expect(m.metadata).toMatchObject({ labels: { app: 'shop', grafana_dashboard: '1' }, annotations: { grafana_folder: 'Shop' } });
  });

  it('GIVEN a component absent THEN its alerts, its dashboards and its panels are all left out, and nothing else', () => {
    expect(service).toBeDefined();
    const all = deployed();
    const without = deployed(new Set([service]));
    expect(all.alerts.some((a) => a.labels.service === service)).toBe(true);
    expect(without.alerts).toEqual(all.alerts.filter((a) => a.labels.service !== service));
    expect(without.maps.map((m) => m.metadata.name).sort()).toEqual(model.dashboardsIn(new Set([service])).map((d) => d.uid).sort());
    // Every dashboard deployed shows its panels but those about the absent component.
    for (const m of without.maps) {
      const json = JSON.parse(Object.values(m.data)[0] as string) as Obj;
      const whole = model.dashboards.find((d) => d.uid === json.uid)!;
      expect(json.panels.map((p: Obj) => p.title), json.uid).toEqual(whole.panels.filter((p) => p.component !== service).map((p) => p.title));
    }
  });
});
