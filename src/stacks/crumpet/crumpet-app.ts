import { App, Chart } from 'cdk8s';
import { AppLabels, buildComponents, RestrictedNamespace, type BuiltComponent, type DeliveryPlan, type PlacedComponent } from '../../lib/index.ts';
import { burnRateCheck, PAGING_BURN_RATE_WINDOWS, steadyState } from '../../observability/index.ts';
import { AcmeIssuer } from './acme-issuer.ts';
import { APP_SECRETS, AppSecrets } from './app-secrets.ts';
import { Backups } from './backups.ts';
import { ChaosExperiments } from './chaos-experiments.ts';
import { CHAOS_SCENARIOS, STEADY_STATE_WINDOW } from './chaos-scenarios.ts';
import type { CinNode } from './cin-node.ts';
import cinNodeComponent from './components/cin-node.ts';
import { CrumpetNetwork } from './crumpet-network.ts';
import type { EnvoyEdge } from './envoy-edge.ts';
import { MeshCa } from './mesh-ca.ts';
import { meshCertificates } from './mesh-certificate.ts';
import { CRUMPET_COMPONENTS, type PlatformConfig } from './model/index.ts';
import { DISASTER_RECOVERY, disasterRecoveryRunbook } from './disaster-recovery.ts';
import { CRUMPET_OPS_ROOT, CRUMPET_RULES_NAME, crumpetSlos, Monitoring } from './monitoring.ts';
import { SPEC_SLOS } from './observability/index.ts';
import { SearchLoadTest } from './search-load-test.ts';

/**
 * One environment of the Crumpet platform as a cdk8s App: a chart per declared component, each
 * rendered to its own file, the cluster chart (namespace, issuer) applied first, and the charts
 * of what belongs to the platform as a whole (secrets, backups, network policies, monitoring).
 */
export class CrumpetApp extends App {
  public readonly config: PlatformConfig;
  /** What each declared component built, in build order. */
  public readonly placed: readonly PlacedComponent[];
  public readonly backups: Backups;
  public readonly network?: CrumpetNetwork;
  public readonly monitoring: Monitoring;
  /** The chaos experiments of spec section 14, written to `ops/chaos/<env>/` (not to dist/). */
  public readonly chaos: ChaosExperiments;
  /** The k6 load test of the search, written to `ops/k6/<env>/search-load.js`. */
  public readonly loadTest: SearchLoadTest;

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
    const delivery = config.features.rollouts ? deliveryPlan(config) : undefined;
    this.placed = buildComponents({
      registry: CRUMPET_COMPONENTS,
      model: config,
      labels,
      features: { ...config.features, ...(delivery ? { delivery } : {}) },
      scopeFor: (name) => chart(name),
      edge: true,
      ...(config.features.mtls ? { mesh: meshCertificates(config.namespace) } : {}),
    });
    // The DR runbook covers one environment; its backup CronJobs link to it.
    const drRunbook = config.name === DISASTER_RECOVERY.environment ? `${CRUMPET_OPS_ROOT}/runbooks/${DISASTER_RECOVERY.runbook}.md` : undefined;
    this.backups = new Backups(chart('backups'), 'Backups', {
      ...props,
      languages: this.cinNode.languages,
      deliveredSecrets: Object.keys(APP_SECRETS),
      ...(drRunbook ? { runbook: drRunbook } : {}),
    });
    const availability = SPEC_SLOS.find((s) => s.name === 'availability')!;
    const disasterRecovery = drRunbook
      ? disasterRecoveryRunbook({
          config,
          backups: this.backups,
          languages: this.cinNode.languages,
          distFolder: `dist/${config.name}`,
          secrets: Object.keys(APP_SECRETS).sort(),
          edgeService: this.envoyEdge.workload.name,
          availability: steadyState(availability, CRUMPET_RULES_NAME, STEADY_STATE_WINDOW),
        })
      : undefined;

    if (config.features.networkPolicy) {
      this.network = new CrumpetNetwork(chart('network-policies'), 'Network', {
        ...props,
        workloads: {
          edge: this.envoyEdge.workload,
          edgeUpstreams: this.envoyEdge.routes.upstreams,
          cin: this.cinNode.all,
          components: this.placed,
          backupJobs: [this.backups.volumeSnapshots, this.backups.configBackup, this.backups.indexSnapshot],
          snapshotJob: this.backups.indexSnapshot,
        },
      });
    }
    this.monitoring = new Monitoring(chart('monitoring'), 'Monitoring', { ...props, app: this, ...(disasterRecovery ? { standaloneRunbooks: [disasterRecovery] } : {}) });
    // Outside every chart: nothing of it goes to dist/.
    this.chaos = new ChaosExperiments(this, 'Chaos', { ...props, components: this.placed, model: this.monitoring.model, scenarios: CHAOS_SCENARIOS });
    this.loadTest = new SearchLoadTest(this, 'LoadTest', {
      environment: config.name,
      cin: cinNodeComponent,
      languages: this.cinNode.languages,
      model: this.monitoring.model,
    });
  }

  /** What the declared component `name` built. */
  public component(name: string): BuiltComponent {
    const found = this.placed.find((p) => p.declaration.name === name);
    if (!found) throw new Error(`[${this.node.path}] component "${name}" is not declared or not enabled in this environment`);
    return found.built;
  }

  /** The CIN nodes, which the backups and the network read beyond their declaration. */
  public get cinNode(): CinNode {
    return this.component('cin-node').construct as CinNode;
  }

  /** The edge, whose route table the network and the Edge dashboard read. */
  public get envoyEdge(): EnvoyEdge {
    return this.component('envoy-edge').construct as EnvoyEdge;
  }
}

/**
 * How the environment's components deliver by Argo Rollouts: its canary steps, and analyses
 * that check every SLO's paging burn rates, built from the same rule set as the alerts.
 */
function deliveryPlan(config: PlatformConfig): DeliveryPlan {
  // The SLOs and the rules' name are all the checks need: not the whole observability model.
  return {
    canarySteps: config.delivery.canarySteps,
    analysis: {
      prometheusAddress: config.delivery.prometheusAddress,
      checks: crumpetSlos().flatMap((slo) => PAGING_BURN_RATE_WINDOWS.map((w) => burnRateCheck(CRUMPET_RULES_NAME, slo, w, config.namespace))),
    },
  };
}
