import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AppLabels, buildComponents, RestrictedNamespace, type PlacedComponent, type StatefulService } from '../../lib/index.ts';
import { Backups } from './backups.ts';
import { STEMEDB_COMPONENTS, type StemedbConfig } from './model/index.ts';
import { Monitoring } from './monitoring.ts';
import { STEMEDB } from './names.ts';
import { PublicEndpoint } from './public-endpoint.ts';
import { RootApiKey } from './root-api-key.ts';
import { StemedbNetwork } from './stemedb-network.ts';

/** The cdk8s charts of one environment, each its own file in dist/stemedb/<env>/; `namespace` is applied first. */
export const STEMEDB_CHARTS = ['namespace', STEMEDB, 'public-endpoint', 'secrets', 'backups', 'network-policies', 'monitoring'] as const;

/**
 * One environment of StemeDB as a cdk8s App: its namespace (PSS restricted), the declared
 * components, each in a scope of its own in the `stemedb` chart (the database: its members, their
 * Services and budget, its monitor), the public endpoint, the root API key, the backups, the
 * network policies and the monitoring.
 */
export class StemedbApp extends App {
  public readonly config: StemedbConfig;
  public readonly placed: readonly PlacedComponent[];
  public readonly backups: Backups;
  public readonly network?: StemedbNetwork;
  public readonly monitoring: Monitoring;

  public constructor(config: StemedbConfig) {
    super();
    this.config = config;
    const labels = new AppLabels({ name: STEMEDB, instance: config.instance, component: 'database', partOf: STEMEDB, version: config.components.stemedb.image.tag });
    const chart = (id: (typeof STEMEDB_CHARTS)[number], namespaced = true): Chart =>
      new Chart(this, id, { disableResourceNameHashes: true, ...(namespaced ? { namespace: config.namespace } : {}) });

    new RestrictedNamespace(chart('namespace', false), 'Namespace', { name: config.namespace, labels });
    // The component's chart is created here so the charts keep their order.
    const component = chart(STEMEDB);
    const edge = chart('public-endpoint');
    const secrets = chart('secrets');
    const backups = chart('backups');
    this.placed = buildComponents({
      registry: STEMEDB_COMPONENTS,
      model: config,
      labels,
      features: { ...config.features, autoscaling: false },
      scopeFor: (name) => new Construct(component, name),
      monitorLabels: config.monitoring.selectorLabels,
    });
    new PublicEndpoint(edge, 'PublicEndpoint', { labels: labels.withComponent({ name: 'stemedb-edge', component: 'ingress' }), ingress: config.ingress, namespace: config.namespace });
    new RootApiKey(secrets, 'RootApiKey', { labels: labels.withComponent({ name: 'stemedb-secrets', component: 'secrets' }), secrets: config.secrets });
    this.backups = new Backups(backups, 'Backups', {
      labels: labels.withComponent({ name: 'stemedb-backup', component: 'backup' }),
      backup: config.backup,
      secrets: config.secrets,
      members: config.components.stemedb.replicas,
    });
    if (config.features.networkPolicy) {
      this.network = new StemedbNetwork(chart('network-policies'), 'Network', {
        labels,
        network: config.network,
        components: this.placed,
        members: this.members,
        backupJob: this.backups.job,
      });
    }
    this.monitoring = new Monitoring(chart('monitoring'), 'Monitoring', {
      labels,
      monitoring: config.monitoring,
      namespace: config.namespace,
      absent: STEMEDB_COMPONENTS.notRunningIn(config),
    });
  }

  /** The members' StatefulService. */
  public get members(): StatefulService {
    const found = this.placed.find((p) => p.declaration.name === STEMEDB);
    if (!found) throw new Error(`[${this.node.path}] component "${STEMEDB}" is not built in this environment`);
    return found.built.construct as StatefulService;
  }
}
