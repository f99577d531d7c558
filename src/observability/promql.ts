import { analysePromql, vectorSelectors, type LabelMatcher } from './_promql-selectors.ts';

export type { LabelMatcher } from './_promql-selectors.ts';
import type { MetricsCatalogue } from './metrics-catalogue.ts';

/** A selector's matcher on `le`: the histogram bucket it reads. */
interface BucketMatcher {
  readonly series: string;
  readonly op: string;
  readonly value: string;
}

/** What parsing an expression found: syntax problems, the metric names it selects, and its `le` matchers. */
interface Parsed {
  readonly problems: readonly string[];
  readonly metrics: readonly string[];
  readonly buckets: readonly BucketMatcher[];
}

/** What the checks read of an expression, from its one parse (analysePromql). */
function parse(expr: string): Parsed {
  const { errors, selectors } = analysePromql(expr);
  return {
    problems: [
      ...errors.map((e) => `does not parse at offset ${e.offset} ("${e.near}")`),
      ...selectors.filter((s) => s.metric === undefined).map((s) => `selector "${s.text}" names no metric`),
    ],
    metrics: selectors.flatMap((s) => (s.metric === undefined ? [] : [s.metric])),
    buckets: selectors.flatMap((s) => (s.metric === undefined ? [] : s.matchers.filter((m) => m.label === 'le').map((m) => ({ series: s.metric!, op: m.op, value: m.value })))),
  };
}

/**
 * Problems of one PromQL expression: parse errors (any error node of the official grammar) and
 * selectors of metrics that are not catalogued. Empty when the expression is fine.
 */
export function checkPromql(expr: string, catalogue: MetricsCatalogue): string[] {
  const { problems, metrics, buckets } = parse(expr);
  return [
    ...problems,
    ...metrics.filter((m) => !catalogue.knows(m)).map((m) => `unknown metric "${m}"`),
    ...buckets.flatMap((b) => bucketProblems(b, catalogue)),
  ];
}

/** The bound an `le` matcher selects: `400` of `le="400"`, `le="400.0"` or {@link bucketMatcher}'s regex. */
function boundOf(m: BucketMatcher): number | undefined {
  const text = m.op === '=' ? m.value : m.op === '=~' ? /^(\d+(?:\\\.\d+)?)/.exec(m.value)?.[1]?.replace('\\', '') : undefined;
  const n = text === undefined ? NaN : Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** A histogram bucket selected at a bound its exporter does not declare: that selector returns no series. */
function bucketProblems(m: BucketMatcher, catalogue: MetricsCatalogue): string[] {
  const metric = catalogue.lookup(m.series);
  if (!metric || metric.type !== 'histogram' || !m.series.endsWith('_bucket') || m.value === '+Inf') return [];
  const bound = boundOf(m);
  if (bound === undefined) return [];
  const declared = metric.buckets ?? [];
  return declared.includes(bound)
    ? []
    : [`"${m.series}" is selected at le ${bound}, not a bucket "${metric.name}" declares (${declared.length > 0 ? declared.join(', ') : 'none declared'})`];
}

/** The metric names an expression selects (recording rules' names included), in order, each once; empty when it does not parse. */
export function selectedMetrics(expr: string): string[] {
  const { problems, metrics } = parse(expr);
  return problems.length > 0 ? [] : [...new Set(metrics)];
}

/** Every label matcher of every vector selector of `expr`, in order; empty when it does not parse. */
export function labelMatchers(expr: string): LabelMatcher[] {
  return (vectorSelectors(expr) ?? []).flatMap((v) => v.matchers);
}

/**
 * The matcher of a histogram's bucket `bound`, whatever way the client writes the number:
 * `le="400"` and `le="400.0"` (Prometheus 3 normalizes to the float form, many clients write
 * the integer), `le="0.4"` and `le="0.40"`. A selector on one spelling silently loses the series
 * of the other.
 */
export function bucketMatcher(bound: number): string {
  const text = String(bound);
  const escaped = text.replace('.', '\\\\.');
  return `le=~"${text.includes('.') ? `${escaped}0*` : `${escaped}(\\\\.0+)?`}"`;
}
