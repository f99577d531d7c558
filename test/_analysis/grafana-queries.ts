/*
 * The PromQL a Grafana dashboard sends to Prometheus, with its variables replaced the way Grafana
 * replaces them before a query leaves the browser.
 *
 * Time: the dashboard's range (`time.from` as `now-<duration>`) ending at `now`. Each target runs
 * as a range query (Grafana's default) or, with `instant: true` and no `range`, an instant one.
 * `$__interval` is the range over the panel's data points (its `maxDataPoints`, else its width in
 * pixels on a 1920-pixel screen), rounded as Grafana rounds it and no shorter than the panel's
 * `interval` or the data source's scrape interval; `$__rate_interval` is the larger of
 * `$__interval` plus the scrape interval and four scrape intervals; `$__range` the range.
 * @see https://grafana.com/docs/grafana/latest/datasources/prometheus/template-variables/
 *
 * Variables, in order, each able to use the ones before it: `custom`, `constant`, `textbox` and
 * `interval` take their options; `query` asks Prometheus (`label_values(label)`,
 * `label_values(selector, label)`, `metrics(regex)`, `query_result(expr)`), then applies the
 * variable's `regex`. The value chosen is the one the environment prescribes for the variable's
 * label (its namespace), else the saved current value when still an option, else the first option
 * (what Grafana shows on first load); a variable without options is empty. Targets of panels in
 * collapsed rows count; hidden targets and targets of another data source type do not.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

/** One query a dashboard sends. */
export interface DashboardQuery {
  readonly dashboard: string;
  readonly panel: string;
  readonly refId: string;
  /** The target's expression as written. */
  readonly source: string;
  /** The expression sent, variables replaced. */
  readonly expr: string;
  /** Instant query at `end`, or range query from `start` to `end` every `step` seconds. */
  readonly instant: boolean;
  readonly start: number;
  readonly end: number;
  readonly step: number;
}

/** What expanding a dashboard needs from the environment. */
export interface GrafanaEnvironment {
  /** Grafana's "now", Unix seconds. */
  readonly now: number;
  /** The Prometheus data source's scrape interval, seconds. */
  readonly scrapeInterval: number;
  /** Values the environment prescribes, by label name (e.g. its namespace). */
  readonly preferred: Readonly<Record<string, string>>;
  labelValues(label: string, match: readonly string[], start: number, end: number): Promise<string[]>;
  instantQuery(expr: string, time: number): Promise<readonly { metric: Readonly<Record<string, string>>; value?: readonly [number, string] }[]>;
}

/** Grafana's interval rounding (kbn.roundInterval), in milliseconds: below each bound, the interval. */
const ROUNDING: readonly (readonly [number, number])[] = [
  [15, 10], [35, 20], [75, 50], [150, 100], [350, 200], [750, 500], [1500, 1000], [3500, 2000], [7500, 5000], [12500, 10000],
  [17500, 15000], [25000, 20000], [45000, 30000], [90000, 60000], [180000, 120000], [450000, 300000], [1050000, 600000],
  [1500000, 900000], [2700000, 1200000], [5400000, 1800000], [9000000, 3600000], [16200000, 7200000], [27000000, 10800000],
  [43200000, 21600000], [108000000, 43200000], [172800000, 86400000],
];

function roundInterval(ms: number): number {
  if (ms <= 10) return 1;
  return ROUNDING.find(([bound]) => ms <= bound)?.[1] ?? 604800000;
}

