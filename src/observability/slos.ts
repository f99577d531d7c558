import type { Duration } from './_duration.ts';
import { num } from './_duration.ts';
import { constant, counterRatio, type Priority, type TestSeries } from './alerts.ts';
import type { MetricOwner } from './metrics-catalogue.ts';

/** A service level objective of spec section 8, measured as a ratio of bad events. */
export interface SloDefinition {
  /** Short name, the `slo` label of its recording rules and alerts. */
  readonly name: string;
  /** Used in alert names, e.g. `Availability`. */
  readonly title: string;
  /** Target fraction of good events, e.g. 0.999. */
  readonly objective: number;
  readonly service: MetricOwner;
  /** What a bad event is, for summaries and runbooks. */
  readonly meaning: string;
  /** Rules computed every evaluation before the windowed ratios (e.g. an instant ratio). */
  readonly instantRules?: readonly { readonly record: string; readonly expr: string }[];
  /** PromQL of the ratio of bad events over `window`. */
  readonly errorRatio: (window: Duration) => string;
  /**
   * Test input holding the error ratio near `ratio`; returns the ratio it actually produces
   * (exactly `ratio` for counters, a fraction k/n when it counts series).
   */
  readonly fixture: (ratio: number, steps: number, above: boolean) => { readonly series: readonly TestSeries[]; readonly ratio: number };
}

/** A multi-window, multi-burn-rate alert (Google SRE workbook, chapter 5). */
export interface BurnRateWindow {
  /** Suffix of the alert name. */
  readonly speed: 'Fast' | 'Medium' | 'Slow' | 'Gradual';
  readonly factor: number;
  readonly long: Duration;
  readonly short: Duration;
  /** Pages go to PagerDuty (P2), tickets to chat (P3). */
  readonly priority: Priority;
}

/** The workbook's windows: 14.4x over 1h/5m and 6x over 6h/30m page; 3x over 1d/2h and 1x over 3d/6h ticket. */
export const BURN_RATE_WINDOWS: readonly BurnRateWindow[] = [
  { speed: 'Fast', factor: 14.4, long: '1h', short: '5m', priority: 'P2' },
  { speed: 'Medium', factor: 6, long: '6h', short: '30m', priority: 'P2' },
  { speed: 'Slow', factor: 3, long: '1d', short: '2h', priority: 'P3' },
  { speed: 'Gradual', factor: 1, long: '3d', short: '6h', priority: 'P3' },
];

/** Name of the recording rule holding an SLO's error ratio over `window`, in the rules named `prefix`. */
export function errorRatioRecord(prefix: string, window: Duration): string {
  return `${prefix}_slo:error_ratio:rate${window}`;
}

/** Windows any burn-rate alert reads, in ascending length. */
export const SLO_WINDOWS: readonly Duration[] = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'];

/** Freshness bound of spec section 8, in seconds. */
export const FRESHNESS_BOUND_SECONDS = 900;
/** Read latency bound of spec section 8, in milliseconds (a bucket boundary of cin_query_latency_ms). */
export const READ_LATENCY_BOUND_MS = 400;

/** The smallest k/n (n <= 200) strictly above `ratio` (or the largest strictly below), to count stale series. */
function fraction(ratio: number, above: boolean): { k: number; n: number } {
  for (let n = 1; n <= 200; n++) {
    const k = above ? Math.floor(ratio * n) + 1 : Math.ceil(ratio * n) - 1;
    const r = k / n;
    if (k >= 0 && k <= n && (above ? r <= ratio * 1.1 : r >= ratio * 0.9)) return { k, n };
  }
  throw new Error(`no fraction within 10% of ${ratio}`);
}

/** The SLOs of spec section 8. */
export const SPEC_SLOS: readonly SloDefinition[] = [
  {
    name: 'availability',
    title: 'Availability',
    objective: 0.999,
    service: 'envoy-edge',
    meaning: 'a request answered by the edge with a 5xx status',
    errorRatio: (w) =>
      `sum(rate(envoy_http_downstream_rq_xx{envoy_response_code_class="5"}[${w}])) / sum(rate(envoy_http_downstream_rq_xx[${w}]))`,
    fixture: (ratio, steps) => ({
      series: counterRatio('envoy_http_downstream_rq_xx{envoy_response_code_class="5"}', 'envoy_http_downstream_rq_xx{envoy_response_code_class="2"}', ratio, steps),
      ratio,
    }),
  },
  {
    name: 'read-latency',
    title: 'ReadLatency',
    // p95 <= 400 ms: at most 5% of searches may take longer than 400 ms.
    objective: 0.95,
    service: 'cin-node',
    meaning: `a search that took longer than ${READ_LATENCY_BOUND_MS} ms`,
    errorRatio: (w) =>
      `1 - sum(rate(cin_query_latency_ms_bucket{le="${READ_LATENCY_BOUND_MS}"}[${w}])) / sum(rate(cin_query_latency_ms_count[${w}]))`,
    fixture: (ratio, steps) => ({
      series: [
        { series: `cin_query_latency_ms_bucket{le="${READ_LATENCY_BOUND_MS}"}`, values: `0+${num(1000 * (1 - ratio))}x${steps}` },
        { series: 'cin_query_latency_ms_count', values: `0+1000x${steps}` },
      ],
      ratio,
    }),
  },
  {
    name: 'freshness',
    title: 'Freshness',
    objective: 0.99,
    service: 'cin-node',
    meaning: `a minute in which a language's snapshot was older than ${FRESHNESS_BOUND_SECONDS} s`,
    instantRules: [{ record: 'crumpet_slo:snapshot_stale:ratio', expr: `avg(snapshot_age_seconds > bool ${FRESHNESS_BOUND_SECONDS})` }],
    errorRatio: (w) => `avg_over_time(crumpet_slo:snapshot_stale:ratio[${w}])`,
    fixture: (ratio, steps, above) => {
      const { k, n } = fraction(ratio, above);
      const series = Array.from({ length: n }, (_, i) =>
        constant(`snapshot_age_seconds{lang="l${String(i).padStart(3, '0')}"}`, i < k ? FRESHNESS_BOUND_SECONDS + 100 : 60, steps),
      );
      return { series, ratio: k / n };
    },
  },
];
