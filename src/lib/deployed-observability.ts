import { Construct } from 'constructs';
import { PrometheusRule, PrometheusRuleSpecGroupsRulesExpr } from '../../imports/prometheusrules-monitoring.coreos.com.ts';
import { GrafanaDashboards, type GrafanaDashboardsProps } from './grafana-dashboards.ts';

/**
 * Props of {@link DeployedObservability}: those of its {@link GrafanaDashboards} (the model, the
 * objects' labels, the dashboards' folder, the absent components, whose alerts and SLOs are left
 * out of the rules too) and the PrometheusRule's.
 */
export interface DeployedObservabilityProps extends GrafanaDashboardsProps {
  /** The environment's namespace, which the rules are rendered for (`RuleSet.groupsIn`). */
  readonly namespace: string;
  /** Name of the PrometheusRule. */
  readonly rulesName: string;
  /** Further labels of the PrometheusRule, such as those its Prometheus selects rules by. @default - none */
  readonly ruleLabels?: Readonly<Record<string, string>>;
}

/**
 * What an environment deploys of an observability model: its rules as one PrometheusRule and
 * its dashboards as ConfigMaps for Grafana's sidecar, both without what is about a component
 * that does not run there (its missing-data alert would fire for good, its panels stay empty).
 */
export class DeployedObservability extends Construct {
  public constructor(scope: Construct, id: string, props: DeployedObservabilityProps) {
    super(scope, id);
    const { model, namespace, rulesName, ruleLabels, ...dashboards } = props;
    new PrometheusRule(this, 'Rules', {
      metadata: { name: rulesName, labels: { ...props.labels, ...ruleLabels } },
      spec: {
        groups: model.rules.groupsIn(namespace, props.absent).map((g) => ({
          name: g.name,
          rules: g.rules.map((r) => ({ ...r, expr: PrometheusRuleSpecGroupsRulesExpr.fromString(r.expr) })),
        })),
      },
    });
    new GrafanaDashboards(this, 'Dashboards', { model, ...dashboards });
  }
}
