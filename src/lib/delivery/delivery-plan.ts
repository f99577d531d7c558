import type { JSONSchemaType } from 'ajv';
import type { BurnRateCheck } from '../../observability/index.ts';
import { duration } from '../values/schemas.ts';

/**
 * One step of a canary: send `weight` percent of the pods' share to the new version, then
 * optionally hold for `pause` and run the SLO analysis before the next step. After the last
 * step the rollout promotes to 100%.
 */
export interface CanaryStep {
  /** Percent of the replicas running the new version, 1-99. */
  readonly weight: number;
  /** How long to hold at this weight, e.g. `1h`. @default - no pause */
  readonly pause?: string;
  /** Run the analysis at this weight; a failed analysis aborts and rolls back. @default false */
  readonly analysis?: boolean;
}

/** How an environment delivers new versions of its components (Argo Rollouts). */
export interface DeliverySettings {
  /** Prometheus' HTTP address as the Argo Rollouts controller reaches it. */
  readonly prometheusAddress: string;
  /** The canary of every stateless component. */
  readonly canarySteps: readonly CanaryStep[];
}

/** What each component's build gets when the environment delivers by Argo Rollouts. */
export interface DeliveryPlan {
  readonly canarySteps: readonly CanaryStep[];
  /** What every analysis checks: the SLOs' burn rates, as their paging alerts check them. */
  readonly analysis: {
    readonly prometheusAddress: string;
    readonly checks: readonly BurnRateCheck[];
  };
}

/** A problem of a model's canary steps: the field path below the steps, and the message. */
export interface CanaryStepIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * What the schema cannot see in a canary: each step's weight must be above the one before, as
 * the canary only grows until it is promoted (a lower weight takes traffic back from the new
 * version mid-analysis, which Argo Rollouts does without a word). Paths are `[i].weight`, to
 * be put after the steps' own path.
 */
export function canaryStepIssues(steps: readonly CanaryStep[]): CanaryStepIssue[] {
  return steps.flatMap((step, i) => {
    const before = steps[i - 1];
    if (before === undefined || step.weight > before.weight) return [];
    return [{ path: `[${i}].weight`, message: `must be above the step before's weight (${before.weight}): a canary only grows until it is promoted, got ${step.weight}` }];
  });
}

/** JSON Schema of {@link DeliverySettings}, for a stack's model. */
export const deliverySettingsSchema: JSONSchemaType<DeliverySettings> = {
  type: 'object',
  additionalProperties: false,
  required: ['prometheusAddress', 'canarySteps'],
  properties: {
    prometheusAddress: { type: 'string', pattern: '^https?://[^\\s/]+(/\\S*)?$', format: 'http-url', description: 'an http(s) URL such as http://prometheus-operated.monitoring.svc:9090' },
    canarySteps: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['weight'],
        properties: {
          weight: { type: 'integer', minimum: 1, maximum: 99 },
          pause: { ...duration, nullable: true },
          analysis: { type: 'boolean', nullable: true },
        },
      },
    },
  },
};
