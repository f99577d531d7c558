import { componentEnvironments, componentObservability } from '../../lib/index.ts';
import { PLATFORM_FILES_URL } from '../repository.ts';
import { constant, Dashboard, ObservabilityModel, Panel, perSecond, Target, type AlertDefinition, type MetricDefinition, type Runbook } from '../../observability/index.ts';
import { MIRROR_COMPONENTS, MIRROR_MODEL, type MirrorConfig } from './model/index.ts';

/** kube-state-metrics' view of the sync CronJob: the job exports nothing itself. */
const CRONJOB_METRICS: readonly MetricDefinition[] = [
  {
    name: 'kube_cronjob_status_last_successful_time',
    type: 'gauge',
    labels: ['namespace', 'cronjob'],
    help: 'Unix time of the last successful run of a CronJob (kube-state-metrics).',
    owner: 'kube-state-metrics',
  },
];

/** The namespace of the promtool tests' input: any will do, and one for all environments keeps ops/ shared. */
const TEST_NAMESPACE = 'mirror';

/** Seconds since the sync CronJob last succeeded, per namespace. */
export const SYNC_LAG_QUERY = 'time() - max by (namespace, cronjob) (kube_cronjob_status_last_successful_time{cronjob="mirror-sync"})';

const FRESHNESS_RUNBOOK: Runbook = {
  name: 'mirror-bundles-stale',
  title: 'MirrorBundlesStale',
  meaning: 'The mirror sync CronJob has not completed successfully for longer than the freshness bound (seed section 7).',
  impact: 'Downstream mirrors receive old Concelier and Excititor bundles; the CDN keeps serving them until they are replaced.',
  diagnosis: [
    '`kubectl -n <namespace> get jobs -l app.kubernetes.io/name=mirror-sync` and the logs of the last failed job.',
    'Check the object store credentials (`mirror-sync-aws`, an ExternalSecret) and whether the export jobs still publish to the bucket.',
    'Check that the export volumes are bound and not full (`kubectl get pvc`).',
    'Check the concelier logs for "Mirror export root is not configured".',
  ],
  mitigation: [
    'Run a sync now: `kubectl -n <namespace> create job --from=cronjob/mirror-sync mirror-sync-manual`.',
    'Rotate the object store credentials if they were refused; grow the export volume if it is full.',
  ],
  escalation: 'Page the mirror on-call; after 30 minutes without progress involve the Concelier and Excititor export owners.',
};

/** The freshness alert: the sync lags more than the model's bound. */
export function freshnessAlert(config: MirrorConfig): AlertDefinition {
  const bound = config.sync.maxLagMinutes * 60;
  return {
    name: 'MirrorBundlesStale',
    query: SYNC_LAG_QUERY,
    op: '>',
    threshold: bound,
    priority: 'P2',
    service: 'mirror-sync',
    summary: 'Mirror bundles in {{ $labels.namespace }} are more than ' + `${config.sync.maxLagMinutes} minutes old`,
    description: `The mirror sync job has not succeeded for more than ${config.sync.maxLagMinutes} minutes (${bound} s); it runs every ${config.sync.everyMinutes} minutes.`,
    runbook: FRESHNESS_RUNBOOK.name,
    outputLabels: { namespace: TEST_NAMESPACE, cronjob: 'mirror-sync' },
    series: (v, t, steps) => [constant(`kube_cronjob_status_last_successful_time{namespace="${TEST_NAMESPACE}",cronjob="mirror-sync"}`, t - v, steps)],
  };
}

/** The mirror's one dashboard: sync lag against the bound, and the gateway's traffic. */
function overview(config: MirrorConfig): Dashboard {
  const bound = config.sync.maxLagMinutes * 60;
  return new Dashboard({ uid: 'mirror-overview', title: 'Mirror / Overview', tags: ['mirror'] }).add(
    new Panel({
      title: 'Sync lag',
      type: 'timeseries',
      unit: 's',
      description: `Seconds since the sync job last succeeded; the freshness alert fires above ${bound} s.`,
      thresholds: [{ value: bound }],
      alerts: ['MirrorBundlesStale'],
      targets: [Target.query(SYNC_LAG_QUERY, '{{namespace}}')],
    }),
    new Panel({ title: 'Gateway requests', type: 'timeseries', unit: 'reqps', targets: [Target.query(`sum(${perSecond('nginx_http_requests_total')})`, 'requests')] }),
    new Panel({ title: 'Open connections', type: 'stat', width: 6, targets: [Target.query('sum(nginx_connections_active)')] }),
    new Panel({ title: 'Gateways up', type: 'stat', width: 6, targets: [Target.query('sum(nginx_up)')] }),
  );
}

/** The mirror's environments, their namespaces and the components not running there, for the runbooks' commands: read by the synth of the mirror (mirrorStack). */
export const MIRROR_ENVIRONMENTS = componentEnvironments(MIRROR_MODEL, MIRROR_COMPONENTS);

/** The mirror's observability, under ops/mirror/: from its components and this environment's bound. */
export function mirrorObservability(config: MirrorConfig): ObservabilityModel {
  const components = componentObservability('mirror', MIRROR_COMPONENTS.components);
  return new ObservabilityModel({
    name: 'mirror',
    opsRoot: 'ops/mirror',
    runbookBaseUrl: PLATFORM_FILES_URL,
    metrics: [...CRONJOB_METRICS, ...components.metrics],
    alerts: [freshnessAlert(config), ...components.alerts],
    runbooks: [FRESHNESS_RUNBOOK, ...components.runbooks],
    slos: components.slos,
    dashboards: [overview(config), ...components.dashboards],
    environments: MIRROR_ENVIRONMENTS.list(),
    workloads: MIRROR_COMPONENTS.components.map((c) => c.name),
  });
}
