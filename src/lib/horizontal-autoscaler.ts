import { Construct } from 'constructs';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IMetricSpec } from 'kubernetes-models/autoscaling/v2/MetricSpec';
import { typedApiObject } from './_api-object.ts';
import type { Workload } from './_workload-parts.ts';

/** What the autoscaler keeps near its target. */
export type ScalingMetric =
  | { readonly kind: 'cpu'; /** Average utilisation of the CPU request, in percent. */ readonly utilization: number }
  | {
      readonly kind: 'pods';
      /** Per-pod custom metric served by the custom metrics API (e.g. prometheus-adapter). */
      readonly metric: string;
      /** Target average per pod, as a quantity. */
      readonly averageValue: string;
    };

/** A Deployment whose replica count an autoscaler can own. */
export interface ScaleTarget extends Workload {
  /** Leaves the replica count to `autoscaler`: the Deployment no longer sets it. */
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
 * An autoscaling/v2 HorizontalPodAutoscaler for a Deployment, which owns the Deployment's
 * replica count from then on.
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
    typedApiObject<IHorizontalPodAutoscaler>(this, 'Resource', {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: props.target.name, labels: { ...props.target.labels.all } },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: props.target.name },
        minReplicas: this.minReplicas,
        maxReplicas: this.maxReplicas,
        metrics: this.metrics.map(toMetricSpec),
        // Scale in slowly: a burst should not flap replicas.
        behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
      },
    });
  }
}

function toMetricSpec(m: ScalingMetric): IMetricSpec {
  return m.kind === 'cpu'
    ? { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: m.utilization } } }
    : { type: 'Pods', pods: { metric: { name: m.metric }, target: { type: 'AverageValue', averageValue: m.averageValue } } };
}
