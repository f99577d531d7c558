import { Construct } from 'constructs';
import { PrometheusRule, PrometheusRuleSpecGroupsRulesExpr } from '../../imports/prometheusrules-monitoring.coreos.com.ts';
import type { ObservabilityModel } from '../observability/index.ts';
import { GrafanaDashboards } from './grafana-dashboards.ts';

/** Props of {@link DeployedObservability}. */
export interface DeployedObservabilityProps {
  readonly model: ObservabilityModel;
  /** The environment's namespace, which the rules are rendered for (`RuleSet.groupsIn`). */
  readonly namespace: string;
  /** The objects' labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** Name of the PrometheusRule. */
  readonly rulesName: string;
  /** Further labels of the PrometheusRule, such as those its Prometheus selects rules by. @default - none */
  readonly ruleLabels?: Readonly<Record<string, string>>;
  /** The Grafana folder of the dashboards ({@link GrafanaDashboards}). @default - the sidecar's default folder */
  readonly dashboardFolder?: string;
  /**
   * The stack's components that do not run in this environment (optional ones switched off):
   * neither their alerts and SLOs nor their dashboards and panels are deployed.
   * @default - every component runs here
   */
  readonly absent?: ReadonlySet<string>;
}

/**
 * What an environment deploys of an observability model: its rules as one PrometheusRule and
 * its dashboards as ConfigMaps for Grafana's sidecar, both without what is about a component
 * that does not run there (its missing-data alert would fire for good, its panels stay empty).
 */
export class DeployedObservability extends Construct {
  public constructor(scope: Construct, id: string, props: DeployedObservabilityProps) {
    super(scope, id);
    const { model } = props;
    const absent = props.absent ?? new Set<string>();
    new PrometheusRule(this, 'Rules', {
      metadata: { name: props.rulesName, labels: { ...props.labels, ...props.ruleLabels } },
      spec: {
        groups: model.rules.groupsIn(props.namespace, absent).map((g) => ({
          name: g.name,
          rules: g.rules.map((r) => ({ ...r, expr: PrometheusRuleSpecGroupsRulesExpr.fromString(r.expr) })),
        })),
      },
    });
    new GrafanaDashboards(this, 'Dashboards', { model, labels: props.labels, absent, ...(props.dashboardFolder !== undefined ? { folder: props.dashboardFolder } : {}) });
  }
}
