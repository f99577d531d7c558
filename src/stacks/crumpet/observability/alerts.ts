import { constant, num, type AlertDefinition, type TestSeries } from '../../../observability/index.ts';

/**
 * Histogram buckets at 1000 and 2500 ms (and +Inf) growing by 100 per minute, with the 1000 ms
 * bucket chosen so that histogram_quantile(0.95) interpolates to `p95` (1000 < p95 < 2500).
 */
function latencyBuckets(metric: string, p95: number, steps: number): TestSeries[] {
  const f = (p95 - 1000) / 1500;
  const below = (95 - 100 * f) / (1 - f);
  return [
    { series: `${metric}{le="1000"}`, values: `0+${num(below)}x${steps}` },
    { series: `${metric}{le="2500"}`, values: `0+100x${steps}` },
    { series: `${metric}{le="+Inf"}`, values: `0+100x${steps}` },
  ];
}

const RATE_WARMUP = 60;
const INDEX_PVC = 'index-cin-node-en-0-0';

/**
 * Every alert of spec section 8, with its threshold and duration exactly as the spec gives them.
 * Each keeps the `namespace` of its series, so it reaches the routes of its environment.
 */
export const SPEC_ALERTS: readonly AlertDefinition[] = [
  {
    name: 'SearchLatencyHigh',
    query: 'histogram_quantile(0.95, sum by (namespace, le) (rate(cin_query_latency_ms_bucket[5m])))',
    op: '>',
    threshold: 1500,
    for: '15m',
    priority: 'P1',
    service: 'cin-node',
    summary: 'Search p95 latency is above 1.5 s',
    description: 'The 95th percentile of CIN query latency has stayed above 1500 ms for 15 minutes.',
    runbook: 'search-latency-high',
    series: (v, _t, steps) => latencyBuckets('cin_query_latency_ms_bucket', v, steps),
    warmupSeconds: RATE_WARMUP,
  },
  {
    name: 'SnapshotStale',
    query: 'max by (namespace, lang) (snapshot_age_seconds)',
    op: '>',
    threshold: 1800,
    priority: 'P1',
    service: 'cin-node',
    summary: 'The {{ $labels.lang }} index snapshot is stale',
    description: 'The last index snapshot of language {{ $labels.lang }} is more than 1800 seconds old.',
    runbook: 'r1-snapshot-stale',
    outputLabels: { lang: 'en' },
    series: (v, _t, steps) => [constant('snapshot_age_seconds{lang="en"}', v, steps)],
  },
  {
    name: 'IndexVolumeUsageHigh',
    query:
      'kubelet_volume_stats_used_bytes{persistentvolumeclaim=~"index-cin-node-.*"} / kubelet_volume_stats_capacity_bytes{persistentvolumeclaim=~"index-cin-node-.*"}',
    op: '>',
    threshold: 0.8,
    priority: 'P2',
    service: 'cin-node',
    summary: 'Index volume {{ $labels.persistentvolumeclaim }} is more than 80% full',
    description: 'The CIN index volume {{ $labels.persistentvolumeclaim }} has used more than 80% of its capacity.',
    runbook: 'index-volume-usage-high',
    outputLabels: { persistentvolumeclaim: INDEX_PVC },
    series: (v, _t, steps) => [
      constant(`kubelet_volume_stats_used_bytes{persistentvolumeclaim="${INDEX_PVC}"}`, v * 50e9, steps),
      constant(`kubelet_volume_stats_capacity_bytes{persistentvolumeclaim="${INDEX_PVC}"}`, 50e9, steps),
    ],
  },
  {
    name: 'CertificateExpiringSoon',
    // cert-manager's metrics are scraped in its own namespace: the certificate's namespace is
    // `exported_namespace` there, made the alert's `namespace` so that it routes to the
    // certificate's owners (kept as it is when the scrape honours the exporter's labels).
    query:
      '(max by (namespace, name) (label_replace(certmanager_certificate_expiration_timestamp_seconds, "namespace", "$1", "exported_namespace", "(.+)")) - time()) / 86400',
    op: '<',
    threshold: 7,
    priority: 'P3',
    service: 'cert-manager',
    summary: 'Certificate {{ $labels.name }} expires in less than 7 days',
    description: 'cert-manager has not renewed certificate {{ $labels.name }}; it expires in less than 7 days.',
    runbook: 'certificate-expiring-soon',
    outputLabels: { name: 'edge-tls' },
    series: (v, t, steps, namespace) => [
      constant(`certmanager_certificate_expiration_timestamp_seconds{name="edge-tls",namespace="cert-manager",exported_namespace="${namespace}"}`, t + v * 86400, steps),
    ],
  },
];
