import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { ObservabilityModel } from '../observability/index.ts';
import { typedApiObject } from './_api-object.ts';

/** Label of the ConfigMaps Grafana's dashboard sidecar (kiwigrid/k8s-sidecar) provisions. */
const GRAFANA_DASHBOARD_LABEL = { grafana_dashboard: '1' } as const;

/** Props of {@link GrafanaDashboards}. */
export interface GrafanaDashboardsProps {
  /** The model whose dashboards are deployed, each rendered as in ops/. */
  readonly model: ObservabilityModel;
  /** The ConfigMaps' labels; the sidecar's label is added. */
  readonly labels: Readonly<Record<string, string>>;
  /** The Grafana folder the sidecar files them in (its `grafana_folder` annotation). @default - the sidecar's default folder */
  readonly folder?: string;
  /**
   * The stack's components that do not run in this environment (optional ones switched off): the
   * dashboards about them, and their panels in the others, are not deployed (ObservabilityModel.dashboardsIn).
   * @default - every component runs here
   */
  readonly absent?: ReadonlySet<string>;
}

/** The dashboards of an environment as ConfigMaps for Grafana's dashboard sidecar: one per dashboard, named by its uid. */
export class GrafanaDashboards extends Construct {
  public constructor(scope: Construct, id: string, props: GrafanaDashboardsProps) {
    super(scope, id);
    const { model } = props;
    for (const d of model.dashboardsIn(props.absent ?? new Set())) {
      typedApiObject<IConfigMap>(this, `dashboard-${d.uid}`, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: d.uid,
          labels: { ...props.labels, ...GRAFANA_DASHBOARD_LABEL },
          ...(props.folder !== undefined ? { annotations: { grafana_folder: props.folder } } : {}),
        },
        data: { [`${d.uid}.json`]: Lazy.any({ produce: () => model.dashboardJson(d) }) as unknown as string },
      });
    }
  }
}
