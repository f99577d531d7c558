import type { ComponentAlert } from '../../lib/index.ts';
import { constant, num, type TestSeries } from '../../observability/index.ts';
import { API_SERVICE, PVC_REGEX, STEMEDB } from './names.ts';

/*
 * The seed's six alerts (roadmap phase 2, alert-rules.yaml), as model alerts: each a query,
 * a threshold and the test input that puts the query at any value, so the promtool tests fire
 * just past the threshold and stay silent just before it. Where the seed's expression had to
 * change, src/stacks/stemedb/seed-differences.ts says why.
 */

const ESCALATION = 'Page the StemeDB on-call; after 30 minutes without progress involve the StemeDB maintainers.';
/** A ratio of rates is right from its second sample (both sides extrapolate alike). */
const RATE_WARMUP = 60;
const RATE_WINDOW_FILLED = 300;

/** Histogram buckets (25 ms, 100 ms, +Inf) growing 100 per minute so the 0.99 quantile interpolates to `p99` seconds (0.025 < p99 < 0.1). */
function fsyncBuckets(p99: number, steps: number): TestSeries[] {
  const f = (p99 - 0.025) / 0.075;
  const below = (99 - 100 * f) / (1 - f);
  const metric = 'stemedb_wal_fsync_latency_seconds_bucket{pod="stemedb-0"';
  return [
    { series: `${metric},le="0.025"}`, values: `0+${num(below)}x${steps}` },
    { series: `${metric},le="0.1"}`, values: `0+100x${steps}` },
    { series: `${metric},le="+Inf"}`, values: `0+100x${steps}` },
  ];
}

const WAL_PVC = `wal-${STEMEDB}-0`;

