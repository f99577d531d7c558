import { vectorSelectors, type LabelMatcher } from './_promql-selectors.ts';

/**
 * The rules of Grafana's dashboard linter (github.com/grafana/dashboard-linter) that apply to
 * dashboards over one Prometheus data source per environment, on the dashboard's JSON model.
 * The linter's `job` and `instance` rules are applied to the `namespace` and `cluster` variables
 * instead: an environment is a namespace (of a cluster), and panels aggregate over the scrape
 * targets of a component on purpose. `cluster` takes `.*` for "All" where the linter asks `.+` for
 * `job`: a single-cluster Prometheus has no `cluster` label on its series (it is an external
 * label), and `.+` would match none of them.
 * @see https://github.com/grafana/dashboard-linter/blob/main/docs/index.md
 */
export const DASHBOARD_LINT_RULES = [
  'template-datasource-rule',
  'template-namespace-rule',
  'template-cluster-rule',
  'template-label-promql-rule',
  'template-on-time-change-reload',
  'panel-datasource-rule',
  'panel-title-description-rule',
  'panel-units-rule',
  'panel-no-targets-rule',
  'target-promql-rule',
  'target-rate-interval-rule',
  'target-namespace-rule',
  'target-cluster-rule',
  'target-counter-agg-rule',
] as const;

export type DashboardLintRule = (typeof DASHBOARD_LINT_RULES)[number];

/** One rule a dashboard breaks, and where. */
export interface DashboardLintProblem {
  readonly rule: DashboardLintRule;
  readonly message: string;
}

/** What the linter knows beyond the JSON. */
export interface DashboardLintOptions {
  /**
   * Counter series besides those named `*_total` (the linter's own test): e.g. the catalogue's
   * counters without the suffix and the `_bucket`/`_count`/`_sum` series of its histograms.
   * @default - only `*_total`
   */
  readonly counters?: ReadonlySet<string>;
}

/** The unit ids of Grafana's value formats the dashboards may use (its `categories.ts`: misc, time, throughput, data, date). */
const UNITS = new Set([
  'none', 'string', 'short', 'percent', 'percentunit', 'sci', 'locale',
  'hertz', 'ns', 'µs', 'ms', 's', 'm', 'h', 'd', 'dtdurationms', 'dtdurations', 'dthms', 'dtdhms', 'timeticks', 'clockms', 'clocks',
  'cps', 'ops', 'reqps', 'rps', 'wps', 'iops', 'cpm', 'opm', 'rpm', 'wpm',
  'bytes', 'decbytes', 'bits', 'decbits', 'kbytes', 'deckbytes', 'mbytes', 'decmbytes', 'gbytes', 'decgbytes', 'Bps', 'binBps', 'bps', 'pps',
  'dateTimeAsIso', 'dateTimeAsIsoNoDateIfToday', 'dateTimeAsUS', 'dateTimeAsUSNoDateIfToday', 'dateTimeAsLocal', 'dateTimeAsLocalNoDateIfToday', 'dateTimeAsSystem', 'dateTimeFromNow',
  'bool', 'bool_yes_no', 'bool_on_off',
]);

/** Panel types that run queries (the linter's allow-list, with the heatmap). */
const QUERY_PANELS = new Set(['singlestat', 'graph', 'table', 'stat', 'state-timeline', 'timeseries', 'gauge', 'heatmap']);
/** Panel types that show values in a unit (the linter's units and description rules). */
const VALUE_PANELS = new Set(['stat', 'singlestat', 'graph', 'table', 'timeseries', 'gauge']);
const DATASOURCE_UIDS = new Set(['$datasource', '${datasource}']);
const VARIABLE_FUNCTIONS = new Set(['label_names', 'label_values', 'metrics', 'query_result']);
/** The functions over a counter's range: the range-interval and counter rules read them. */
const RATE_FUNCTIONS = new Set(['rate', 'irate', 'increase']);

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = Record<string, any>;

const title = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Every rule the dashboard breaks, each naming the panel, target or variable. The rules are the
 * linter's, applied to every panel that runs queries (the heatmap too) and to the annotation
 * queries, with these readings: `target-rate-interval-rule` also covers `increase` (as its
 * documentation says; its code checks `rate` and `irate`) and allows `increase(...[$__range])`,
 * a total over the range picked, the exception the documentation names;
 * `target-counter-agg-rule` reads the metric name (the linter reads the whole selector, so a
 * counter with matchers escapes it).
 */
