import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { counterSeries, DASHBOARD_LINT_RULES, lintDashboard, Panel, Target, type DashboardLintRule, type ObservabilityModel } from '../../src/observability/index.ts';
import { CrumpetApp, crumpetObservability, loadEnvironment } from '../../src/stacks/crumpet/index.ts';
import { loadEnvironment as loadMirrorEnvironment, mirrorObservability } from '../../src/stacks/mirror/index.ts';
import { stemedbObservability } from '../../src/stacks/stemedb/monitoring.ts';
import { renderApp } from '../../src/render/index.ts';
import { PROJECT_ROOT } from '../_helpers.ts';

/*
 * Grafana's dashboard-linter rules (src/observability/dashboard-lint.ts) on every dashboard every
 * stack commits under ops/, and each rule shown to catch the mistake it is about.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = Record<string, any>;

/** Every stack's observability model, as its synth builds it. */
async function models(): Promise<ObservabilityModel[]> {
  const crumpet = new CrumpetApp(await loadEnvironment('prod', { files: [], sets: [] }));
  return [crumpetObservability(crumpet.envoyEdge.routes.backendGroups), stemedbObservability(), mirrorObservability(await loadMirrorEnvironment('prod'))];
}

/** The committed dashboard files of a model's ops folder. */
function committed(model: ObservabilityModel): string[] {
  const dir = join(PROJECT_ROOT, model.paths.dashboards);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => `${model.paths.dashboards}/${f}`)
    .sort();
}

const read = (path: string): Json => JSON.parse(readFileSync(join(PROJECT_ROOT, path), 'utf8')) as Json;

