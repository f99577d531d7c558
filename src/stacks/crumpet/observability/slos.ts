import { constant, counterRatio, num, sloRecord, type SloDefinition } from '../../../observability/index.ts';

/** Freshness bound of spec section 8, in seconds. */
export const FRESHNESS_BOUND_SECONDS = 900;
/** Read latency bound of spec section 8, in milliseconds (a bucket boundary of cin_query_latency_ms). */
export const READ_LATENCY_BOUND_MS = 400;

/** The freshness SLO's instant share of stale languages, recorded below the rules' `<prefix>_slo:`. */
export const SNAPSHOT_STALE_RECORD = 'snapshot_stale:ratio';

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
    latencyBoundMs: READ_LATENCY_BOUND_MS,
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
    instantRules: [{ record: SNAPSHOT_STALE_RECORD, expr: `avg(snapshot_age_seconds > bool ${FRESHNESS_BOUND_SECONDS})` }],
    errorRatio: (w, prefix) => `avg_over_time(${sloRecord(prefix, SNAPSHOT_STALE_RECORD)}[${w}])`,
    fixture: (ratio, steps, above) => {
      const { k, n } = fraction(ratio, above);
      const series = Array.from({ length: n }, (_, i) =>
        constant(`snapshot_age_seconds{lang="l${String(i).padStart(3, '0')}"}`, i < k ? FRESHNESS_BOUND_SECONDS + 100 : 60, steps),
      );
      return { series, ratio: k / n };
    },
  },
];
