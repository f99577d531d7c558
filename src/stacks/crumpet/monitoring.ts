import { Construct } from 'constructs';
import { AlertmanagerConfig } from '../../../imports/alertmanagerconfigs-monitoring.coreos.com.ts';
import { componentEnvironments, componentObservability, componentSlos, DeployedObservability, withGameDays, type AppLabels } from '../../lib/index.ts';
import {
  alertmanagerConfigSpec,
  ObservabilityModel,
  telemetryPipelineFiles,
  type SloDefinition,
  type EdgeBackendGroup,
  type Runbook,
} from '../../observability/index.ts';
import { GeneratedFile } from '../../render/index.ts';
import { PLATFORM_FILES_URL } from '../repository.ts';
import { CHAOS_SCENARIOS, STEADY_STATE_WINDOW } from './chaos-scenarios.ts';
import type { CrumpetApp } from './crumpet-app.ts';
import { CRUMPET_COMPONENTS, CRUMPET_MODEL } from './model/index.ts';
import {
  ALERT_ROUTING,
  ALERT_RUNBOOKS,
  BURN_RATE_RUNBOOK_TEXT,
  crumpetDashboards,
  METRICS,
  SPEC_ALERTS,
  SPEC_RUNBOOKS,
  SPEC_SLOS,
} from './observability/index.ts';

/** Props of {@link Monitoring}. */
export interface MonitoringProps {
  readonly labels: AppLabels;
  /** The environment whose edge routes the Edge dashboard shows. */
  readonly app: CrumpetApp;
  /**
   * The observability model rendered to `ops/` and `dist/`.
   * @default - the Crumpet model of spec sections 7, 8 and 13, with the edge's backends as its
   * route table leads to them
   */
  readonly model?: ObservabilityModel;
  /**
   * Runbooks of this environment that no alert links to (the DR runbook), added to the default model.
   * @default - none
   */
  readonly standaloneRunbooks?: readonly Runbook[];
}

/** Folder of Crumpet's operational files below the output root. */
export const CRUMPET_OPS_ROOT = 'ops';
/** Namespace of the promtool tests' input (any namespace would do; prod's). */
export const CRUMPET_TEST_NAMESPACE = 'crumpet';
/** Name of Crumpet's rule groups and prefix of its SLO recording rules. */
export const CRUMPET_RULES_NAME = 'crumpet';

/** Crumpet's environments, their namespaces and the components not running there, for the runbooks' commands: read by the synth of Crumpet (crumpetStack). */
export const CRUMPET_ENVIRONMENTS = componentEnvironments(CRUMPET_MODEL, CRUMPET_COMPONENTS);

/** Crumpet's SLOs: the spec's and those its components declare. */
export function crumpetSlos(specSlos: readonly SloDefinition[] = SPEC_SLOS): SloDefinition[] {
  return [...specSlos, ...componentSlos(CRUMPET_COMPONENTS.components)];
}

/**
 * Crumpet's observability model: the platform's metrics, alerts, SLOs and dashboards and those
 * of every declared component, enabled in an environment or not (ops/ is the same for all); the
 * runbooks that chaos scenarios rehearse carry their game days.
 */
export function crumpetObservability(edgeBackends: readonly EdgeBackendGroup[] = [], standalone: readonly Runbook[] = [], specSlos: readonly SloDefinition[] = SPEC_SLOS): ObservabilityModel {
  const components = componentObservability('crumpet', CRUMPET_COMPONENTS.components);
  const slos = crumpetSlos(specSlos);
  const runbooks = withGameDays([...SPEC_RUNBOOKS, ...ALERT_RUNBOOKS, ...components.runbooks, ...standalone], CHAOS_SCENARIOS, {
    slos,
    rulesName: CRUMPET_RULES_NAME,
    opsRoot: CRUMPET_OPS_ROOT,
    window: STEADY_STATE_WINDOW,
  });
  return new ObservabilityModel({
    name: CRUMPET_RULES_NAME,
    opsRoot: CRUMPET_OPS_ROOT,
    runbookBaseUrl: PLATFORM_FILES_URL,
    testNamespace: CRUMPET_TEST_NAMESPACE,
    metrics: [...METRICS, ...components.metrics],
    alerts: [...SPEC_ALERTS, ...components.alerts],
    slos,
    burnRateRunbooks: BURN_RATE_RUNBOOK_TEXT,
    runbooks,
    standaloneRunbooks: [...SPEC_RUNBOOKS, ...standalone].map((r) => r.name),
    dashboards: [...crumpetDashboards({ edgeBackends }), ...components.dashboards],
    routing: ALERT_ROUTING,
    files: telemetryPipelineFiles(),
    environments: CRUMPET_ENVIRONMENTS.list(),
    workloads: CRUMPET_COMPONENTS.components.map((c) => c.name),
  });
}

/**
 * Observability as code: the rules, routes, dashboards and scrape configs of one environment,
 * from one {@link ObservabilityModel}. In `dist/`: the PrometheusRule, the AlertmanagerConfig, one
 * ConfigMap per Grafana dashboard for the Grafana sidecar (each component ships its own
 * ServiceMonitor or PodMonitor, see MetricsMonitor). Under `ops/`: the same rules as a plain
 * file, their promtool tests, the runbooks, the Alertmanager configuration, the dashboards and
 * the Loki, Tempo and metrics retention settings.
 * The model is checked at synth: an expression that does not parse or reads an uncatalogued
 * metric fails it, naming the alert, rule or dashboard panel.
 */
export class Monitoring extends Construct {
  public readonly model: ObservabilityModel;

  public constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { app } = props;
    this.model = props.model ?? crumpetObservability(app.envoyEdge.routes.backendGroups, props.standaloneRunbooks);
    const labels = props.labels.withComponent({ name: 'crumpet-monitoring', component: 'monitoring' });
    const metadata = (name: string): { name: string; labels: Record<string, string> } => ({ name, labels: { ...labels.all } });
    this.node.addValidation({ validate: () => this.model.check() });
    new DeployedObservability(this, 'Deployed', {
      model: this.model,
      namespace: app.config.namespace,
      labels: labels.all,
      rulesName: 'crumpet-rules',
      folder: 'Crumpet',
      absent: CRUMPET_COMPONENTS.notRunningIn(app.config),
    });
    if (this.model.routing) new AlertmanagerConfig(this, 'Alerting', { metadata: metadata('crumpet-alerting'), spec: alertmanagerConfigSpec(this.model.routing, this.model.scopeLabels) });

    for (const path of this.model.filePaths()) {
      new GeneratedFile(this, path.replace(/\//g, '-'), { path, render: () => this.model.files().get(path) ?? '' });
    }
  }
}