describe('Dashboard lint | every committed dashboard', async () => {
  const all = await models();

  it('GIVEN every stack THEN each dashboard file under its ops folder is one of its model and passes every rule', () => {
    let linted = 0;
    for (const model of all) {
      const files = committed(model);
      expect(files, model.opsRoot).toEqual(model.dashboards.map((d) => model.dashboardPath(d)).sort());
      for (const path of files) {
        expect(lintDashboard(read(path), { counters: counterSeries(model.catalogue) }), path).toEqual([]);
        linted++;
      }
    }
    expect(linted).toBe(all.reduce((n, m) => n + m.dashboards.length, 0));
  });

  it('GIVEN every dashboard THEN it selects the namespace, and every query and annotation of it reads only the namespace and cluster picked', () => {
    for (const model of all) {
      for (const path of committed(model)) {
        const d = read(path);
        const names = d.templating.list.map((v: Json) => v.name);
        expect(names, path).toEqual(['datasource', 'cluster', 'namespace']);
        const exprs = [...d.panels.flatMap((p: Json) => p.targets.map((t: Json) => t.expr)), ...d.annotations.list.filter((a: Json) => a.expr).map((a: Json) => a.expr)];
        for (const e of exprs) {
          // As many scope matchers as selectors: each selector of the query carries both.
          const selectors = (e as string).match(/[A-Za-z_:][A-Za-z0-9_:]*(?=\{)|\{__name__/g) ?? [];
          expect((e as string).split('namespace=~"$namespace"').length - 1, `${path}: ${e}`).toBe(selectors.length);
          expect((e as string).split('cluster=~"$cluster"').length - 1, `${path}: ${e}`).toBe(selectors.length);
        }
      }
    }
  });

  it('GIVEN every stack THEN its dashboards link to each other by the stack tag every one of them carries', () => {
    for (const model of all) {
      for (const path of committed(model)) {
        const d = read(path);
        expect(d.tags, path).toContain(model.dashboardContext.stack);
        expect(d.links, path).toContainEqual(expect.objectContaining({ type: 'dashboards', tags: [model.dashboardContext.stack], includeVars: true, keepTime: true }));
      }
    }
  });

  it('GIVEN a panel illustrating an alert THEN it links to the runbook URL of that alert in the rule file, and its description says what the alert means', () => {
    let links = 0;
    for (const model of all) {
      const rules = new Map(model.rules.alerts.map((a) => [a.rule.alert, a.rule]));
      for (const d of model.dashboards) {
        const json = read(model.dashboardPath(d));
        for (const p of d.panels) {
          const rendered = json.panels.find((q: Json) => q.title === p.title);
          for (const alert of p.alerts) {
            expect(rendered.links, `${d.uid}/${p.title}`).toContainEqual({ targetBlank: true, title: `Runbook: ${alert}`, url: rules.get(alert)!.annotations['runbook_url'] });
            expect(rendered.description).toContain(`Alert ${alert} (${rules.get(alert)!.labels['priority']})`);
            links++;
          }
        }
      }
    }
    expect(links).toBeGreaterThan(0);
  });
});

/** Mutations of a good dashboard, each breaking one rule. */
const scoped = (body: string): string => body.replace('{}', '{cluster=~"$cluster",namespace=~"$namespace"}');
const MUTATIONS: readonly { rule: DashboardLintRule; mistake: string; mutate: (d: Json) => void }[] = [
  { rule: 'template-datasource-rule', mistake: 'no data source variable', mutate: (d) => (d.templating.list = d.templating.list.filter((v: Json) => v.type !== 'datasource')) },
  { rule: 'template-namespace-rule', mistake: 'no namespace variable', mutate: (d) => (d.templating.list = d.templating.list.filter((v: Json) => v.name !== 'namespace')) },
  { rule: 'template-namespace-rule', mistake: 'a single-choice namespace', mutate: (d) => (d.templating.list.find((v: Json) => v.name === 'namespace').multi = false) },
  { rule: 'template-cluster-rule', mistake: 'a cluster "All" that needs the label', mutate: (d) => (d.templating.list.find((v: Json) => v.name === 'cluster').allValue = '.+') },
  { rule: 'template-label-promql-rule', mistake: 'a broken variable query', mutate: (d) => (d.templating.list.find((v: Json) => v.name === 'namespace').query = 'label_values(up{, namespace)') },
  { rule: 'template-label-promql-rule', mistake: 'an unknown variable function', mutate: (d) => (d.templating.list.find((v: Json) => v.name === 'namespace').query = 'values(up, namespace)') },
  { rule: 'template-on-time-change-reload', mistake: 'a variable refreshed on load only', mutate: (d) => (d.templating.list.find((v: Json) => v.name === 'namespace').refresh = 1) },
  { rule: 'panel-datasource-rule', mistake: 'a panel on a fixed data source', mutate: (d) => (d.panels[0].datasource = { type: 'prometheus', uid: 'prometheus' }) },
  { rule: 'panel-title-description-rule', mistake: 'a panel without description', mutate: (d) => (d.panels[0].description = '') },
  { rule: 'panel-units-rule', mistake: 'a panel in an unknown unit', mutate: (d) => (d.panels[0].fieldConfig.defaults.unit = 'furlongs') },
  { rule: 'panel-no-targets-rule', mistake: 'a panel without targets', mutate: (d) => (d.panels[0].targets = []) },
  { rule: 'target-promql-rule', mistake: 'an empty query', mutate: (d) => (d.panels[0].targets[0].expr = '') },
  { rule: 'target-promql-rule', mistake: 'a query that does not parse', mutate: (d) => (d.panels[0].targets[0].expr = scoped('sum(rate(ws_clients{}[$__rate_interval])')) },
  { rule: 'target-rate-interval-rule', mistake: 'a rate over a fixed range', mutate: (d) => (d.panels[0].targets[0].expr = scoped('sum(rate(pin_jobs_total{}[5m]))')) },
  { rule: 'target-rate-interval-rule', mistake: 'an increase over a fixed range', mutate: (d) => (d.panels[0].targets[0].expr = scoped('sum(increase(pin_jobs_total{}[1h]))')) },
  { rule: 'target-namespace-rule', mistake: 'a selector of every namespace', mutate: (d) => (d.panels[0].targets[0].expr = 'sum(ws_clients{cluster=~"$cluster"})') },
  { rule: 'target-namespace-rule', mistake: 'an annotation of every namespace', mutate: (d) => (d.annotations.list.find((a: Json) => a.expr).expr = 'ALERTS{cluster=~"$cluster"}') },
  { rule: 'target-cluster-rule', mistake: 'a selector of every cluster', mutate: (d) => (d.panels[0].targets[0].expr = 'sum(ws_clients{namespace=~"$namespace"})') },
  { rule: 'target-counter-agg-rule', mistake: 'a counter read as a gauge', mutate: (d) => (d.panels[0].targets[0].expr = scoped('sum(pin_jobs_total{})')) },
  { rule: 'target-counter-agg-rule', mistake: 'a catalogued counter without _total read as a gauge', mutate: (d) => (d.panels[0].targets[0].expr = scoped('sum(cin_query_latency_ms_count{})')) },
];

describe('Dashboard lint | each rule catches its mistake', async () => {
  const model = (await models())[0]!;
  const path = model.dashboardPath(model.dashboards.find((d) => d.uid === 'crumpet-cin-overview')!);
  const counters = counterSeries(model.catalogue);

  it('GIVEN the mutations THEN every rule of the linter is exercised', () => {
    expect([...new Set(MUTATIONS.map((m) => m.rule))].sort()).toEqual([...DASHBOARD_LINT_RULES].sort());
  });

  it.each(MUTATIONS)('GIVEN $mistake THEN $rule reports it, naming where', ({ rule, mutate }) => {
    const d = read(path);
    expect(lintDashboard(d, { counters })).toEqual([]);
    mutate(d);
    const problems = lintDashboard(d, { counters });
    expect(problems.map((p) => p.rule)).toContain(rule);
    for (const p of problems.filter((q) => q.rule.startsWith('panel-') || q.rule.startsWith('target-'))) expect(p.message).toMatch(/^(panel "[^"]+"|annotation "[^"]+")/);
  });

  it('GIVEN a panel with a rate over a fixed range WHEN synthesized THEN synth fails naming the environment, dashboard, rule and panel', async () => {
    const app = new CrumpetApp(await loadEnvironment('prod', { files: [], sets: [] }));
    app.monitoring.model.dashboards.find((d) => d.uid === 'crumpet-watcher')!.add(new Panel({ title: 'Fixed', type: 'timeseries', targets: [Target.query('sum(rate(probe_total[5m]))')] }));
    await expect(renderApp(app, 'prod')).rejects.toThrow(/\[prod\] monitoring\/Monitoring: dashboards\/crumpet-watcher target-rate-interval-rule: panel "Fixed" target A: rate\(probe_total\[5m\]\) should use \$__rate_interval/);
  });
});
