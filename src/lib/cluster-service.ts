import type * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { service, type ServicePort, type Workload } from './_workload-parts.ts';

/** Props of {@link ClusterService}. */
export interface ClusterServiceProps {
  /** Name of the Service. */
  readonly name: string;
  /** The pods it sends traffic to (its selector is their selector labels). */
  readonly target: Workload;
  readonly ports: readonly ServicePort[];
  /**
   * Further labels of the Service (not of its selector), telling it apart from the workload's
   * other Services, e.g. for a ServiceMonitor that should scrape through this one only.
   * @default - none
   */
  readonly extraLabels?: Readonly<Record<string, string>>;
}

/**
 * A further ClusterIP Service in front of a workload's pods, for a workload that already has
 * one (a StatefulSet's headless Service gives each pod its DNS name; this one load-balances).
 * @see https://kubernetes.io/docs/concepts/services-networking/service/
 */
export class ClusterService extends Construct {
  public readonly name: string;
  /** The Service's own labels: the target's standard labels and the extra ones. */
  public readonly serviceLabels: Readonly<Record<string, string>>;
  public readonly service: kplus.Service;

  public constructor(scope: Construct, id: string, props: ClusterServiceProps) {
    super(scope, id);
    this.name = props.name;
    const { target } = props;
    if (props.ports.length === 0) throw new Error(`[${this.node.path}] ports must name at least one port`);
    const labels = props.extraLabels ? target.labels.withSelector(props.extraLabels) : target.labels;
    this.serviceLabels = labels.all;
    this.service = service(this, this.name, labels, props.ports, { id: 'Resource', selector: target.labels.selector });
  }
}
