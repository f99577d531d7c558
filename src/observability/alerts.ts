import type { Duration } from './_duration.ts';
import { num } from './_duration.ts';

export { num } from './_duration.ts';
import type { MetricOwner } from './metrics-catalogue.ts';

/** Alert priority (spec section 8): P1 and P2 page, P3 goes to chat and email. */
export type Priority = 'P1' | 'P2' | 'P3';
export type Severity = 'critical' | 'warning' | 'info';

/** Severity follows priority, so the two labels never disagree. */
export const SEVERITY: Readonly<Record<Priority, Severity>> = { P1: 'critical', P2: 'warning', P3: 'info' };

/** One input series of a promtool unit test, in promtool's expanding notation. */
export interface TestSeries {
  readonly series: string;
  readonly values: string;
}

/**
 * Input that makes an alert's measured query equal `value` during a promtool test, evaluated at
 * `evalSeconds` after the series start. Each series gets the test's `namespace` label unless it
 * names one; `namespace` is there for a series that must carry it in another label (an
 * exporter's `exported_namespace`).
 */
export type SeriesAt = (value: number, evalSeconds: number, steps: number, namespace: string) => readonly TestSeries[];

/** A threshold alert: `<query> <op> <threshold>` held for `for`. */
export interface AlertDefinition {
  /** `alertname`, in PascalCase. */
  readonly name: string;
  /** The measured quantity, without the comparison. */
  readonly query: string;
  readonly op: '>' | '<';
  readonly threshold: number;
  /** How long the condition must hold. @default - fires on the first evaluation */
  readonly for?: Duration;
  readonly priority: Priority;
  /** The component the alert is about; its `service` label, used for grouping and inhibition. */
  readonly service: MetricOwner;
  readonly summary: string;
  readonly description: string;
  /** Name of the runbook under ops/runbooks/ (without `.md`). */
  readonly runbook: string;
  /** Labels the query keeps on the firing alert, as produced by `series`, besides the namespace. @default - none */
  readonly outputLabels?: Readonly<Record<string, string>>;
  /** Test input; the query over it equals the value asked for. */
  readonly series: SeriesAt;
  /** Seconds from the series start until the query first has a value (a rate needs two samples). @default 0 */
  readonly warmupSeconds?: number;
}

/** The alert expression: the query compared with the threshold. */
export function alertExpr(a: AlertDefinition): string {
  return `${a.query} ${a.op} ${num(a.threshold)}`;
}

/** Two counters growing per minute so that `bad / (bad + good)` equals `ratio`. */
export function counterRatio(bad: string, good: string, ratio: number, steps: number): TestSeries[] {
  return [
    { series: bad, values: `0+${num(1000 * ratio)}x${steps}` },
    { series: good, values: `0+${num(1000 * (1 - ratio))}x${steps}` },
  ];
}

/** A series holding one value for the whole test. */
export function constant(series: string, value: number, steps: number): TestSeries {
  return { series, values: `${num(value)}+0x${steps}` };
}
