import { Lazy } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Rollout, RolloutSpecStrategyCanaryStepsPauseDuration, type RolloutSpecStrategy } from '../../../imports/rollouts-argoproj.io.ts';
import type { ScaleTarget } from '../horizontal-autoscaler.ts';
import type { AppLabels } from '../labels.ts';
import type { CanaryStep, DeliveryPlan } from './delivery-plan.ts';
import { SloAnalysisTemplate } from './slo-analysis-template.ts';

/** How a {@link ProgressiveRollout} replaces the running version. */
export type RolloutStrategy =
  | {
      /** Moves replicas to the new version step by step, with the SLO analysis where a step asks for it. */
      readonly kind: 'canary';
      readonly steps: readonly CanaryStep[];
    }
  | {
      /** Starts the new version beside the old one behind `previewService`, analyses it, then switches `activeService` over. */
      readonly kind: 'blue-green';
      readonly activeService: string;
      readonly previewService: string;
    };

/** A workload whose pods a rollout takes over: its Deployment, kept as the pod template. */
export interface RolloutTarget extends ScaleTarget {
  readonly replicas: number;
}

/** Props of {@link ProgressiveRollout}. */
export interface ProgressiveRolloutProps {
  readonly target: RolloutTarget;
  readonly strategy: RolloutStrategy;
  /** What the analysis checks (a canary's analysis steps, a blue/green pre-promotion analysis). */
  readonly analysis: DeliveryPlan['analysis'];
}

/**
 * An Argo Rollouts Rollout that takes over a Deployment's pods (`workloadRef`): the Deployment
 * stays the pod template the library hardens, with no replicas of its own, and the Rollout runs
 * the pods, scaling the Deployment's old ones down as its own become available. Its own
 * AnalysisTemplate (`<name>-slo-analysis`, beside it, so its chart carries it) fails the
 * rollout, which aborts and scales back, when an SLO burns as its paging alerts say. Traffic follows
 * the replica ratio (no traffic router), so every Service, NetworkPolicy and disruption budget
 * that selects the workload's labels keeps selecting its pods. An autoscaler scales the Rollout.
 * @see https://argoproj.github.io/argo-rollouts/features/specification/
 * @see https://argoproj.github.io/argo-rollouts/migrating/#reference-deployment-from-rollout
 */
export class ProgressiveRollout extends Construct implements ScaleTarget {
  public readonly name: string;
  public readonly labels: AppLabels;
  public readonly deployment: kplus.Deployment;
  public readonly scaleTargetKind = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' } as const;
  public readonly strategy: RolloutStrategy;
  private scaler?: Construct;

  public constructor(scope: Construct, id: string, props: ProgressiveRolloutProps) {
    super(scope, id);
    const { target } = props;
    this.name = target.name;
    this.labels = target.labels;
    this.deployment = target.deployment;
    this.strategy = props.strategy;
    const analysis = new SloAnalysisTemplate(this, 'Analysis', {
      name: `${this.name}-slo-analysis`,
      labels: this.labels,
      prometheusAddress: props.analysis.prometheusAddress,
      checks: props.analysis.checks,
    });
    target.releaseReplicas(this);
    new Rollout(this, 'Resource', {
      metadata: { name: this.name, labels: { ...this.labels.all } },
      spec: {
        replicas: Lazy.any({ produce: () => (this.scaler ? undefined : target.replicas) }),
        revisionHistoryLimit: 5,
        selector: { matchLabels: { ...this.labels.selector } },
        workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.name, scaleDown: 'progressively' },
        strategy: strategyOf(this.strategy, analysis.name),
      },
    });
  }

  /** Hands the Rollout's replica count over to an autoscaler. */
  public releaseReplicas(autoscaler: Construct): void {
    if (this.scaler) throw new Error(`[${autoscaler.node.path}] ${this.node.path} is already scaled by ${this.scaler.node.path}`);
    this.scaler = autoscaler;
  }
}

function strategyOf(s: RolloutStrategy, templateName: string): RolloutSpecStrategy {
  const templates = [{ templateName }];
  if (s.kind === 'blue-green') {
    return {
      blueGreen: {
        activeService: s.activeService,
        previewService: s.previewService,
        autoPromotionEnabled: true,
        prePromotionAnalysis: { templates },
      },
    };
  }
  return {
    canary: {
      steps: s.steps.flatMap((step) => [
        { setWeight: step.weight },
        ...(step.pause ? [{ pause: { duration: RolloutSpecStrategyCanaryStepsPauseDuration.fromString(step.pause) } }] : []),
        ...(step.analysis ? [{ analysis: { templates } }] : []),
      ]),
    },
  };
}
