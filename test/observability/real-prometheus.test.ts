import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump, load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifests, type KubeObject } from '../../src/analysis/kube-objects.ts';
import { listEnvironments, loadEnvironment } from '../../src/config/index.ts';
import type { ObservabilityModel } from '../../src/observability/index.ts';
import type { Stack } from '../../src/render/index.ts';
import { crumpetObservability } from '../../src/stacks/crumpet/index.ts';
import { STACKS } from '../../src/stacks/index.ts';
import { mirrorObservability } from '../../src/stacks/mirror/observability.ts';
import type { MirrorConfig } from '../../src/stacks/mirror/model/index.ts';
import { stemedbObservability } from '../../src/stacks/stemedb/monitoring.ts';
import { dashboardQueries, type DashboardQuery, type GrafanaEnvironment } from '../_analysis/grafana-queries.ts';
import { backfillRecordingRules, createBlocksFromOpenMetrics, PrometheusServer, type QueryAnswer } from '../_analysis/prometheus-server.ts';
import { recordingLevels, ruleQueries, selectedValues, selectors, type RuleQueries } from '../_analysis/rule-queries.ts';
import { environmentPods, objectLabelRelations, scrapeTargets } from '../_analysis/scrape-targets.ts';
import { writeSyntheticSeries } from '../_analysis/synthetic-series.ts';
import { PROJECT_ROOT } from '../_helpers.ts';

/*
 * Every dashboard panel query and every alert and recording rule expression of every stack, run
 * by a real Prometheus (Debian's, /usr/bin/prometheus) over a TSDB backfilled with promtool from
 * synthetic series: every metric of the stack's catalogue, scraped from the targets the
 * environment's committed manifests (dist/) make prometheus-operator scrape, over the last
 * WINDOW_HOURS hours. One Prometheus per environment, as each environment's cluster runs its own;
 * it loads the rules the environment deploys (the groups of its PrometheusRules in dist/), and
 * judges the dashboards it deploys (its ConfigMaps for Grafana's sidecar): an optional component
 * that does not run there has neither its alerts nor its dashboards and panels there. The
 * recording rules are backfilled over the window with `promtool tsdb create-blocks-from rules` (rules that
 * read other rules' series in a later pass, after a restart), so dashboards and alerts reading
 * recorded series see hours of them. Everything is queried at one evaluation time, the end of
 * the window, with `time=`: the data is the backfilled data only.
 *
 * Judged: each recording rule's expression, each alert's compared queries (see
 * test/_analysis/rule-queries.ts: `x > 0.05` by `x`, `a and b` by both, `absent(x)` by `x`) and
 * the whole alert expression for API errors, and each dashboard target as Grafana sends it
 * (test/_analysis/grafana-queries.ts), each of which must return at least one series.
 */

/** Hours of synthetic data, ending at the evaluation time. */
const WINDOW_HOURS = 3;
/** Evaluation time: the last whole minute. */
const NOW = Math.floor(Date.now() / 60_000) * 60;
/** Rule evaluation interval, for the backfill as for the server (prometheus-operator's default). */
const EVALUATION_INTERVAL = '30s';
/** Namespace of the exporters outside the stacks (kubelet, kube-state-metrics, node-exporter). */
const EXPORTER_NAMESPACE = 'monitoring';

/**
 * The observability model of each registered stack: its catalogue says which series to make, its
 * paths where the committed rule file and dashboards of ops/ are. A stack missing here fails the test.
 */
const MODELS: Readonly<Record<string, (config: unknown) => ObservabilityModel>> = {
  crumpet: () => crumpetObservability(),
  stemedb: () => stemedbObservability(),
  mirror: (config) => mirrorObservability(config as MirrorConfig),
};


/** A query that did not return data, named by what it belongs to. */
interface Failure {
  /** `alert <name>`, `record <name>{<labels>}` or `dashboard "<title>" panel "<title>" <refId>`. */
  readonly subject: string;
  readonly reason: string;
}