export const STEMEDB_ALERTS: readonly ComponentAlert[] = [
  {
    name: 'StemeDBPodNotRunning',
    query: `(sum(up{job="${API_SERVICE}"}) or vector(0))`,
    op: '<',
    threshold: 1,
    for: '2m',
    priority: 'P1',
    summary: 'StemeDB pod is not running',
    description: `No StemeDB member has answered a Prometheus scrape through the ${API_SERVICE} Service for 2 minutes.`,
    runbook: {
      name: 'stemedb-pod-not-running',
      title: 'StemeDBPodNotRunning',
      meaning: 'Prometheus reaches no StemeDB member: every target of the API Service is down or gone.',
      impact: 'The API is down for every project: writes and reads fail, Aphoria scans retry and then fail.',
      diagnosis: [
        '`kubectl -n <namespace> get pods -l app.kubernetes.io/name=stemedb` and `describe` the ones not Ready.',
        'Look for a startup probe failing while the WAL replays (`kubectl logs --previous`), an OOM kill, or a volume that will not attach (Longhorn events).',
        'Check that the ServiceMonitor still selects the API Service (a relabelled Service hides every target).',
      ],
      mitigation: [
        'If the WAL replay outlasts the startup window, raise `components.stemedb.walReplaySeconds` and synthesize again.',
        'If a volume is stuck attached to a dead node, force-detach it in Longhorn and delete the pod.',
        'Restore from the latest backup only when a volume is lost (see the disaster-recovery runbook).',
      ],
      escalation: ESCALATION,
    },
    series: (v, _t, steps) => [constant(`up{job="${API_SERVICE}",pod="stemedb-0"}`, v, steps)],
  },
  {
    name: 'StemeDBWALLatencyHigh',
    query: 'histogram_quantile(0.99, rate(stemedb_wal_fsync_latency_seconds_bucket[5m]))',
    op: '>',
    threshold: 0.05,
    for: '5m',
    priority: 'P2',
    summary: 'WAL fsync p99 > 50ms — Longhorn I/O degradation likely',
    description: 'The 99th percentile of WAL fsync latency of {{ $labels.pod }} has stayed above 50 ms for 5 minutes.',
    runbook: {
      name: 'stemedb-wal-latency-high',
      title: 'StemeDBWALLatencyHigh',
      meaning: 'WAL fsyncs of one member take more than 50 ms at the 99th percentile.',
      impact: 'Every acknowledged write waits for its fsync: write latency rises for every project on that member.',
      diagnosis: [
        'Compare the member\'s WAL volume with the others in the StemeDB dashboard.',
        'Check the Longhorn volume of `wal-<pod>`: replica count, rebuilding replicas, the node\'s disk latency.',
        'Check whether LSM compaction shares the disk (it should be on the `db-<pod>` volume).',
      ],
      mitigation: ['Move the Longhorn replica off a slow disk, or set `dataLocality: bestEffort` on the StorageClass.', 'Delete the pod to reschedule it next to its volume.'],
      escalation: ESCALATION,
    },
    outputLabels: { pod: 'stemedb-0' },
    series: (v, _t, steps) => fsyncBuckets(v, steps),
    warmupSeconds: RATE_WARMUP,
  },
  {
    name: 'StemeDBDataVolumeNearlyFull',
    query: `kubelet_volume_stats_used_bytes{persistentvolumeclaim=~"${PVC_REGEX}"} / kubelet_volume_stats_capacity_bytes{persistentvolumeclaim=~"${PVC_REGEX}"}`,
    op: '>',
    threshold: 0.75,
    for: '5m',
    priority: 'P2',
    summary: 'StemeDB PVC usage > 75% — resize requires downtime',
    description: 'Volume {{ $labels.persistentvolumeclaim }} has used more than 75% of its capacity for 5 minutes.',
    runbook: {
      name: 'stemedb-data-volume-nearly-full',
      title: 'StemeDBDataVolumeNearlyFull',
      meaning: 'A member\'s WAL or DB volume is more than 75% full.',
      impact: 'None yet; a full WAL volume stops every write of that member, a full DB volume stops compaction.',
      diagnosis: ['Which volume: `wal-` (segments not yet checkpointed) or `db-` (data growth).', 'For the WAL: is the backup CronJob running (segments pile up when checkpoints stall)?'],
      mitigation: [
        'Raise `components.stemedb.walStorage` or `dbStorage`, synthesize, and expand the PVCs (Longhorn expands online; the StatefulSet template changes only for new members).',
        'Plan the downtime the seed warns of if the StorageClass cannot expand online.',
      ],
      escalation: ESCALATION,
    },
    outputLabels: { namespace: 'stemedb', persistentvolumeclaim: WAL_PVC },
    series: (v, _t, steps) => [
      constant(`kubelet_volume_stats_used_bytes{namespace="stemedb",persistentvolumeclaim="${WAL_PVC}"}`, v * 20e9, steps),
      constant(`kubelet_volume_stats_capacity_bytes{namespace="stemedb",persistentvolumeclaim="${WAL_PVC}"}`, 20e9, steps),
    ],
  },
  {
    name: 'StemeDBRateLimitSaturating',
    query: 'rate(stemedb_http_requests_total{status="429"}[5m])',
    op: '>',
    threshold: 1,
    for: '5m',
    priority: 'P2',
    summary: '429 rate > 1/s — projects hitting rate limits',
    description: 'More than one request per second has been refused with 429 for 5 minutes.',
    runbook: {
      name: 'stemedb-rate-limit-saturating',
      title: 'StemeDBRateLimitSaturating',
      meaning: 'StemeDB answers more than one request per second with 429 Too Many Requests.',
      impact: 'Projects over their limit get refused writes; Aphoria retries and scans slow down.',
      diagnosis: ['Find the API keys hitting the limit in the API logs.', 'Compare with Traefik\'s own 429s (the Middleware limit applies before the app\'s).'],
      mitigation: ['Raise the project\'s limit if its load is legitimate, or the Traefik `ingress.rateLimit` for a global burst.', 'Contact the project if a client loops.'],
      escalation: ESCALATION,
    },
    outputLabels: { status: '429' },
    series: (v, _t, steps) => [{ series: 'stemedb_http_requests_total{status="429"}', values: `0+${num(60 * v)}x${steps}` }],
    // A lone rate reaches the counter's slope only once its whole 5m window holds samples.
    warmupSeconds: RATE_WINDOW_FILLED,
  },
  {
    name: 'StemeDBErrorRateHigh',
    query: 'sum(rate(stemedb_http_requests_total{status=~"5.."}[5m])) / sum(rate(stemedb_http_requests_total[5m]))',
    op: '>',
    threshold: 0.01,
    for: '5m',
    priority: 'P1',
    summary: '5xx error rate > 1%',
    description: 'More than 1% of StemeDB\'s HTTP requests have failed with a 5xx status for 5 minutes.',
    runbook: {
      name: 'stemedb-error-rate-high',
      title: 'StemeDBErrorRateHigh',
      meaning: 'More than 1% of the API\'s responses are 5xx.',
      impact: 'Projects see failed writes and reads.',
      diagnosis: ['Break the 5xx down by pod in the StemeDB dashboard: one member or all?', 'Read that member\'s logs; check WAL latency and volume usage alerts.'],
      mitigation: ['Delete a failing member\'s pod (the others keep serving).', 'Roll back the image if the errors started with a release.'],
      escalation: ESCALATION,
    },
    series: (v, _t, steps) => [
      { series: 'stemedb_http_requests_total{status="500"}', values: `0+${num(1000 * v)}x${steps}` },
      { series: 'stemedb_http_requests_total{status="200"}', values: `0+${num(1000 * (1 - v))}x${steps}` },
    ],
    warmupSeconds: RATE_WARMUP,
  },
  {
    name: 'StemeDBOOMKilled',
    query: `kube_pod_container_status_last_terminated_reason{container="${STEMEDB}",reason="OOMKilled"}`,
    op: '>',
    threshold: 0.5,
    priority: 'P1',
    summary: 'StemeDB container OOM killed — increase memory limit or find leak',
    description: 'Container {{ $labels.container }} of {{ $labels.pod }} was last terminated by the OOM killer.',
    runbook: {
      name: 'stemedb-oom-killed',
      title: 'StemeDBOOMKilled',
      meaning: 'A member\'s container was last terminated because it exceeded its memory limit.',
      impact: 'The member restarts and replays its WAL; its clients fail over to the others meanwhile.',
      diagnosis: ['Compare the memory working set with the limit in the StemeDB dashboard.', 'Look for a memtable or cache growing without bound in the logs before the kill.'],
      mitigation: ['Raise `components.stemedb.resources.limits.memory` and synthesize.', 'If memory grows steadily, capture a heap profile and report a leak.'],
      escalation: ESCALATION,
    },
    outputLabels: { container: STEMEDB, namespace: 'stemedb', pod: 'stemedb-0', reason: 'OOMKilled' },
    series: (v, _t, steps) => [
      constant(`kube_pod_container_status_last_terminated_reason{container="${STEMEDB}",namespace="stemedb",pod="stemedb-0",reason="OOMKilled"}`, v, steps),
    ],
  },
];
