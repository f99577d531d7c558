import { num, type Duration } from './_duration.ts';
import type { SloDefinition } from './slos.ts';

/**
 * What must hold while an SLO is met, as one PromQL condition: the SLO's own error ratio over a
 * window stays within its error budget. Chaos experiments and game days state it, so they test
 * against the same expression and objective the burn-rate alerts use.
 */
export interface SteadyState {
  /** The SLO's name (its `slo` label). */
  readonly slo: string;
  /** Target fraction of good events, e.g. 0.999. */
  readonly objective: number;
  /** The window the error ratio is taken over. */
  readonly window: Duration;
  /** The SLO's error ratio over `window`, as its recording rule computes it. */
  readonly query: string;
  /** `1 - objective`: the largest error ratio that still meets the SLO. */
  readonly budget: number;
  /** `<query> <= <budget>`: true (non-empty) while the SLO holds. */
  readonly condition: string;
}

/**
 * The steady state of `slo` over `window`, in the rules named `rulesName` (the observability
 * model's name, which prefixes the SLO recording rules its expression may read).
 */
export function steadyState(slo: SloDefinition, rulesName: string, window: Duration): SteadyState {
  const query = slo.errorRatio(window, rulesName);
  const budget = Number(num(1 - slo.objective));
  return { slo: slo.name, objective: slo.objective, window, query, budget, condition: `${query} <= ${num(budget)}` };
}