interface EnvironmentResult {
  readonly stack: string;
  readonly env: string;
  readonly failures: readonly Failure[];
  readonly series: number;
  readonly samples: number;
  readonly rules: number;
  readonly ruleQueries: number;
  readonly panels: number;
  readonly panelQueries: number;
  readonly seconds: number;
  /** The environment's Prometheus, left running for the tests that break a query on purpose. */
  readonly server: PrometheusServer;
  readonly grafana: GrafanaEnvironment;
}

/** What every environment of a stack shares: its model, the rules and dashboards of ops/, and the values their queries select. */
interface StackFacts {
  readonly stack: Stack<unknown>;
  readonly model: ObservabilityModel;
  readonly rules: readonly RuleQueries[];
  readonly dashboards: readonly Record<string, unknown>[];
  readonly selected: ReadonlyMap<string, readonly string[]>;
  readonly components: ReadonlySet<string>;
  readonly environments: readonly { readonly env: string; readonly objects: readonly KubeObject[] }[];
}

const root = mkdtempSync(join(tmpdir(), 'crumpet-test-prometheus-'));
const servers = new Set<PrometheusServer>();

async function started(props: Parameters<typeof PrometheusServer.start>[0]): Promise<PrometheusServer> {
  const server = await PrometheusServer.start(props);
  servers.add(server);
  return server;
}

async function stopped(server: PrometheusServer): Promise<void> {
  await server.stop();
  servers.delete(server);
}

function manifests(folder: string): KubeObject[] {
  const dir = join(PROJECT_ROOT, folder);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => loadManifests(readFileSync(join(dir, f), 'utf8')));
}

/** Grafana's range variables stand for a duration when an expression is parsed as written. */
const parseable = (expr: string): string => expr.replace(/\$__(rate_interval|interval|range)\b/g, '5m');

async function stackFacts(stack: Stack<unknown>): Promise<StackFacts> {
  const make = MODELS[stack.name];
  if (!make) throw new Error(`stack ${stack.name}: no observability model in MODELS of ${import.meta.url}`);
  const envs = listEnvironments(stack.model.environmentsDir);
  const model = make(await loadEnvironment(stack.model, envs[0]!));
  const rules = ruleQueries(readFileSync(join(PROJECT_ROOT, model.paths.rules), 'utf8'));
  const dashboards = model.dashboards.map((d) => JSON.parse(readFileSync(join(PROJECT_ROOT, model.dashboardPath(d)), 'utf8')) as Record<string, unknown>);
  const exprs = [
    ...rules.map((r) => r.expr),
    ...dashboards.flatMap((d) => ((d['panels'] ?? []) as { targets?: { expr?: string }[]; panels?: { targets?: { expr?: string }[] }[] }[]).flatMap((p) => [p, ...(p.panels ?? [])]).flatMap((p) => (p.targets ?? []).map((t) => t.expr ?? ''))),
  ];
  const selected = new Map<string, string[]>();
  for (const s of exprs.flatMap((e) => selectors(parseable(e)))) {
    for (const m of s.matchers) for (const v of selectedValues(m)) if (!v.includes('$')) selected.set(m.label, [...new Set([...(selected.get(m.label) ?? []), v])]);
  }
  const environments = envs.map((env) => ({ env, objects: manifests(stack.distFolder(env)) }));
  const components = new Set(environments.flatMap((e) => environmentPods(e.objects).map((p) => p.labels['app.kubernetes.io/name'] ?? '')));
  return { stack, model, rules, dashboards, selected, components, environments };
}

const noData = (answer: QueryAnswer): string | undefined => (!answer.ok ? `Prometheus refused it: ${answer.error}` : answer.series.length === 0 ? 'returned no series' : undefined);

const ruleSubject = (r: RuleQueries): string =>
  r.kind === 'alert' ? `alert ${r.name}` : `record ${r.name}{${Object.entries(r.labels).map(([k, v]) => `${k}="${v}"`).join(',')}}`;