/** Seconds as a Prometheus duration (`30s`, `2m`, `1h`). */
function promDuration(seconds: number): string {
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60}m`;
  return Number.isInteger(seconds) ? `${seconds}s` : `${Math.round(seconds * 1000)}ms`;
}

function durationOf(text: string): number {
  const m = /^(\d+)(s|m|h|d|w)$/.exec(text);
  if (!m) throw new Error(`unsupported duration "${text}"`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[m[2] as 's' | 'm' | 'h' | 'd' | 'w'];
}

/** Seconds covered by the dashboard's time picker (`now-6h` to `now`). */
function rangeOf(dashboard: Obj): number {
  const from = String(dashboard.time?.from ?? 'now-6h');
  const to = String(dashboard.time?.to ?? 'now');
  if (!from.startsWith('now-') || to !== 'now') throw new Error(`dashboard "${dashboard.title}": time range ${from} to ${to} is not modelled`);
  return durationOf(from.slice(4));
}

const escapeRegex = (v: string): string => v.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');

/** Replaces `$v`, `${v}`, `${v:format}` and `[[v]]`; names it cannot resolve are reported. */
function interpolate(text: string, values: ReadonlyMap<string, string>, unresolved: Set<string>): string {
  return text.replace(/\$\{(\w+)(?::(\w+))?\}|\[\[(\w+)(?::(\w+))?\]\]|\$(\w+)/g, (whole, a?: string, fa?: string, b?: string, fb?: string, c?: string) => {
    const name = (a ?? b ?? c)!;
    const value = values.get(name);
    if (value === undefined) {
      unresolved.add(name);
      return whole;
    }
    return (fa ?? fb) === 'regex' ? escapeRegex(value) : value;
  });
}

/** Options of a `query` variable, asked of Prometheus. */
async function queryOptions(query: string, env: GrafanaEnvironment, start: number): Promise<{ options: string[]; label?: string }> {
  const trimmed = query.trim();
  let m = /^label_values\(\s*([a-zA-Z_][\w]*)\s*\)$/.exec(trimmed);
  if (m) return { options: await env.labelValues(m[1]!, [], start, env.now), label: m[1]! };
  m = /^label_values\(\s*(.+)\s*,\s*([a-zA-Z_][\w]*)\s*\)$/.exec(trimmed);
  if (m) return { options: await env.labelValues(m[2]!, [m[1]!.trim()], start, env.now), label: m[2]! };
  m = /^metrics\((.*)\)$/.exec(trimmed);
  if (m) {
    const pattern = new RegExp(m[1]!.trim());
    return { options: (await env.labelValues('__name__', [], start, env.now)).filter((n) => pattern.test(n)) };
  }
  m = /^query_result\((.+)\)$/.exec(trimmed);
  if (m) {
    const series = await env.instantQuery(m[1]!, env.now);
    return { options: series.map((s) => `${s.metric['__name__'] ?? ''}{${Object.entries(s.metric).filter(([k]) => k !== '__name__').map(([k, v]) => `${k}="${v}"`).join(', ')}} ${s.value?.[1] ?? ''} ${(s.value?.[0] ?? 0) * 1000}`) };
  }
  throw new Error(`unsupported query variable "${query}"`);
}

/** Applies a variable's `regex` (`/pattern/flags`): matching options, by their first capture group when there is one. */
function filterOptions(options: readonly string[], regex: string | undefined): string[] {
  if (!regex) return [...options];
  const m = /^\/(.*)\/([gimsuy]*)$/.exec(regex);
  const pattern = m ? new RegExp(m[1]!, m[2]!.replace('g', '')) : new RegExp(regex);
  return [...new Set(options.flatMap((o) => {
    const hit = pattern.exec(o);
    return hit ? [hit[1] ?? hit[0]] : [];
  }))];
}

/** Every query a dashboard sends in the environment, and what kept others from being expanded. */
export async function dashboardQueries(dashboard: Obj, env: GrafanaEnvironment): Promise<{ queries: DashboardQuery[]; problems: string[] }> {
  const range = rangeOf(dashboard);
  const start = env.now - range;
  const values = new Map<string, string>([['__range', promDuration(range)], ['__range_s', String(range)], ['__range_ms', String(range * 1000)]]);
  const problems: string[] = [];
  for (const v of (dashboard.templating?.list ?? []) as Obj[]) {
    if (v.type === 'adhoc') continue;
    if (v.type === 'datasource') {
      values.set(v.name, String(v.current?.value ?? v.query));
      continue;
    }
    const unresolved = new Set<string>();
    let options: string[];
    let label: string | undefined;
    const raw = typeof v.query === 'string' ? v.query : String(v.query?.query ?? '');
    if (v.type === 'query') {
      const asked = await queryOptions(interpolate(raw, values, unresolved), env, start);
      options = filterOptions(asked.options, v.regex);
      label = asked.label;
    } else if (v.type === 'custom' || v.type === 'interval') {
      options = raw.split(',').map((o: string) => o.trim().split(' : ').pop()!.trim()).filter((o: string) => o !== '');
    } else if (v.type === 'constant' || v.type === 'textbox') {
      options = [String(v.current?.value ?? raw)];
    } else {
      problems.push(`variable $${v.name}: type ${v.type} is not modelled`);
      continue;
    }
    if (unresolved.size > 0) problems.push(`variable $${v.name}: its query uses unknown variables ${[...unresolved].map((n) => `$${n}`).join(', ')}`);
    const current = typeof v.current?.value === 'string' ? v.current.value : undefined;
    const preferred = label !== undefined ? env.preferred[label] : env.preferred[v.name];
    const chosen = preferred !== undefined && options.includes(preferred) ? preferred : current !== undefined && options.includes(current) ? current : (options[0] ?? '');
    values.set(v.name, chosen);
  }

  const queries: DashboardQuery[] = [];
  const panels = ((dashboard.panels ?? []) as Obj[]).flatMap((p) => (p.type === 'row' ? ((p.panels ?? []) as Obj[]) : [p]));
  for (const panel of panels) {
    const maxDataPoints = panel.maxDataPoints ?? Math.round(((panel.gridPos?.w ?? 12) / 24) * 1920);
    const lowest = panel.interval ? durationOf(String(panel.interval).replace(/^>=/, '')) : env.scrapeInterval;
    const interval = Math.max(roundInterval((range * 1000) / maxDataPoints) / 1000, lowest);
    const rate = Math.max(interval + env.scrapeInterval, 4 * env.scrapeInterval);
    const own = new Map([
      ...values,
      ['__interval', promDuration(interval)],
      ['__interval_ms', String(interval * 1000)],
      ['__rate_interval', promDuration(rate)],
      ['__rate_interval_ms', String(rate * 1000)],
    ]);
    for (const t of (panel.targets ?? []) as Obj[]) {
      const type = t.datasource?.type ?? panel.datasource?.type ?? 'prometheus';
      if (t.hide === true || type !== 'prometheus') continue;
      const source = String(t.expr ?? '');
      const unresolved = new Set<string>();
      const expr = interpolate(source, own, unresolved);
      if (unresolved.size > 0) problems.push(`panel "${panel.title}" target ${t.refId}: unknown variables ${[...unresolved].map((n) => `$${n}`).join(', ')}`);
      const instant = t.instant === true && t.range !== true;
      queries.push({ dashboard: String(dashboard.title), panel: String(panel.title), refId: String(t.refId), source, expr, instant, start: Math.floor(start / interval) * interval, end: env.now, step: interval });
    }
  }
  return { queries, problems };
}
