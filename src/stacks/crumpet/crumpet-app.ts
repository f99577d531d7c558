import { App, Chart } from 'cdk8s';
import { CRUMPET_COMPONENTS, type PlatformConfig } from './model/index.ts';
import { AppLabels, buildComponents, RestrictedNamespace, type BuiltComponent } from '../../lib/index.ts';
import { AcmeIssuer } from './acme-issuer.ts';
import { APP_SECRETS, AppSecrets } from './app-secrets.ts';
import { Backups } from './backups.ts';
import { CinNode } from './cin-node.ts';
import { CrumpetNetwork } from './crumpet-network.ts';
import { EnvoyEdge } from './envoy-edge.ts';
import { Kubo } from './kubo.ts';
import { MeshCa } from './mesh-ca.ts';
import { Monitoring } from './monitoring.ts';

/**
 * One environment of the Crumpet platform as a cdk8s App: one chart per component, each
 * rendered to its own file, plus the cluster chart (namespace, issuer) that is applied first.
 */
export class CrumpetApp extends App {
  public readonly config: PlatformConfig;
  public readonly cinNode: CinNode;
  /** What each declared component built, by name. */
  public readonly components = new Map<string, BuiltComponent>();
  public readonly envoyEdge: EnvoyEdge;
  public readonly kubo?: Kubo;
  public readonly backups: Backups;
  public readonly network?: CrumpetNetwork;
  public readonly monitoring: Monitoring;

  public constructor(config: PlatformConfig) {
    super();
    this.config = config;
    const labels = new AppLabels({
      name: 'crumpet',
      instance: config.instance,
      component: 'platform',
      partOf: 'crumpet',
      version: config.components.cinNode.image.tag,
    });
    const chart = (id: string, namespaced = true): Chart =>
      new Chart(this, id, { disableResourceNameHashes: true, ...(namespaced ? { namespace: config.namespace } : {}) });

    const props = { config, labels };
    // Cluster-scoped objects, applied before anything that lives in the namespace.
    const cluster = chart('cluster', false);
    new RestrictedNamespace(cluster, 'Namespace', { name: config.namespace, labels });
    new AcmeIssuer(cluster, 'AcmeIssuer', props);
    const secrets = chart('secrets');
    new AppSecrets(secrets, 'AppSecrets', props);
    if (config.features.mtls) new MeshCa(secrets, 'MeshCa', { labels });
    this.cinNode = new CinNode(chart('cin-node'), 'CinNode', props);
    const placed = buildComponents({ registry: CRUMPET_COMPONENTS, model: config, labels, features: config.features, scopeFor: (name) => chart(name) });
    for (const p of placed) this.components.set(p.declaration.name, p.built);
    const web = this.component('web');
    this.envoyEdge = new EnvoyEdge(chart('envoy-edge'), 'EnvoyEdge', {
      ...props,
      backends: { web: web.workload, orchestrator: this.component('pin-orchestrator').workload, cinLanguages: this.cinNode.languages },
    });
    if (config.features.kubo) this.kubo = new Kubo(chart('kubo'), 'Kubo', props);
    this.backups = new Backups(chart('backups'), 'Backups', {
      ...props,
      languages: this.cinNode.languages,
      deliveredSecrets: Object.keys(APP_SECRETS),
    });

    if (config.features.networkPolicy) {
      this.network = new CrumpetNetwork(chart('network-policies'), 'Network', {
        ...props,
        workloads: {
          edge: this.envoyEdge.workload,
          edgeUpstreams: this.envoyEdge.routes.upstreams,
          web: web.workload,
          cin: this.cinNode.all,
          orchestrator: this.component('pin-orchestrator').workload,
          components: placed,
          ...(this.kubo ? { kubo: this.kubo.workload } : {}),
          backupJobs: [this.backups.volumeSnapshots, this.backups.configBackup, this.backups.indexSnapshot],
          snapshotJob: this.backups.indexSnapshot,
        },
      });
    }
    this.monitoring = new Monitoring(chart('monitoring'), 'Monitoring', { ...props, app: this });
  }

  /** What the declared component `name` built. */
  public component(name: string): BuiltComponent {
    const built = this.components.get(name);
    if (!built) throw new Error(`[${this.node.path}] component "${name}" is not declared or not enabled in this environment`);
    return built;
  }
}