/** A rule file holding only `rules` of `all`, in their groups. */
function ruleFileOf(all: string, rules: readonly RuleQueries[]): string {
  const doc = (load(all) as { groups: { name: string; interval?: string; rules: { record?: string; expr: string; labels?: Record<string, string> }[] }[] }).groups;
  const keep = new Set(rules.map((r) => `${r.group}\u0000${r.name}\u0000${r.expr}`));
  const groups = doc
    .map((g) => ({ ...g, rules: g.rules.filter((r) => r.record !== undefined && keep.has(`${g.name}\u0000${r.record}\u0000${r.expr}`)) }))
    .filter((g) => g.rules.length > 0);
  return dump({ groups }, { lineWidth: -1 });
}

/**
 * What an environment deploys of its stack's observability: the groups of its PrometheusRules as a
 * rule file, their rules, and the dashboards of its ConfigMaps for Grafana's sidecar. An optional
 * component that does not run there has neither its alerts nor its dashboards and panels there.
 */
function deployedObservability(objects: readonly KubeObject[]): { ruleText: string; rules: RuleQueries[]; dashboards: Record<string, unknown>[] } {
  const groups = objects.filter((o) => o.kind === 'PrometheusRule').flatMap((o) => (o as KubeObject & { spec: { groups: unknown[] } }).spec.groups);
  const ruleText = dump({ groups }, { lineWidth: -1 });
  const dashboards = objects
    .filter((o) => o.kind === 'ConfigMap' && o.metadata?.labels?.['grafana_dashboard'] === '1')
    .flatMap((o) => Object.values((o as KubeObject & { data: Record<string, string> }).data).map((json) => JSON.parse(json) as Record<string, unknown>));
  return { ruleText, rules: ruleQueries(ruleText), dashboards };
}

async function checkEnvironment(facts: StackFacts, env: string, objects: readonly KubeObject[]): Promise<EnvironmentResult> {
  const began = Date.now();
  const deployed = deployedObservability(objects);
  const stack = facts.stack.name;
  const dir = join(root, `${stack}-${env}`);
  const data = join(dir, 'data');
  mkdirSync(data, { recursive: true });
  const pods = environmentPods(objects);
  const targets = scrapeTargets(objects, pods);
  const relations = objectLabelRelations(objects, pods);
  const namespace = relations.get('namespace')?.[0]?.['namespace'] ?? '';
  const window = { start: NOW - WINDOW_HOURS * 3600, end: NOW };
  const openMetrics = join(dir, 'series.om');
  const written = writeSyntheticSeries(
    { metrics: facts.model.catalogue.metrics, targets, components: facts.components, exporterNamespace: EXPORTER_NAMESPACE, relations, selected: facts.selected, ...window },
    openMetrics,
  );
  await createBlocksFromOpenMetrics(openMetrics, data);
  rmSync(openMetrics);

  for (const [i, level] of recordingLevels(deployed.rules).entries()) {
    const file = join(dir, `recording-${i}.yaml`);
    writeFileSync(file, ruleFileOf(deployed.ruleText, level));
    const backfiller = await started({ dataDir: data });
    try {
      await backfillRecordingRules(backfiller, file, { ...window, interval: EVALUATION_INTERVAL }, data);
    } finally {
      await stopped(backfiller);
    }
  }

  const ruleFile = join(dir, 'rules.yaml');
  writeFileSync(ruleFile, deployed.ruleText);
  const server = await started({ dataDir: data, ruleFiles: [ruleFile], evaluationInterval: EVALUATION_INTERVAL });
  const grafana = grafanaOf(server, Math.max(...targets.map((t) => t.interval)), namespace);
  const failures: Failure[] = [];
  const loaded = (await server.rules()).map((r) => r.name).sort();
  const expected = deployed.rules.map((r) => r.name).sort();
  if (JSON.stringify(loaded) !== JSON.stringify(expected)) failures.push({ subject: `the PrometheusRules of ${env}`, reason: `Prometheus loaded ${loaded.length} rules, they have ${expected.length}` });
  const [rules, panels] = await Promise.all([judgeRules(server, deployed.rules), judgeDashboards(server, deployed.dashboards, grafana)]);
  failures.push(...rules, ...panels.failures);
  failures.sort((a, b) => (a.subject + a.reason < b.subject + b.reason ? -1 : 1));
  return {
    stack,
    env,
    failures,
    series: written.series,
    samples: written.samples,
    rules: deployed.rules.length,
    ruleQueries: deployed.rules.reduce((n, r) => n + r.judged.length, 0),
    panels: new Set(panels.queries.map((q) => `${q.dashboard}\u0000${q.panel}`)).size,
    panelQueries: panels.queries.length,
    seconds: (Date.now() - began) / 1000,
    server,
    grafana,
  };
}

