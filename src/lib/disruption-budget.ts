import { Construct } from 'constructs';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { typedApiObject } from './_api-object.ts';
import type { Workload } from './_workload-parts.ts';

/** Props of {@link DisruptionBudget}. */
export interface DisruptionBudgetProps {
  /** The pods to protect. */
  readonly target: Workload;
  /**
   * Pods that voluntary disruptions (drains, upgrades) may take down at once.
   * @default 1
   */
  readonly maxUnavailable?: number;
  /** Selector of the pods. @default - the target's selector labels */
  readonly selector?: Readonly<Record<string, string>>;
  /** @default - the target's name */
  readonly name?: string;
}

/**
 * A policy/v1 PodDisruptionBudget that lets drains proceed one pod at a time.
 * @see https://kubernetes.io/docs/tasks/run-application/configure-pdb/
 */
export class DisruptionBudget extends Construct {
  public readonly maxUnavailable: number;

  public constructor(scope: Construct, id: string, props: DisruptionBudgetProps) {
    super(scope, id);
    this.maxUnavailable = props.maxUnavailable ?? 1;
    if (!Number.isInteger(this.maxUnavailable) || this.maxUnavailable < 1) {
      throw new Error(`[${this.node.path}] maxUnavailable must be an integer >= 1, got ${this.maxUnavailable}`);
    }
    typedApiObject<IPodDisruptionBudget>(this, 'Resource', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: props.name ?? props.target.name, labels: { ...props.target.labels.all } },
      spec: {
        maxUnavailable: this.maxUnavailable,
        selector: { matchLabels: { ...(props.selector ?? props.target.labels.selector) } },
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });
  }
}
