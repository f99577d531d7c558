import { minutes, seconds, type Duration } from './_duration.ts';
import type { AlertDefinition, Priority } from './alerts.ts';
import type { MetricDefinition, MetricOwner, MetricsCatalogue } from './metrics-catalogue.ts';
import { selectedMetrics } from './promql.ts';
import { BURN_RATE_WINDOWS, SLO_WINDOWS, type SloDefinition } from './slos.ts';

/**
 * How long Prometheus keeps showing a series after its last sample (its default lookback
 * delta): the shortest `for` a missing-data alert gets, so one failed scrape pages no one.
 * @see https://prometheus.io/docs/prometheus/latest/querying/basics/#staleness
 */
export const MISSING_DATA_FLOOR: Duration = '5m';

const PRIORITY_ORDER: readonly Priority[] = ['P1', 'P2', 'P3'];

/** A rule that reads catalogued metrics, and what missing data costs it. */
interface Reader {
  /** The alert, or the SLO's burn-rate alerts. */
  readonly name: string;
  readonly metrics: readonly MetricDefinition[];
  /** Seconds of missing data after which it can no longer fire: its shortest range (0 for instant selectors). */
  readonly blindAfter: number;
  /** The highest priority it would have sent. */
  readonly priority: Priority;
}

/** One component (metric owner) whose series feed alerts or SLOs, watched for missing data. */
export interface MissingDataWatch {
  readonly owner: MetricOwner;
  /** Its metrics that alerts and SLOs read (present from the start), by name. */
  readonly metrics: readonly MetricDefinition[];
  /** What goes blind while they are missing: alert names, and `<slo> SLO` for an SLO's burn-rate alerts. */
  readonly readers: readonly string[];
  /**
   * How long the series must be missing: the shortest window among the readers (once the data
   * has been gone that long, that alert sees nothing in its window and cannot fire), at least
   * {@link MISSING_DATA_FLOOR}.
   */
  readonly for: Duration;
  /** The highest priority among the readers: while the data is missing, this alert sends their page. */
  readonly priority: Priority;
}

/** The longest range of the range selectors in `expr` (`[5m]`, `[1h:1m]`), in seconds; 0 when it has none. */
function longestRange(expr: string): number {
  return Math.max(0, ...[...expr.matchAll(/\[(\d+[smhd])(?::[^\]]*)?\]/g)].map((m) => seconds(m[1] as Duration)));
}

function catalogued(exprs: readonly string[], catalogue: MetricsCatalogue): MetricDefinition[] {
  const found = exprs.flatMap((e) => selectedMetrics(e)).flatMap((n) => catalogue.lookup(n) ?? []);
  return [...new Map(found.map((m) => [m.name, m])).values()];
}

/**
 * The components whose metrics feed the threshold alerts and SLOs, one watch each: the metrics
 * read (those present only after an event excepted), the readers that go blind without them,
 * the `for` derived from the readers' windows and the priority of the readers.
 * @param prefix the rules' name, which SLO error ratios use for their own recordings
 */
export function missingDataWatches(alerts: readonly AlertDefinition[], slos: readonly SloDefinition[], catalogue: MetricsCatalogue, prefix: string): MissingDataWatch[] {
  // An SLO's fastest burn-rate alert reads its shortest window.
  const sloBlindAfter = Math.min(...BURN_RATE_WINDOWS.map((w) => seconds(w.short)));
  const sloPriority = PRIORITY_ORDER.find((p) => BURN_RATE_WINDOWS.some((w) => w.priority === p))!;
  const readers: Reader[] = [
    ...alerts.map((a) => ({ name: a.name, metrics: catalogued([a.query], catalogue), blindAfter: longestRange(a.query), priority: a.priority })),
    ...slos.map((s) => ({
      name: `${s.name} SLO`,
      metrics: catalogued([...SLO_WINDOWS.map((w) => s.errorRatio(w, prefix)), ...(s.instantRules ?? []).map((r) => r.expr)], catalogue),
      blindAfter: sloBlindAfter,
      priority: sloPriority,
    })),
  ];
  const byOwner = new Map<MetricOwner, { metrics: Map<string, MetricDefinition>; readers: Reader[] }>();
  for (const r of readers) {
    for (const m of r.metrics.filter((x) => (x.presence ?? 'always') === 'always')) {
      const entry = byOwner.get(m.owner) ?? { metrics: new Map<string, MetricDefinition>(), readers: [] as Reader[] };
      entry.metrics.set(m.name, m);
      if (!entry.readers.includes(r)) entry.readers.push(r);
      byOwner.set(m.owner, entry);
    }
  }
  return [...byOwner.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([owner, { metrics, readers: rs }]) => {
      const blind = Math.max(seconds(MISSING_DATA_FLOOR), Math.min(...rs.map((r) => r.blindAfter)));
      return {
        owner,
        metrics: [...metrics.values()].sort((a, b) => (a.name < b.name ? -1 : 1)),
        readers: rs.map((r) => r.name).sort(),
        for: blind % 60 === 0 ? minutes(blind) : (`${blind}s` as Duration),
        priority: PRIORITY_ORDER.find((p) => rs.some((r) => r.priority === p))!,
      };
    });
}

/** The series a missing-data alert looks for: a histogram's `_count`, else the metric. */
export function watchedSeries(m: MetricDefinition): string {
  return m.type === 'histogram' ? `${m.name}_count` : m.name;
}

/**
 * The alert expression: any watched metric without a series in `namespace` (in every namespace
 * together when none is given). `absent()` keeps the selector's equality matchers as labels, so
 * the alert carries the namespace; where the namespace is another label (`exported_namespace`)
 * a regex matcher keeps it off and `label_replace` sets `namespace`, the label routes match.
 */
export function missingDataExpr(w: MissingDataWatch, namespace?: string): string {
  return w.metrics
    .map((m) => {
      const series = watchedSeries(m);
      if (!namespace) return `absent(${series})`;
      const label = m.namespaceLabel ?? 'namespace';
      if (label === 'namespace') return `absent(${series}{namespace="${namespace}"})`;
      return `label_replace(absent(${series}{${label}=~"${namespace}"}), "namespace", "${namespace}", "", "")`;
    })
    .join(' or ');
}

/** `cin-node` as `CinNode`. */
export function pascal(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter((p) => p !== '')
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
}