/** How Grafana sees the environment's Prometheus. */
function grafanaOf(server: PrometheusServer, scrapeInterval: number, namespace: string): GrafanaEnvironment {
  return {
    now: NOW,
    scrapeInterval,
    preferred: { namespace },
    labelValues: (label, match, start, end) => server.labelValues(label, match, start, end),
    instantQuery: async (expr, time) => {
      const answer = await server.query(expr, time);
      return answer.ok ? answer.series : [];
    },
  };
}

/** Each rule's judged queries that return nothing, and alert expressions Prometheus refuses. */
async function judgeRules(server: PrometheusServer, rules: readonly RuleQueries[]): Promise<Failure[]> {
  const failures: Failure[] = [];
  await Promise.all(
    rules.flatMap((r) => [
      ...r.judged.map(async (q) => {
        const why = noData(await server.query(q, NOW));
        if (why) failures.push({ subject: ruleSubject(r), reason: `\`${q}\` ${why}` });
      }),
      (async () => {
        const answer = await server.query(r.expr, NOW);
        if (!answer.ok) failures.push({ subject: ruleSubject(r), reason: `\`${r.expr}\`: Prometheus refused it: ${answer.error}` });
      })(),
    ]),
  );
  return failures;
}

/** Each dashboard target, as Grafana sends it, that returns nothing; and variables that could not be expanded. */
async function judgeDashboards(server: PrometheusServer, dashboards: readonly Record<string, unknown>[], grafana: GrafanaEnvironment): Promise<{ failures: Failure[]; queries: DashboardQuery[] }> {
  const failures: Failure[] = [];
  const expanded = await Promise.all(dashboards.map((d) => dashboardQueries(d, grafana)));
  for (const [i, e] of expanded.entries()) for (const p of e.problems) failures.push({ subject: `dashboard "${String(dashboards[i]!['title'])}"`, reason: p });
  const queries = expanded.flatMap((e) => e.queries);
  await Promise.all(
    queries.map(async (q) => {
      const answer = q.instant ? await server.query(q.expr, q.end) : await server.queryRange(q.expr, q.start, q.end, q.step);
      const why = noData(answer);
      if (why) failures.push({ subject: `dashboard "${q.dashboard}" panel "${q.panel}" ${q.refId}`, reason: `\`${q.expr}\` ${why}` });
    }),
  );
  return { failures, queries };
}

const results = new Map<string, EnvironmentResult>();
const factsOf = new Map<string, StackFacts>();

beforeAll(async () => {
  const facts = await Promise.all(STACKS.map(stackFacts));
  for (const f of facts) factsOf.set(f.stack.name, f);
  const all = await Promise.all(facts.flatMap((f) => f.environments.map((e) => checkEnvironment(f, e.env, e.objects))));
  for (const r of all) results.set(`${r.stack}/${r.env}`, r);
}, 120_000);

/** `expr` with a matcher on a label nothing carries added to its first selector; undefined when it has none. */
function withForeignLabel(expr: string): string | undefined {
  const first = selectors(parseable(expr)).find((sel) => sel.metric !== '');
  if (!first) return undefined;
  const braced = new RegExp(`\\b${first.metric}\\{`);
  if (braced.test(expr)) return expr.replace(braced, `${first.metric}{label_no_series_carries="x",`);
  const bare = new RegExp(`\\b${first.metric}\\b(?![{\\w:])`);
  return bare.test(expr) ? expr.replace(bare, `${first.metric}{label_no_series_carries="x"}`) : undefined;
}

