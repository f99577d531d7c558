import { Construct } from 'constructs';
import { componentEnvironments, componentObservability, DeployedObservability, type AppLabels } from '../../lib/index.ts';
import { ObservabilityModel, type MetricDefinition } from '../../observability/index.ts';
import { GeneratedFile } from '../../render/index.ts';
import { PLATFORM_FILES_URL } from '../repository.ts';
import { STEMEDB_COMPONENTS, STEMEDB_MODEL, type MonitoringConfig } from './model/index.ts';

/** What the rules read beyond the component's own metrics: the scrape itself, kubelet and kube-state-metrics. */
const PLATFORM_METRICS: readonly MetricDefinition[] = [
  { name: 'up', type: 'gauge', labels: ['job', 'instance', 'pod'], help: 'Whether the last scrape of a target succeeded.', owner: 'prometheus' },
  { name: 'kubelet_volume_stats_used_bytes', type: 'gauge', labels: ['namespace', 'persistentvolumeclaim'], help: 'Bytes used on a mounted volume.', owner: 'kubelet' },
  { name: 'kubelet_volume_stats_capacity_bytes', type: 'gauge', labels: ['namespace', 'persistentvolumeclaim'], help: 'Capacity of a mounted volume.', owner: 'kubelet' },
  {
    name: 'kube_pod_container_status_last_terminated_reason',
    type: 'gauge',
    labels: ['namespace', 'pod', 'container', 'reason'],
    help: 'Why a container last terminated (1 for the reason).',
    owner: 'kube-state-metrics',
    // Exported only for a container that has terminated once.
    presence: 'after-event',
  },
];

/** StemeDB's environments, their namespaces and the components not running there, for the runbooks' commands: read by the synth of StemeDB (stemedbStack). */
export const STEMEDB_ENVIRONMENTS = componentEnvironments(STEMEDB_MODEL, STEMEDB_COMPONENTS);

/** StemeDB's observability model: the same in every environment, rendered under ops/stemedb/. */
export function stemedbObservability(): ObservabilityModel {
  const components = componentObservability('stemedb', STEMEDB_COMPONENTS.components);
  return new ObservabilityModel({
    name: 'stemedb',
    title: 'StemeDB',
    opsRoot: 'ops/stemedb',
    runbookBaseUrl: PLATFORM_FILES_URL,
    metrics: [...PLATFORM_METRICS, ...components.metrics],
    alerts: components.alerts,
    slos: components.slos,
    runbooks: components.runbooks,
    dashboards: components.dashboards,
    environments: STEMEDB_ENVIRONMENTS.list(),
    workloads: STEMEDB_COMPONENTS.components.map((c) => c.name),
  });
}

/** Props of {@link Monitoring}. */
export interface MonitoringProps {
  readonly labels: AppLabels;
  readonly monitoring: MonitoringConfig;
  /** The environment's namespace, which its missing-data alerts look for series in. */
  readonly namespace: string;
  /** Components that do not run in the environment: their alerts are left out of its rules. @default - every component runs */
  readonly absent?: ReadonlySet<string>;
}

/** The `app.kubernetes.io/component` of the monitoring objects, which the Helm chart switches by. */
export const STEMEDB_MONITORING_COMPONENT = 'monitoring';

/**
 * The rules as a PrometheusRule (labelled for the Prometheus that selects them), the dashboards
 * as ConfigMaps for Grafana's sidecar, and under ops/stemedb/ the rule file, its promtool tests,
 * the runbooks and the dashboards. The model is checked at synth: a rule on an uncatalogued
 * metric, or a runbook link to nothing, fails it.
 */
export class Monitoring extends Construct {
  public readonly model = stemedbObservability();

  public constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const labels = props.labels.withComponent({ name: 'stemedb-monitoring', component: STEMEDB_MONITORING_COMPONENT });
    this.node.addValidation({ validate: () => this.model.check() });
    for (const path of this.model.filePaths()) new GeneratedFile(this, path.replace(/\//g, '-'), { path, render: () => this.model.files().get(path) ?? '' });
    new DeployedObservability(this, 'Deployed', {
      model: this.model,
      namespace: props.namespace,
      labels: labels.all,
      rulesName: 'stemedb-alerts',
      ruleLabels: props.monitoring.selectorLabels,
      ...(props.absent ? { absent: props.absent } : {}),
    });
  }
}
