import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AppLabels, buildComponents, RestrictedNamespace, type PlacedComponent } from '../../lib/index.ts';
import { ExportVolumes } from './export-volumes.ts';
import { MirrorMonitoring } from './monitoring.ts';
import { MirrorNetwork } from './mirror-network.ts';
import { MirrorSecrets } from './mirror-secrets.ts';
import { MIRROR_COMPONENTS, type MirrorConfig } from './model/index.ts';
import { MIRROR_RELEASE } from './model/defaults.ts';
import { mirrorObservability } from './observability.ts';

/** The cdk8s chart, dist/ file and Helm chart of everything the mirror runs in its namespace. */
export const MIRROR_CHART = 'mirror';

/** The cdk8s chart and dist/ file of the mirror's monitoring objects. */
export const MIRROR_MONITORING_CHART = 'monitoring';

/** The `app.kubernetes.io/part-of` label of every mirror object. */
export const MIRROR_PART_OF = 'stellaops-mirror';

/**
 * One environment of the mirror as a cdk8s App, in three files: the restricted Namespace
 * (`00-cluster`), the workloads (`mirror`: secrets, export volumes, the declared components, the
 * network policies) and the monitoring objects (`monitoring`). The Helm chart `mirror` installs
 * the last two.
 */
export class MirrorApp extends App {
  public readonly config: MirrorConfig;
  /** What each declared component built, in build order. */
  public readonly placed: readonly PlacedComponent[];

  public constructor(config: MirrorConfig) {
    super();
    this.config = config;
    const labels = new AppLabels({ name: 'mirror', instance: config.instance, component: 'mirror', partOf: MIRROR_PART_OF, version: MIRROR_RELEASE });
    const chart = (id: string, namespaced = true): Chart =>
      new Chart(this, id, { disableResourceNameHashes: true, ...(namespaced ? { namespace: config.namespace } : {}) });

    new RestrictedNamespace(chart('cluster', false), 'Namespace', { name: config.namespace, labels });
    const mirror = chart(MIRROR_CHART);
    new MirrorSecrets(mirror, 'Secrets', { config, labels });
    new ExportVolumes(mirror, 'Exports', { config, labels });
    this.placed = buildComponents({
      registry: MIRROR_COMPONENTS,
      model: config,
      labels,
      features: { ...config.features, autoscaling: false },
      scopeFor: (name) => new Construct(mirror, name),
    });
    if (config.features.networkPolicy) new MirrorNetwork(mirror, 'Network', { config, labels, components: this.placed });
    new MirrorMonitoring(chart(MIRROR_MONITORING_CHART), 'Monitoring', {
      labels,
      model: mirrorObservability(config),
      namespace: config.namespace,
      absent: MIRROR_COMPONENTS.notRunningIn(config),
    });
  }
}
