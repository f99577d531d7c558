import { createRequire } from 'node:module';
import type { LRParser as Parser } from '@lezer/lr';
import type { MetricsCatalogue } from './metrics-catalogue.ts';

const require = createRequire(import.meta.url);

let promql: Parser | undefined;

/** The official PromQL grammar, loaded through CommonJS on first use (one module, no ESM hops). */
function parser(): Parser {
  promql ??= (require('@prometheus-io/lezer-promql') as { parser: Parser }).parser;
  return promql;
}

/*
 * Grafana replaces its interval variables before the query reaches Prometheus; for parsing they
 * stand for a range duration.
 */
const GRAFANA_RANGE_VARIABLES = /\$__(rate_interval|interval|range)\b/g;

/**
 * The syntax tree of an expression as Grafana sends it: each interval variable stands for a
 * duration of the same length, so the tree's offsets are those of `expr` itself.
 */
export function promqlTree(expr: string): ReturnType<Parser['parse']> {
  return parser().parse(asPromql(expr));
}

/** `expr` with each Grafana interval variable as a duration of the same length (`$__rate_interval` as `1111111111111111s`). */
function asPromql(expr: string): string {
  return expr.replace(GRAFANA_RANGE_VARIABLES, (v) => `${'1'.repeat(v.length - 1)}s`);
}

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

/* Every environment checks the same expressions: parse each once per process. */
const parsed = new Map<string, Parsed>();

function parse(expr: string): Parsed {
  const cached = parsed.get(expr);
  if (cached) return cached;
  const text = asPromql(expr);
  const problems: string[] = [];
  const metrics: string[] = [];
  const buckets: BucketMatcher[] = [];
  parser().parse(text).iterate({
    enter: (node) => {
      if (node.type.isError) {
        problems.push(`does not parse at offset ${node.from} ("${text.slice(Math.max(0, node.from - 10), node.from + 10)}")`);
        return false;
      }
      if (node.name !== 'VectorSelector') return undefined;
      const name = node.node.getChild('Identifier');
      if (!name) problems.push(`selector "${text.slice(node.from, node.to)}" names no metric`);
      else metrics.push(text.slice(name.from, name.to));
      const matchers = node.node.getChild('LabelMatchers');
      for (const m of matchers ? matchers.getChildren('UnquotedLabelMatcher') : []) {
        const label = m.getChild('LabelName');
        const op = m.getChild('MatchOp');
        const value = m.getChild('StringLiteral');
        if (name && label && op && value && text.slice(label.from, label.to) === 'le') {
          buckets.push({ series: text.slice(name.from, name.to), op: text.slice(op.from, op.to), value: JSON.parse(text.slice(value.from, value.to).replace(/^'|'$/g, '"')) as string });
        }
      }
      return false;
    },
  });
  const result = { problems, metrics, buckets };
  parsed.set(expr, result);
  return result;
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