export function lintDashboard(d: Json, options: DashboardLintOptions = {}): DashboardLintProblem[] {
  const problems: DashboardLintProblem[] = [];
  const add = (rule: DashboardLintRule, message: string): void => {
    problems.push({ rule, message });
  };
  const variables: Json[] = d['templating']?.list ?? [];

  const datasources = variables.filter((v) => v['type'] === 'datasource');
  if (datasources.length === 0) add('template-datasource-rule', 'has no templated data source');
  for (const v of datasources) {
    const names = [`${String(v['query']).toLowerCase()}_datasource`, ...(datasources.length === 1 ? ['datasource'] : [])];
    const labels = [`${title(String(v['query']))} data source`, ...(datasources.length === 1 ? ['Data source'] : [])];
    if (!names.includes(v['name'])) add('template-datasource-rule', `data source variable named "${v['name']}", should be one of ${names.join(', ')}`);
    if (!labels.includes(v['label'])) add('template-datasource-rule', `data source variable labelled "${v['label']}", should be one of ${labels.join(', ')}`);
  }

  for (const [rule, name, allValue] of [['template-namespace-rule', 'namespace', '.+'], ['template-cluster-rule', 'cluster', '.*']] as const) {
    const v = variables.find((t) => t['name'] === name);
    if (!v) {
      add(rule, `is missing the ${name} variable`);
      continue;
    }
    if (!DATASOURCE_UIDS.has(v['datasource']?.uid)) add(rule, `${name} variable should use the data source $datasource, uses "${v['datasource']?.uid}"`);
    if (v['type'] !== 'query') add(rule, `${name} variable should be a Prometheus query, is "${v['type']}"`);
    if (v['label'] !== title(name)) add(rule, `${name} variable should be labelled "${title(name)}", is "${v['label']}"`);
    if (v['multi'] !== true) add(rule, `${name} variable should be a multi select`);
    if (v['allValue'] !== allValue) add(rule, `${name} variable allValue should be "${allValue}", is "${v['allValue']}"`);
  }

  for (const v of variables.filter((t) => t['type'] === 'query')) {
    const problem = variableQueryProblem(String(typeof v['query'] === 'string' ? v['query'] : (v['query']?.query ?? '')));
    if (problem) add('template-label-promql-rule', `variable ${v['name']}: ${problem}`);
    if (v['refresh'] !== 2) add('template-on-time-change-reload', `variable ${v['name']} should refresh on time range change (2), is ${v['refresh']}`);
  }

  const panels: Json[] = (d['panels'] ?? []).flatMap((p: Json) => (p['type'] === 'row' ? (p['panels'] ?? []) : [p]));
  for (const p of panels) {
    const type = String(p['type']);
    if (!QUERY_PANELS.has(type)) continue;
    const where = `panel "${p['title']}"`;
    if (!DATASOURCE_UIDS.has(p['datasource']?.uid)) add('panel-datasource-rule', `${where} does not use the templated data source, uses "${p['datasource']?.uid}"`);
    if (!p['title'] || !p['description']) add('panel-title-description-rule', `${where} has no title or no description`);
    const unit = p['fieldConfig']?.defaults?.unit;
    if (VALUE_PANELS.has(type) && !UNITS.has(unit)) add('panel-units-rule', `${where} has no or an unknown unit: "${unit ?? ''}"`);
    const targets: Json[] = Array.isArray(p['targets']) ? p['targets'] : [];
    if (targets.length === 0) add('panel-no-targets-rule', `${where} has no targets`);
    for (const t of targets) {
      if (t['datasource'] && !DATASOURCE_UIDS.has(t['datasource'].uid)) add('panel-datasource-rule', `${where} target ${t['refId']} does not use the templated data source`);
      lintQuery(String(t['expr'] ?? ''), `${where} target ${t['refId']}`, options, add);
    }
  }
  for (const a of (d['annotations']?.list ?? []) as Json[]) {
    if (a['datasource']?.type === 'prometheus') lintQuery(String(a['expr'] ?? ''), `annotation "${a['name']}"`, options, add);
  }
  return problems;
}

function lintQuery(expr: string, where: string, options: DashboardLintOptions, add: (rule: DashboardLintRule, message: string) => void): void {
  if (expr.trim() === '') {
    add('target-promql-rule', `${where} has an empty query`);
    return;
  }
  const selectors = vectorSelectors(expr);
  if (!selectors) {
    add('target-promql-rule', `${where}: invalid PromQL "${expr}"`);
    return;
  }
  const scoped = (m: LabelMatcher, name: string): boolean => m.label === name && m.op === '=~' && m.value === `$${name}`;
  for (const s of selectors) {
    const shown = s.metric ?? '{...}';
    if (s.rangeFunction && RATE_FUNCTIONS.has(s.rangeFunction) && s.range !== '$__rate_interval' && !(s.rangeFunction === 'increase' && s.range === '$__range')) {
      add('target-rate-interval-rule', `${where}: ${s.rangeFunction}(${shown}[${s.range}]) should use $__rate_interval`);
    }
    if (!s.matchers.some((m) => scoped(m, 'namespace'))) add('target-namespace-rule', `${where}: selector ${shown} has no matcher namespace=~"$namespace"`);
    if (!s.matchers.some((m) => scoped(m, 'cluster'))) add('target-cluster-rule', `${where}: selector ${shown} has no matcher cluster=~"$cluster"`);
    const counter = s.metric !== undefined && (s.metric.endsWith('_total') || (options.counters?.has(s.metric) ?? false));
    if (counter && !(s.rangeFunction && RATE_FUNCTIONS.has(s.rangeFunction))) add('target-counter-agg-rule', `${where}: counter ${shown} is not read through rate, irate or increase`);
  }
}

/** Why a query variable's query is not one Grafana's Prometheus data source runs, if it is not. */
function variableQueryProblem(query: string): string | undefined {
  const call = /^\s*([a-z_]+)\((.*)\)\s*$/s.exec(query);
  if (!call || !VARIABLE_FUNCTIONS.has(call[1]!)) return `"${query}" is not label_names(), label_values(), metrics() or query_result()`;
  const [, fn, args] = call as unknown as [string, string, string];
  if (fn === 'label_values') {
    const m = /^(.*?)(?:,\s*)?([a-zA-Z_]\w*)\s*$/s.exec(args);
    const selector = m?.[1]?.trim() ?? '';
    if (selector !== '' && vectorSelectors(selector)?.length !== 1) return `"${selector}" is not a series selector`;
    return undefined;
  }
  if (fn === 'query_result' && !vectorSelectors(args)) return `"${args}" is not valid PromQL`;
  return undefined;
}
