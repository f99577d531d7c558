import { bucketMatcher, counterPhases, counterRatioPhases, sloRecord, type FixturePhase, type SloDefinition } from '../../../observability/index.ts';

/** Freshness bound of spec section 8, in seconds. */
export const FRESHNESS_BOUND_SECONDS = 900;
/** Read latency bound of spec section 8, in milliseconds (a bucket boundary of cin_query_latency_ms). */
export const READ_LATENCY_BOUND_MS = 400;
/** How long a WebSocket client must stay connected without a server-initiated drop (spec section 8), in seconds: a bucket boundary of ws_session_duration_seconds. */
export const WS_SESSION_BOUND_SECONDS = 3600;

/** The freshness SLO's instant share of stale languages, recorded below the rules' `<prefix>_slo:`. */
export const SNAPSHOT_STALE_RECORD = 'snapshot_stale:ratio';

/** The smallest k/n (n <= 200) strictly above `ratio` (or the largest strictly below) within 2%, to count stale series. */
function fraction(ratio: number, above: boolean): { k: number; n: number } {
  for (let n = 1; n <= 200; n++) {
    const k = above ? Math.floor(ratio * n) + 1 : Math.ceil(ratio * n) - 1;
    const r = k / n;
    if (k >= 0 && k <= n && (above ? r <= ratio * 1.02 : r >= ratio * 0.98)) return { k, n };
  }
  throw new Error(`no fraction within 2% of ${ratio}`);
}

/** The one non-zero ratio of a fixture's phases (0 when all are). */
function peak(phases: readonly FixturePhase[]): number {
  return Math.max(...phases.map((p) => p.ratio));
}

/** The SLOs of spec section 8; every error ratio is per namespace, so each environment burns its own budget. */
export const SPEC_SLOS: readonly SloDefinition[] = [
  {
    name: 'availability',
    title: 'Availability',
    objective: 0.999,
    service: 'envoy-edge',
    meaning: 'a request answered by the edge with a 5xx status',
    errorRatio: (w) =>
      `sum by (namespace) (rate(envoy_http_downstream_rq_xx{envoy_response_code_class="5"}[${w}])) / sum by (namespace) (rate(envoy_http_downstream_rq_xx[${w}]))`,
    fixture: (phases) => ({
      series: counterRatioPhases('envoy_http_downstream_rq_xx{envoy_response_code_class="5"}', 'envoy_http_downstream_rq_xx{envoy_response_code_class="2"}', phases),
      ratio: peak(phases),
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
      `1 - sum by (namespace) (rate(cin_query_latency_ms_bucket{${bucketMatcher(READ_LATENCY_BOUND_MS)}}[${w}])) / sum by (namespace) (rate(cin_query_latency_ms_count[${w}]))`,
    // Two pods whose clients write the bound differently: `400` (a fifth of the searches) and
    // `400.0`; a selector on one spelling sees most searches as slow.
    fixture: (phases) => ({
      series: [
        { pod: 'a', le: `${READ_LATENCY_BOUND_MS}`, share: 200 },
        { pod: 'b', le: `${READ_LATENCY_BOUND_MS}.0`, share: 800 },
      ].flatMap(({ pod, le, share }) => [
        {
          series: `cin_query_latency_ms_bucket{pod="cin-node-${pod}",le="${le}"}`,
          values: counterPhases(phases.map((p) => ({ perStep: share * (1 - p.ratio), steps: p.steps }))),
        },
        { series: `cin_query_latency_ms_count{pod="cin-node-${pod}"}`, values: counterPhases(phases.map((p) => ({ perStep: share, steps: p.steps }))) },
      ]),
      ratio: peak(phases),
    }),
  },
  {
    name: 'freshness',
    title: 'Freshness',
    objective: 0.99,
    service: 'cin-node',
    meaning: `a minute in which a language's snapshot was older than ${FRESHNESS_BOUND_SECONDS} s`,
    warmupSamples: 0,
    instantRules: [{ record: SNAPSHOT_STALE_RECORD, expr: `avg by (namespace) (snapshot_age_seconds > bool ${FRESHNESS_BOUND_SECONDS})` }],
    errorRatio: (w, prefix) => `avg_over_time(${sloRecord(prefix, SNAPSHOT_STALE_RECORD)}[${w}])`,
    // n languages, k of them stale while a phase's ratio is not zero.
    fixture: (phases, above) => {
      const { k, n } = peak(phases) > 0 ? fraction(peak(phases), above) : { k: 0, n: 1 };
      const series = Array.from({ length: n }, (_, i) => ({
        series: `snapshot_age_seconds{lang="l${String(i).padStart(3, '0')}"}`,
        values: phases.map((p, j) => `${i < k && p.ratio > 0 ? FRESHNESS_BOUND_SECONDS + 100 : 60}+0x${j === 0 ? p.steps : p.steps - 1}`).join(' '),
      }));
      return { series, ratio: k / n };
    },
  },
  {
    name: 'websocket-uptime',
    title: 'WebSocketUptime',
    // More than 99% of clients stay connected at least an hour without a server-initiated drop.
    objective: 0.99,
    service: 'cin-node',
    meaning: `a WebSocket session the server closed within its first ${WS_SESSION_BOUND_SECONDS / 3600} h`,
    errorRatio: (w) =>
      `sum by (namespace) (rate(ws_session_duration_seconds_bucket{closed_by="server",${bucketMatcher(WS_SESSION_BOUND_SECONDS)}}[${w}])) / sum by (namespace) (rate(ws_session_duration_seconds_count[${w}]))`,
    // The client writes its bounds as floats (`3600.0`).
    fixture: (phases) => {
      const [dropped, clientClosed] = counterRatioPhases('ws_session_duration_seconds_count{closed_by="server"}', 'ws_session_duration_seconds_count{closed_by="client"}', phases);
      return {
        series: [{ series: `ws_session_duration_seconds_bucket{closed_by="server",le="${WS_SESSION_BOUND_SECONDS}.0"}`, values: dropped!.values }, dropped!, clientClosed!],
        ratio: peak(phases),
      };
    },
  },
];
