import type { Duration } from './_duration.ts';
import { num } from './_duration.ts';
import type { Priority, TestSeries } from './alerts.ts';
import type { MetricOwner } from './metrics-catalogue.ts';

/** A service level objective of spec section 8, measured as a ratio of bad events. */
export interface SloDefinition {
  /** Short name, the `slo` label of its recording rules and alerts. */
  readonly name: string;
  /** Used in alert names, e.g. `Availability`. */
  readonly title: string;
  /** Target fraction of good events, e.g. 0.999. */
  readonly objective: number;
  /** The compliance window the objective holds over; its dashboard shows the error budget left in it. @default '30d' */
  readonly window?: Duration;
  readonly service: MetricOwner;
  /** What a bad event is, for summaries and runbooks. */
  readonly meaning: string;
  /**
   * For a latency SLO: the bound, in milliseconds, a good event is answered within. With the
   * objective it reads as a quantile (`objective` 0.95 and 400: p95 <= 400 ms), which load tests
   * assert. @default - not a latency SLO
   */
  readonly latencyBoundMs?: number;
  /**
   * Rules computed every evaluation before the windowed ratios (e.g. an instant ratio), each
   * recorded as `<prefix>_slo:<record>` ({@link sloRecord}).
   */
  readonly instantRules?: readonly { readonly record: string; readonly expr: string }[];
  /**
   * Samples of test input before the error ratio has a value: a ratio of rates needs two
   * samples, an average of instant values has one from the first. The burn-rate alerts' tests
   * expect them to fire on that very evaluation.
   * @default 1
   */
  readonly warmupSamples?: number;
  /** PromQL of the ratio of bad events over `window`; `prefix` names the rules' own recordings ({@link sloRecord}). */
  readonly errorRatio: (window: Duration, prefix: string) => string;
  /**
   * Test input whose error ratio follows `phases` in turn (each phase `steps` samples at its
   * ratio, every ratio 0 or one value r); returns the r it actually produces (exactly r for
   * counters, a fraction k/n just `above` or below r when it counts series).
   */
  readonly fixture: (phases: readonly FixturePhase[], above: boolean) => { readonly series: readonly TestSeries[]; readonly ratio: number };
}

/** The compliance window of an SLO that names none (a month, as spec section 8 measures availability). */
export const DEFAULT_SLO_WINDOW: Duration = '30d';

/** A stretch of an SLO's test input at one error ratio. */
export interface FixturePhase {
  readonly ratio: number;
  /** Samples at that ratio. */
  readonly steps: number;
}

/** A multi-window, multi-burn-rate alert (Google SRE workbook, chapter 5). */
export interface BurnRateWindow {
  /** Suffix of the alert name. */
  readonly speed: 'Fast' | 'Medium' | 'Slow' | 'Gradual';
  readonly factor: number;
  readonly long: Duration;
  readonly short: Duration;
  /** Pages go to PagerDuty (P2), tickets to chat (P3). */
  readonly priority: Priority;
}

/** The workbook's windows: 14.4x over 1h/5m and 6x over 6h/30m page; 3x over 1d/2h and 1x over 3d/6h ticket. */
export const BURN_RATE_WINDOWS: readonly BurnRateWindow[] = [
  { speed: 'Fast', factor: 14.4, long: '1h', short: '5m', priority: 'P2' },
  { speed: 'Medium', factor: 6, long: '6h', short: '30m', priority: 'P2' },
  { speed: 'Slow', factor: 3, long: '1d', short: '2h', priority: 'P3' },
  { speed: 'Gradual', factor: 1, long: '3d', short: '6h', priority: 'P3' },
];

/** Name of an SLO recording rule in the rules named `prefix` (the observability model's name). */
export function sloRecord(prefix: string, record: string): string {
  return `${prefix}_slo:${record}`;
}

/** Name of the recording rule holding an SLO's error ratio over `window`, in the rules named `prefix`. */
export function errorRatioRecord(prefix: string, window: Duration): string {
  return sloRecord(prefix, `error_ratio:rate${window}`);
}

/** The windows whose alerts page (fast, medium): the ones that can move within a rollout step. */
export const PAGING_BURN_RATE_WINDOWS: readonly BurnRateWindow[] = BURN_RATE_WINDOWS.filter((w) => w.priority !== 'P3');

/** Windows any burn-rate alert reads, in ascending length. */
export const SLO_WINDOWS: readonly Duration[] = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'];

/**
 * Two counters, bad and good events, growing `1000 * ratio` and `1000 * (1 - ratio)` per sample
 * through the phases in turn, so the error ratio of any window inside a phase is its ratio.
 */
export function counterRatioPhases(bad: string, good: string, phases: readonly FixturePhase[]): TestSeries[] {
  return [
    { series: bad, values: counterPhases(phases.map((p) => ({ perStep: 1000 * p.ratio, steps: p.steps }))) },
    { series: good, values: counterPhases(phases.map((p) => ({ perStep: 1000 * (1 - p.ratio), steps: p.steps }))) },
  ];
}

/** A counter growing `perStep` per sample through each phase, in promtool's expanding notation. */
export function counterPhases(phases: readonly { readonly perStep: number; readonly steps: number }[]): string {
  let value = 0;
  return phases
    .map((p, i) => {
      // The first phase starts at 0 with steps + 1 samples; each later one continues the count.
      const start = i === 0 ? 0 : value + p.perStep;
      const n = i === 0 ? p.steps : p.steps - 1;
      value = start + p.perStep * n;
      return `${num(start)}+${num(p.perStep)}x${n}`;
    })
    .join(' ');
}
