import { describe, expect, it } from 'vitest';
import { CRUMPET_COMPONENTS, CrumpetApp, crumpetObservability, crumpetSlos, loadEnvironment } from '../../src/stacks/crumpet/index.ts';
import { checkPromql, Dashboard, Panel, sloDashboardUid, Target } from '../../src/observability/index.ts';
import { renderApp, type KubeObject } from '../../src/render/index.ts';
import { ENVIRONMENTS } from '../stacks/crumpet/_output.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = KubeObject & Record<string, any>;

async function render(env: string): ReturnType<typeof renderApp> {
  return renderApp(new CrumpetApp(await loadEnvironment(env, { files: [], sets: [] })), env);
}

/** The dashboards of the prod synth, parsed from their ops/ files. */
async function dashboards(): Promise<Map<string, any>> {
  const rendered = await render('prod');
  const entries = [...rendered.generated].filter(([path]) => path.startsWith('ops/grafana/'));
  return new Map(entries.map(([, text]) => [JSON.parse(text).uid as string, JSON.parse(text)]));
}

const SPEC_PANELS: Record<string, string[]> = {
  'crumpet-cin-overview': ['QPS', 'Query latency p50/p95 by ranker', 'Ingest lag', 'Snapshot staleness by language', 'WS clients'],
  'crumpet-orchestrator': ['Job success rate', 'Acks histogram', 'Backend latency p95', 'Backend errors'],
  'crumpet-watcher': ['Probe pass rate', 'Freshness compliance', 'Chain tx status'],
  'crumpet-edge': ['Responses 2xx/4xx/5xx', 'H/2 streams', 'H/3 ratio', 'Backend latency p95'],
  'crumpet-node-rewards': ['Epoch time remaining', 'Epoch ends at', 'Epoch countdown', 'Attestation volumes', 'Attestations by chain status'],
};

/** Every dashboard uid: the spec's, those of components declared with a dashboard, and one per SLO. */
const UIDS = [
  ...new Set([
    ...Object.keys(SPEC_PANELS),
    ...CRUMPET_COMPONENTS.components.flatMap((c) => (c.dashboard ? [c.dashboard.uid ?? `crumpet-${c.name}`] : [])),
    ...crumpetSlos().map((s) => sloDashboardUid('crumpet', s.name)),
  ]),
].sort();

