import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { PodMonitor } from '../../imports/podmonitors-monitoring.coreos.com.ts';
import { ServiceMonitor } from '../../imports/servicemonitors-monitoring.coreos.com.ts';
import type { Workload } from './_workload-parts.ts';

/** Props of {@link MetricsMonitor}. */
export interface MetricsMonitorProps {
  /** The pods to scrape; a ServiceMonitor selects the Services carrying their selector labels. */
  readonly workload: Workload;
  /** Name of the port serving the metrics (a Service port, or a container port for `pod`). */
  readonly port: string;
  /**
   * Path of the metrics.
   * @default '/metrics'
   */
  readonly path?: string;
  /**
   * Scrape interval.
   * @default '30s'
   */
  readonly interval?: string;
  /**
   * `service`: a ServiceMonitor over the workload's Services. `pod`: a PodMonitor, for a port no
   * Service publishes.
   * @default 'service'
   */
  readonly target?: 'service' | 'pod';
  /**
   * Further labels of the monitor, such as the one a Prometheus' `serviceMonitorSelector` picks.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Labels of the one Service to scrape, when the pods sit behind several (a StatefulSet's
   * headless Service and a ClusterIP one), so each pod is scraped once.
   * @default - the workload's selector labels
   */
  readonly serviceSelector?: Readonly<Record<string, string>>;
}

/**
 * How Prometheus (prometheus-operator) finds a workload's metrics: a ServiceMonitor or PodMonitor
 * named and labelled like the workload, so it ships and is toggled with it.
 * @see https://prometheus-operator.dev/docs/developer/getting-started/
 */
export class MetricsMonitor extends Construct {
  /** Scrape interval every monitor uses unless told otherwise. */
  public static readonly DEFAULT_INTERVAL = '30s';

  public constructor(scope: Construct, id: string, props: MetricsMonitorProps) {
    super(scope, id);
    const { workload } = props;
    const endpoint = { port: props.port, path: props.path ?? '/metrics', interval: props.interval ?? MetricsMonitor.DEFAULT_INTERVAL };
    const metadata = { name: workload.name, labels: { ...workload.labels.all, ...props.labels } };
    const selector = { matchLabels: { ...workload.labels.selector } };
    if ((props.target ?? 'service') === 'pod') {
      new PodMonitor(this, 'Resource', { metadata, spec: { selector, podMetricsEndpoints: [endpoint] } });
    } else {
      const serviceSelector = { ...(props.serviceSelector ?? selector.matchLabels) };
      new ServiceMonitor(this, 'Resource', { metadata, spec: { selector: { matchLabels: serviceSelector }, endpoints: [endpoint] } });
      this.node.addValidation({ validate: () => this.doubleScrapes(workload.name, serviceSelector, props.port) });
    }
  }

  /**
   * A ServiceMonitor scrapes a pod once per Service it selects that publishes the port and
   * selects the pod: two such Services whose selectors can match the same pods (a language's
   * Service and its instances' headless ones) double every sum over the metrics.
   */
  private doubleScrapes(name: string, serviceSelector: Readonly<Record<string, string>>, port: string): string[] {
    type Service = { metadata: { name: string; labels?: Record<string, string> }; spec: { selector?: Record<string, string>; ports?: { name?: string }[] } };
    const services = Chart.of(this)
      .node.findAll()
      .filter((c): c is ApiObject => c instanceof ApiObject && c.kind === 'Service')
      .map((c) => c.toJson() as Service)
      .filter((s) => Object.entries(serviceSelector).every(([k, v]) => s.metadata.labels?.[k] === v) && (s.spec.ports ?? []).some((p) => p.name === port) && s.spec.selector);
    const overlap = (a: Record<string, string>, b: Record<string, string>): boolean => Object.entries(a).every(([k, v]) => b[k] === undefined || b[k] === v);
    const problems: string[] = [];
    services.forEach((a, i) =>
      services.slice(i + 1).forEach((b) => {
        if (overlap(a.spec.selector!, b.spec.selector!)) {
          problems.push(
            `ServiceMonitor ${name} would scrape the same pods twice, through Services ${a.metadata.name} and ${b.metadata.name} (both publish port "${port}"): give serviceSelector the labels of one, or scrape the pods with target 'pod'`,
          );
        }
      }),
    );
    return problems;
  }
}
