import { Construct } from 'constructs';
import { DeployedObservability, type AppLabels } from '../../lib/index.ts';
import type { ObservabilityModel } from '../../observability/index.ts';
import { GeneratedFile } from '../../render/index.ts';

/** The `app.kubernetes.io/component` of the monitoring objects, which the Helm chart switches by. */
export const MIRROR_MONITORING_COMPONENT = 'monitoring';

/** Props of {@link MirrorMonitoring}. */
export interface MirrorMonitoringProps {
  readonly labels: AppLabels;
  readonly model: ObservabilityModel;
  /** The environment's namespace, which its missing-data alerts look for series in. */
  readonly namespace: string;
  /** Components that do not run in the environment: their alerts are left out of its rules. @default - every component runs */
  readonly absent?: ReadonlySet<string>;
}

/**
 * The mirror's observability in one environment: its rules as a PrometheusRule and its
 * dashboards as ConfigMaps for the Grafana sidecar (in dist/), and every file of the model under
 * ops/mirror/ (rules, promtool tests, runbooks, dashboards). The model is checked at synth: an
 * expression that does not parse or reads an uncatalogued metric fails it.
 */
export class MirrorMonitoring extends Construct {
  public constructor(scope: Construct, id: string, props: MirrorMonitoringProps) {
    super(scope, id);
    const { model } = props;
    const labels = props.labels.withComponent({ name: 'mirror-monitoring', component: MIRROR_MONITORING_COMPONENT });
    this.node.addValidation({ validate: () => model.check() });
    for (const path of model.filePaths()) new GeneratedFile(this, path.replace(/\//g, '-'), { path, render: () => model.files().get(path) ?? '' });
    new DeployedObservability(this, 'Deployed', {
      model,
      namespace: props.namespace,
      labels: labels.all,
      rulesName: 'mirror-rules',
      folder: 'Mirror',
      ...(props.absent ? { absent: props.absent } : {}),
    });
  }
}
