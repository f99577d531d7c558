import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { AppLabels } from './labels.ts';
import { checkContainer, hardenedPodProps, hardenPodObject, type ContainerSpec, type PodSpec } from './_pod-template.ts';
import { service, serviceAccount, type ServicePort, type Workload } from './_workload-parts.ts';

/** Props of {@link StatelessService}. */
export interface StatelessServiceProps {
  /** Name of the Deployment, Service and ServiceAccount, and of the main container. */
  readonly name: string;
  /** Standard labels; `selector` selects the pods. */
  readonly labels: AppLabels;
  /**
   * Pod replicas; the autoscaler's floor once {@link StatelessService.releaseReplicas} hands them
   * over to one.
   * @default 1
   */
  readonly replicas?: number;
  /** The main container (named after the workload). */
  readonly container: Omit<ContainerSpec, 'name'>;
  /** @default - none */
  readonly sidecars?: readonly ContainerSpec[];
  /** Volumes the containers mount. @default - none besides the writable paths' emptyDirs */
  readonly volumes?: readonly IVolume[];
  /** Pod template annotations. @default - none */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /**
   * Ports of the Service.
   * @default - every port of the main container, unchanged
   */
  readonly servicePorts?: readonly ServicePort[];
  /** @default 'ClusterIP' */
  readonly serviceType?: 'ClusterIP' | 'LoadBalancer';
  /**
   * The only client ranges a LoadBalancer admits.
   * @default - any
   * @see https://kubernetes.io/docs/tasks/access-application-cluster/configure-cloud-provider-firewall/
   */
  readonly loadBalancerSourceRanges?: readonly string[];
  /** @default - Kubernetes' 30 seconds */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Mount the ServiceAccount token: only for workloads that call the Kubernetes API.
   * @default false
   */
  readonly automountServiceAccountToken?: boolean;
}

/**
 * A hardened stateless workload on cdk8s-plus: its own ServiceAccount, a Deployment whose every container
 * meets the Pod Security Standard `restricted` with a read-only root filesystem, probes on the
 * main container, replicas spread across zones and nodes, and a Service for its ports.
 */
export class StatelessService extends Construct implements Workload {
  /** Its NetworkPolicy and the like are made in this construct's chart. */
  public readonly home: Construct = this;
  public readonly name: string;
  public readonly labels: AppLabels;
  public readonly replicas: number;
  public readonly servicePorts: readonly ServicePort[];
  public readonly serviceAccount: kplus.ServiceAccount;
  public readonly deployment: kplus.Deployment;
  public readonly service: kplus.Service;
  /** The autoscaler that owns the replica count, once one does. */
  private scaler?: Construct;

  public constructor(scope: Construct, id: string, props: StatelessServiceProps) {
    super(scope, id);
    this.name = props.name;
    this.labels = props.labels;
    this.replicas = props.replicas ?? 1;
    const main: ContainerSpec = { name: props.name, ...props.container };
    const containers = [main, ...(props.sidecars ?? [])];
    const automount = props.automountServiceAccountToken ?? false;

    const where = this.node.path;
    if (!Number.isInteger(this.replicas) || this.replicas < 0) {
      throw new Error(`[${where}] replicas must be an integer >= 0, got ${this.replicas}`);
    }
    if ((main.ports ?? []).length === 0) throw new Error(`[${where}] container.ports must name at least one port`);
    containers.forEach((c) => checkContainer(`${where}/${c.name}`, c));
    this.servicePorts = props.servicePorts ?? (main.ports ?? []).map((p) => ({ ...p, targetPort: p.port }));

    this.serviceAccount = serviceAccount(this, this.name, this.labels, automount);
    const pod: PodSpec = {
      labels: this.labels,
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: automount,
      containers,
      ...(props.volumes ? { volumes: props.volumes } : {}),
      ...(props.podAnnotations ? { annotations: props.podAnnotations } : {}),
      ...(props.terminationGracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds: props.terminationGracePeriodSeconds } : {}),
    };
    this.deployment = new kplus.Deployment(this, 'Deployment', {
      ...hardenedPodProps(this, pod),
      metadata: { name: this.name, labels: { ...this.labels.all } },
      replicas: this.replicas,
      strategy: kplus.DeploymentStrategy.rollingUpdate({ maxSurge: kplus.PercentOrAbsolute.percent(25), maxUnavailable: kplus.PercentOrAbsolute.absolute(0) }),
    });
    this.deployment.select(kplus.LabelSelector.of({ labels: { ...this.labels.selector } }));
    hardenPodObject(this.deployment, '/spec/template', pod);
    this.service = service(this, this.name, this.labels, this.servicePorts, {
      type: props.serviceType ?? 'ClusterIP',
      ...(props.loadBalancerSourceRanges ? { loadBalancerSourceRanges: props.loadBalancerSourceRanges } : {}),
    });
  }

  /**
   * Hands the replica count over to `autoscaler` (an autoscaler, or a Rollout running the pods):
   * the Deployment leaves `spec.replicas` out, so applying the manifests again (kubectl apply, a
   * GitOps sync) never resets a scaled-out Deployment to its floor.
   * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#migrating-deployments-and-statefulsets-to-horizontal-autoscaling
   */
  public releaseReplicas(autoscaler: Construct): void {
    if (this.scaler) {
      throw new Error(`[${autoscaler.node.path}] ${this.node.path} is already scaled by ${this.scaler.node.path}; two owners of one Deployment's replicas fight`);
    }
    this.scaler = autoscaler;
    // kplus leaves a Deployment's replicas out only for an autoscaler; whatever owns them now is one.
    this.deployment.markHasAutoscaler();
  }
}
