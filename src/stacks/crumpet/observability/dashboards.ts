import { Dashboard, Panel, perSecond, quantileBy, Target, type EdgeBackendGroup } from '../../../observability/index.ts';
import { SPEC_ALERTS } from './alerts.ts';
import { FRESHNESS_BOUND_SECONDS, READ_LATENCY_BOUND_MS } from './slos.ts';

/** What the dashboards need to know of the platform beyond the metrics catalogue. */
export interface DashboardInputs {
  /** The edge's backends; the Edge dashboard has a saturation panel per group. */
  readonly edgeBackends: readonly EdgeBackendGroup[];
}

const rate = perSecond;
const quantile = quantileBy;

/** The threshold of a spec alert, so the panel turns red where the alert fires. */
function alertThreshold(name: string): number {
  const alert = SPEC_ALERTS.find((a) => a.name === name);
  if (!alert) throw new Error(`dashboards: no alert "${name}" in the model`);
  return alert.threshold;
}

function cinOverview(): Dashboard {
  return new Dashboard({ uid: 'crumpet-cin-overview', title: 'Crumpet / CIN Overview', tags: ['crumpet', 'cin-node'] }).add(
    new Panel({
      title: 'QPS',
      type: 'stat',
      unit: 'reqps',
      width: 6,
      description: 'Searches answered per second by every CIN node of the namespace (the count of `cin_query_latency_ms`).',
      targets: [Target.query(`sum(${rate('cin_query_latency_ms_count')})`)],
    }),
    new Panel({ title: 'WS clients', type: 'stat', width: 6, slos: ['websocket-uptime'], targets: [Target.query('sum(ws_clients)')] }),
    new Panel({ title: 'Ingest lag', type: 'timeseries', unit: 's', targets: [Target.query('max(ingest_lag_seconds)', 'lag')] }),
    new Panel({
      title: 'Query latency p50/p95 by ranker',
      type: 'timeseries',
      unit: 'ms',
      thresholds: [{ value: READ_LATENCY_BOUND_MS, color: 'orange' }, { value: alertThreshold('SearchLatencyHigh') }],
      alerts: ['SearchLatencyHigh'],
      slos: ['read-latency'],
      targets: [
        Target.query(quantile(0.5, 'cin_query_latency_ms', 'ranker'), 'p50 {{ranker}}'),
        Target.query(quantile(0.95, 'cin_query_latency_ms', 'ranker'), 'p95 {{ranker}}'),
      ],
    }),
    new Panel({
      title: 'Snapshot staleness by language',
      type: 'timeseries',
      unit: 's',
      thresholds: [{ value: FRESHNESS_BOUND_SECONDS, color: 'orange' }, { value: alertThreshold('SnapshotStale') }],
      alerts: ['SnapshotStale'],
      slos: ['freshness'],
      targets: [Target.query('max by (lang) (snapshot_age_seconds)', '{{lang}}')],
    }),
  );
}

function edge(inputs: DashboardInputs): Dashboard {
  const classes = ['2', '4', '5'].map((c) =>
    Target.query(`sum(${rate(`envoy_http_downstream_rq_xx{envoy_response_code_class="${c}"}`)})`, `${c}xx`),
  );
  const backends = [...inputs.edgeBackends].sort((a, b) => (a.name < b.name ? -1 : 1)).map((b) => {
    const cluster = `envoy_cluster_name=~"${b.clusterRegex}"`;
    return new Panel({
      title: `Backend saturation: ${b.name}`,
      type: 'timeseries',
      component: b.component,
      width: 8,
      description: `Requests in flight to ${b.name} (Envoy clusters ${b.clusterRegex}), and those waiting for a connection.`,
      targets: [
        Target.query(`sum by (envoy_cluster_name) (envoy_cluster_upstream_rq_active{${cluster}})`, '{{envoy_cluster_name}} active'),
        Target.query(`sum by (envoy_cluster_name) (envoy_cluster_upstream_rq_pending_active{${cluster}})`, '{{envoy_cluster_name}} pending'),
      ],
    });
  });
  return new Dashboard({ uid: 'crumpet-edge', title: 'Crumpet / Edge', tags: ['crumpet', 'envoy-edge'] }).add(
    new Panel({ title: 'Responses 2xx/4xx/5xx', type: 'timeseries', unit: 'reqps', width: 24, slos: ['availability'], targets: classes }),
    new Panel({
      title: 'H/2 streams',
      type: 'timeseries',
      targets: [Target.query('sum(envoy_http_downstream_rq_active)', 'streams'), Target.query('sum(envoy_http_downstream_cx_http2_active)', 'H/2 connections')],
    }),
    new Panel({
      title: 'H/3 ratio',
      type: 'timeseries',
      unit: 'percentunit',
      targets: [Target.query(`sum(${rate('envoy_http_downstream_rq_http3_total')}) / sum(${rate('envoy_http_downstream_rq_total')})`, 'HTTP/3')],
    }),
    new Panel({
      title: 'Backend latency p95',
      type: 'timeseries',
      unit: 'ms',
      width: 24,
      targets: [Target.query(quantile(0.95, 'envoy_cluster_upstream_rq_time', 'envoy_cluster_name'), '{{envoy_cluster_name}}')],
    }),
    ...backends,
  );
}

