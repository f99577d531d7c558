import { App, Chart } from 'cdk8s';
import type { PlatformConfig } from './model/index.ts';
import { AppLabels, RestrictedNamespace } from '../../lib/index.ts';
import { AcmeIssuer } from './acme-issuer.ts';
import { APP_SECRETS, AppSecrets } from './app-secrets.ts';
import { Backups } from './backups.ts';
import { CinNode } from './cin-node.ts';
import { CrumpetNetwork } from './crumpet-network.ts';
import { EnvoyEdge } from './envoy-edge.ts';
import { Kubo } from './kubo.ts';
import { MeshCa } from './mesh-ca.ts';
import { Monitoring } from './monitoring.ts';
import { PinOrchestrator } from './pin-orchestrator.ts';
import { Watcher } from './watcher.ts';
import { Web } from './web.ts';

/**
 * One environment of the Crumpet platform as a cdk8s App: one chart per component, each
 * rendered to its own file, plus the cluster chart (namespace, issuer) that is applied first.
 */
export class CrumpetApp extends App {
  public readonly config: PlatformConfig;
  public readonly cinNode: CinNode;
  public readonly pinOrchestrator: PinOrchestrator;
  public readonly watcher: Watcher;
  public readonly web: Web;
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
    this.pinOrchestrator = new PinOrchestrator(chart('pin-orchestrator'), 'PinOrchestrator', props);
    this.watcher = new Watcher(chart('watcher'), 'Watcher', props);
    this.web = new Web(chart('web'), 'Web', props);
    this.envoyEdge = new EnvoyEdge(chart('envoy-edge'), 'EnvoyEdge', {
      ...props,
      backends: { web: this.web.workload, orchestrator: this.pinOrchestrator.workload, cinLanguages: this.cinNode.languages },
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
          web: this.web.workload,
          cin: this.cinNode.all,
          orchestrator: this.pinOrchestrator.workload,
          watcher: this.watcher.workload,
          ...(this.kubo ? { kubo: this.kubo.workload } : {}),
          backupJobs: [this.backups.volumeSnapshots, this.backups.configBackup, this.backups.indexSnapshot],
          snapshotJob: this.backups.indexSnapshot,
        },
      });
    }
    this.monitoring = new Monitoring(chart('monitoring'), 'Monitoring', { ...props, app: this });
  }
}
