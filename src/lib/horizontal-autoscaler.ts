import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { Workload } from './_workload-parts.ts';

/** What the autoscaler keeps near its target. */
export type ScalingMetric =
  | { readonly kind: 'cpu'; /** Average utilisation of the CPU request, in percent. */ readonly utilization: number }
  | {
      readonly kind: 'pods';
      /** Per-pod custom metric served by the custom metrics API (e.g. prometheus-adapter). */
      readonly metric: string;
      /** Target average per pod, a whole number. */
      readonly averageValue: number;
    };

/** A Deployment, or what runs its pods, whose replica count an autoscaler can own. */
export interface ScaleTarget extends Workload {
  /** The Deployment whose containers the autoscaler's resource metrics read. */
  readonly deployment: kplus.Deployment;
  /** The kind the autoscaler scales, when not the Deployment (a Rollout running its pods). @default - the Deployment */
  readonly scaleTargetKind?: { readonly apiVersion: string; readonly kind: string };
  /** Leaves the replica count to `autoscaler`: the target no longer sets it. */
  releaseReplicas(autoscaler: Construct): void;
}

/** Props of {@link HorizontalAutoscaler}. */
export interface HorizontalAutoscalerProps {
  /** The Deployment to scale (same name); it leaves its replica count to the autoscaler. */
  readonly target: ScaleTarget;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly metrics: readonly ScalingMetric[];
}

/**
 * A cdk8s-plus HorizontalPodAutoscaler (autoscaling/v2) for a Deployment, which owns the
 * Deployment's replica count from then on: the Deployment's own replicas are its floor until it
 * is handed over, and leave `spec.replicas` out after, so a GitOps sync never resets a
 * scaled-out Deployment. Scale-in waits 5 minutes so a burst does not flap; the rates are
 * Kubernetes' defaults.
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
 */
export class HorizontalAutoscaler extends Construct {
  public readonly minReplicas: number;
  public readonly maxReplicas: number;
  public readonly metrics: readonly ScalingMetric[];

  public constructor(scope: Construct, id: string, props: HorizontalAutoscalerProps) {
    super(scope, id);
    this.minReplicas = Math.max(1, props.minReplicas);
    this.maxReplicas = props.maxReplicas;
    this.metrics = props.metrics;
    if (this.maxReplicas < this.minReplicas) {
      throw new Error(`[${this.node.path}] maxReplicas must be >= minReplicas (${this.minReplicas}), got ${this.maxReplicas}`);
    }
    if (this.metrics.length === 0) throw new Error(`[${this.node.path}] metrics must name at least one metric`);
    props.target.releaseReplicas(this);
    const { deployment, scaleTargetKind } = props.target;
    // The target's replicas were its floor: handed over (above), they no longer fix the count.
    const target: kplus.IScalable = {
      hasAutoscaler: true,
      markHasAutoscaler: () => undefined,
      toScalingTarget: () => ({ ...deployment.toScalingTarget(), replicas: undefined, ...scaleTargetKind }),
    };
    new kplus.HorizontalPodAutoscaler(this, 'Resource', {
      metadata: { name: props.target.name, labels: { ...props.target.labels.all } },
      target,
      minReplicas: this.minReplicas,
      maxReplicas: this.maxReplicas,
      metrics: this.metrics.map(toMetric),
      // Kubernetes' own rates, stated because kplus's defaults differ (and would follow the floor).
      scaleUp: { policies: [{ replicas: kplus.Replicas.absolute(4), duration: Duration.seconds(15) }, { replicas: kplus.Replicas.percent(100), duration: Duration.seconds(15) }] },
      scaleDown: { stabilizationWindow: Duration.minutes(5), policies: [{ replicas: kplus.Replicas.percent(100), duration: Duration.seconds(15) }] },
    });
  }
}

function toMetric(m: ScalingMetric): kplus.Metric {
  return m.kind === 'cpu'
    ? kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(m.utilization))
    : kplus.Metric.pods({ name: m.metric, target: kplus.MetricTarget.averageValue(m.averageValue) });
}
