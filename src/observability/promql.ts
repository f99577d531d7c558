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
  return parser().parse(expr.replace(GRAFANA_RANGE_VARIABLES, (v) => `${'1'.repeat(v.length - 1)}s`));
}

/** The metric names an expression selects, in order of appearance (empty when it does not parse). */
export function selectedMetrics(expr: string): readonly string[] {
  const { problems, metrics } = parse(expr);
  return problems.length > 0 ? [] : metrics;
}

/** What parsing an expression found: syntax problems and the metric names it selects. */
interface Parsed {
  readonly problems: readonly string[];
  readonly metrics: readonly string[];
}

/* Every environment checks the same expressions: parse each once per process. */
const parsed = new Map<string, Parsed>();

function parse(expr: string): Parsed {
  const cached = parsed.get(expr);
  if (cached) return cached;
  const text = expr.replace(GRAFANA_RANGE_VARIABLES, '5m');
  const problems: string[] = [];
  const metrics: string[] = [];
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
      return false;
    },
  });
  const result = { problems, metrics };
  parsed.set(expr, result);
  return result;
}

/**
 * Problems of one PromQL expression: parse errors (any error node of the official grammar) and
 * selectors of metrics that are not catalogued. Empty when the expression is fine.
 */
export function checkPromql(expr: string, catalogue: MetricsCatalogue): string[] {
  const { problems, metrics } = parse(expr);
  return [...problems, ...metrics.filter((m) => !catalogue.knows(m)).map((m) => `unknown metric "${m}"`)];
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