/** The attestation kinds the watchers submit (`attest_<kind>_submissions_total`). */
const ATTESTATIONS = ['uptime', 'freshness'] as const;
const submissions = (kind: string): string => `attest_${kind}_submissions_total`;

/**
 * The Node Rewards view of spec section 7.4: epoch timers and attestation volumes. Both come
 * from the chain as the watchers read it over direct RPC (the spec allows a subgraph or direct
 * RPC): the epoch's end, and each attestation transaction's status.
 */
function nodeRewards(): Dashboard {
  return new Dashboard({
    uid: 'crumpet-node-rewards',
    title: 'Crumpet / Node Rewards',
    tags: ['crumpet', 'watcher'],
    description: 'Reward epochs and the attestations the watchers submitted for them, read from the chain over direct RPC by the watchers.',
  }).add(
    new Panel({
      title: 'Epoch time remaining',
      type: 'stat',
      unit: 's',
      width: 8,
      description: 'Seconds until the current reward epoch ends (`epoch_end_timestamp_seconds` minus now).',
      targets: [Target.query('max(epoch_end_timestamp_seconds) - time()')],
    }),
    new Panel({
      title: 'Epoch ends at',
      type: 'stat',
      unit: 'dateTimeAsIso',
      width: 8,
      description: 'When the current reward epoch ends, as the chain reports it (`epoch_end_timestamp_seconds`).',
      targets: [Target.query('max(epoch_end_timestamp_seconds) * 1000')],
    }),
    new Panel({
      title: 'Attestations in the time range',
      type: 'stat',
      unit: 'short',
      width: 8,
      description: 'Attestation transactions the watchers submitted over the time range picked, by kind, whatever their status.',
      targets: ATTESTATIONS.map((k) => Target.query(`sum(increase(${submissions(k)}[$__range]))`, k)),
    }),
    new Panel({
      title: 'Epoch countdown',
      type: 'timeseries',
      unit: 's',
      description: 'Seconds left in the reward epoch at each point: each jump up is an epoch boundary, so the spacing of the jumps is the epoch length.',
      targets: [Target.query('max(epoch_end_timestamp_seconds) - time()', 'remaining')],
    }),
    new Panel({
      title: 'Attestation volumes',
      type: 'timeseries',
      unit: 'short',
      description: 'Attestation transactions submitted per hour, by kind (uptime: the probes of the nodes; freshness: their snapshot ages).',
      targets: ATTESTATIONS.map((k) => Target.query(`sum(${rate(submissions(k))}) * 3600`, k)),
    }),
    new Panel({
      title: 'Attestations by chain status',
      type: 'timeseries',
      unit: 'ops',
      width: 24,
      description: 'Attestation transactions per second by kind and by the status the chain gave them: a failed or reverted attestation earns no reward.',
      targets: ATTESTATIONS.map((k) => Target.query(`sum by (status) (${rate(submissions(k))})`, `${k} {{status}}`)),
    }),
  );
}

/** The dashboards of spec section 7.4 that no component declares, in a fixed order. */
export function crumpetDashboards(inputs: DashboardInputs): Dashboard[] {
  return [cinOverview(), edge(inputs), nodeRewards()];
}