describe('Dashboards | the five of spec section 7.4', () => {
  it('GIVEN the prod synth THEN each dashboard has its listed panels and a Prometheus datasource variable every panel uses', async () => {
    const all = await dashboards();
    expect([...all.keys()].sort()).toEqual(UIDS);
    for (const [uid, titles] of Object.entries(SPEC_PANELS)) {
      const d = all.get(uid);
      expect(d.schemaVersion).toBe(39);
      expect(d.panels.map((p: any) => p.title), uid).toEqual(expect.arrayContaining(titles));
      expect(d.templating.list).toContainEqual(expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' }));
      for (const p of d.panels) {
        expect(['timeseries', 'stat', 'heatmap']).toContain(p.type);
        for (const t of [p, ...p.targets]) expect(t.datasource, `${uid}/${p.title}`).toEqual({ type: 'prometheus', uid: '${datasource}' });
      }
    }
  });

  it('GIVEN the Edge dashboard THEN ops/ has one saturation panel per backend the edge routes to in any environment, and each environment deploys those of its running backends, over its clusters in every language', async () => {
    const edge = (await dashboards()).get('crumpet-edge');
    const titles = (d: any): string[] => d.panels.map((p: any) => p.title).filter((t: string) => t.startsWith('Backend saturation: '));
    for (const env of ENVIRONMENTS) {
      const rendered = await render(env);
      const config = await loadEnvironment(env);
      const table = new CrumpetApp(config).envoyEdge.routes;
      // ops/: one panel per group of the route table, whatever the environment's languages and components.
      expect(titles(edge)).toEqual(table.backendGroups.map((g) => `Backend saturation: ${g.name}`));
      // dist/: the groups of the components running there, each panel keeping its ops/ id.
      const absent = CRUMPET_COMPONENTS.notRunningIn(config);
      const deployed = JSON.parse((rendered.charts.flatMap((c) => c.objects).find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'crumpet-edge') as Obj).data['crumpet-edge.json']);
      const running = table.backendGroups.filter((g) => !absent.has(g.component));
      expect(titles(deployed), env).toEqual(running.map((g) => `Backend saturation: ${g.name}`));
      for (const p of deployed.panels) expect(p.id, `${env} ${p.title}`).toBe(edge.panels.find((q: any) => q.title === p.title).id);
      for (const g of running) {
        const panel = deployed.panels.find((p: any) => p.title === `Backend saturation: ${g.name}`);
        const regex = /envoy_cluster_name=~"([^"]+)"/.exec(panel.targets[0].expr)![1]!;
        // Every cluster of the group in this environment, and no other, matches the panel's selector.
        const clusters = table.upstreams.filter((u) => g.clusterRegex === regex && new RegExp(`^${regex}$`).test(u.name)).map((u) => u.name);
        expect(clusters.length, g.name).toBeGreaterThan(0);
        for (const u of table.upstreams) expect(new RegExp(`^${regex}$`).test(u.name), `${g.name} ~ ${u.name}`).toBe(clusters.includes(u.name));
      }
    }
  });

  it('GIVEN every panel query THEN it parses and selects only catalogued metrics or recording rules', () => {
    const model = crumpetObservability([{ name: 'web', clusterRegex: 'web-3000', component: 'web' }]);
    expect(model.check()).toEqual([]);
    const exprs = model.dashboards.flatMap((d) => d.panels.flatMap((p) => p.targets.map((t) => t.expr)));
    expect(exprs.length).toBeGreaterThan(20);
    for (const e of exprs) expect(checkPromql(e, model.catalogue), e).toEqual([]);
  });

  it('GIVEN every dashboard THEN panels lie inside the 24 columns and never overlap', () => {
    for (const d of crumpetObservability(['a', 'b', 'c', 'd'].map((name) => ({ name, clusterRegex: `${name}-80`, component: name }))).dashboards) {
      const cells = new Set<string>();
      for (const g of d.layout()) {
        expect(g.x + g.w, d.uid).toBeLessThanOrEqual(24);
        for (let x = g.x; x < g.x + g.w; x++) {
          for (let y = g.y; y < g.y + g.h; y++) {
            expect(cells.has(`${x},${y}`), `${d.uid} overlaps at ${x},${y}`).toBe(false);
            cells.add(`${x},${y}`);
          }
        }
      }
    }
  });

  it('GIVEN two synths THEN the dashboard files are byte-identical, sorted, indented by 2 and end with a newline', async () => {
    const [a, b] = [await render('prod'), await render('prod')];
    const grafana = (r: Awaited<ReturnType<typeof render>>) => [...r.generated].filter(([p]) => p.startsWith('ops/grafana/'));
    expect(grafana(a)).toHaveLength(UIDS.length);
    expect(grafana(a)).toEqual(grafana(b));
    for (const [, text] of grafana(a)) {
      expect(text.endsWith('}\n')).toBe(true);
      expect(text.split('\n')[1]).toMatch(/^ {2}"annotations": /);
    }
  });

  it('GIVEN dist THEN each dashboard is a ConfigMap labelled grafana_dashboard "1" holding the ops/ file', async () => {
    const rendered = await render('staging');
    const maps = rendered.charts.flatMap((c) => c.objects as Obj[]).filter((o) => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard === '1');
    expect(maps.map((m) => m.metadata.name).sort()).toEqual(UIDS);
    for (const m of maps) expect(m.data[`${m.metadata.name}.json`]).toBe(rendered.generated.get(`ops/grafana/${m.metadata.name}.json`));
  });
});

describe('Dashboards | errors', () => {
  it('GIVEN a panel with a broken query WHEN synthesized THEN synth fails naming the environment, dashboard and panel', async () => {
    const app = new CrumpetApp(await loadEnvironment('prod', { files: [], sets: [] }));
    const cin = app.monitoring.model.dashboards.find((d) => d.uid === 'crumpet-cin-overview')!;
    cin.add(new Panel({ title: 'Broken', type: 'timeseries', targets: [Target.query('sum(rate(ws_clients[5m])')] }));
    cin.add(new Panel({ title: 'Typo', type: 'stat', targets: [Target.query('max(snapshot_ag_seconds)')] }));
    const failure = renderApp(app, 'prod');
    await expect(failure).rejects.toThrow(/\[prod\] monitoring\/Monitoring: dashboards\/crumpet-cin-overview panel "Broken" target A: does not parse/);
    await expect(failure).rejects.toThrow(/dashboards\/crumpet-cin-overview panel "Typo" target A: unknown metric "snapshot_ag_seconds"/);
  });

  it('GIVEN bad builder input THEN the builders name the dashboard or panel and the field', () => {
    expect(() => new Dashboard({ uid: 'Crumpet CIN', title: 'CIN', tags: [] })).toThrow(/dashboard "CIN": uid must be 1-40 of a-z, 0-9, "-", got "Crumpet CIN"/);
    expect(() => new Panel({ title: 'Wide', type: 'stat', width: 30, targets: [Target.query('sum(ws_clients)')] })).toThrow(/panel "Wide": width must be 1-24, got 30/);
    expect(() => new Panel({ title: 'Empty', type: 'stat', targets: [] })).toThrow(/panel "Empty": needs at least one target/);
    const d = new Dashboard({ uid: 'x', title: 'X', tags: [] }).add(new Panel({ title: 'Twice', type: 'stat', targets: [Target.query('sum(ws_clients)')] }));
    expect(() => d.add(new Panel({ title: 'Twice', type: 'stat', targets: [Target.query('sum(ws_clients)')] }))).toThrow(/dashboard x: panel title "Twice" is used twice/);
    expect(crumpetObservability().dashboardPath(d)).toBe('ops/grafana/x.json');
  });
});