/**
 * The first committed dashboard target, over every stack and environment, that `change` rewrites
 * (it returns undefined to pass): the dashboard with that one expression changed, and where it is.
 */
function brokenDashboard(change: (expr: string, facts: StackFacts) => string | undefined): { result: EnvironmentResult; dashboard: Record<string, unknown>; subject: string } {
  for (const result of results.values()) {
    const facts = factsOf.get(result.stack)!;
    for (const d of facts.dashboards) {
      const copy = structuredClone(d) as { title: string; panels: { title: string; targets?: { expr: string; refId: string }[] }[] };
      for (const panel of copy.panels) {
        for (const t of panel.targets ?? []) {
          const changed = change(t.expr, facts);
          if (changed === undefined) continue;
          t.expr = changed;
          return { result, dashboard: copy, subject: `dashboard "${copy.title}" panel "${panel.title}" ${t.refId}` };
        }
      }
    }
  }
  throw new Error('no dashboard target to break');
}

afterAll(async () => {
  await Promise.all([...servers].map((s) => s.stop()));
  rmSync(root, { recursive: true, force: true });
});

const environments = STACKS.flatMap((s) => listEnvironments(s.model.environmentsDir).map((env) => [s.name, env] as const));

describe('Real Prometheus | every panel query and rule expression returns data on the synthetic TSDB', () => {
  it('GIVEN every registered stack THEN the test knows its observability model', () => {
    expect(STACKS.map((s) => s.name).filter((name) => !MODELS[name])).toEqual([]);
  });

  it.each(environments)('GIVEN %s %s WHEN its dashboards and rules run THEN each returns data ', (stack, env) => {
    const result = results.get(`${stack}/${env}`)!;
    console.info(
      `${stack}/${env}: ${result.series} series, ${result.samples} samples; ${result.rules} rules (${result.ruleQueries} judged queries), ${result.panels} panels (${result.panelQueries} queries); ${result.seconds.toFixed(1)} s`,
    );
    expect(result.failures.map((f) => `${stack}/${env}: ${f.subject}: ${f.reason}`)).toEqual([]);
  });

  it('GIVEN a panel filtering on a label no series carries THEN the failure names the dashboard, the panel and the reason', async () => {
    const { result, dashboard, subject } = brokenDashboard(withForeignLabel);
    const judged = await judgeDashboards(result.server, [dashboard], result.grafana);
    expect(judged.failures.map((f) => f.subject)).toEqual([subject]);
    expect(judged.failures[0]!.reason).toMatch(/label_no_series_carries="x".*returned no series$/);
  });

  it('GIVEN a panel expecting a recording rule under another name THEN the failure names the dashboard, the panel and the reason', async () => {
    const { result, dashboard, subject } = brokenDashboard((expr, facts) => {
      const recorded = facts.rules.find((r) => r.kind === 'record' && selectors(parseable(expr)).some((sel) => sel.metric === r.name));
      return recorded ? expr.replace(recorded.name, `${recorded.name}_renamed`) : undefined;
    });
    const judged = await judgeDashboards(result.server, [dashboard], result.grafana);
    expect(judged.failures.map((f) => f.subject)).toEqual([subject]);
    expect(judged.failures[0]!.reason).toMatch(/_renamed.*returned no series$/);
  });

  it('GIVEN an alert whose compared query filters on a label no series carries THEN the failure names the alert and the query', async () => {
    for (const result of results.values()) {
      const alert = factsOf.get(result.stack)!.rules.find((r) => r.kind === 'alert' && withForeignLabel(r.expr) !== undefined);
      if (!alert) continue;
      const [broken] = ruleQueries(dump({ groups: [{ name: alert.group, rules: [{ alert: alert.name, expr: withForeignLabel(alert.expr) }] }] }));
      const failures = await judgeRules(result.server, [broken!]);
      expect(failures.map((f) => f.subject)).toContain(`alert ${alert.name}`);
      expect(failures.find((f) => f.subject === `alert ${alert.name}`)!.reason).toMatch(/label_no_series_carries="x".*returned no series$/);
      return;
    }
    throw new Error('no alert to break');
  });
});
