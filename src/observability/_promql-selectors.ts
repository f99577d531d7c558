import { createRequire } from 'node:module';
import type { LRParser as Parser } from '@lezer/lr';
import { requireLater } from '../lib/_require-module.ts';

/** The official PromQL grammar, loaded through CommonJS on first use (one module, no ESM hops). */
const promql = requireLater<{ parser: Parser }>(createRequire(import.meta.url), '@prometheus-io/lezer-promql');
const parser = (): Parser => promql().parser;

/*
 * Grafana replaces its interval variables before the query reaches Prometheus; for parsing they
 * stand for a range duration.
 */
const GRAFANA_RANGE_VARIABLES = /\$__(rate_interval|interval|range)\b/g;

/** `expr` with each Grafana interval variable as a duration of the same length (`$__rate_interval` as `1111111111111111s`), so offsets are those of `expr`. */
function asPromql(expr: string): string {
  return expr.replace(GRAFANA_RANGE_VARIABLES, (v) => `${'1'.repeat(v.length - 1)}s`);
}

/** A label matcher as PromQL writes it. */
export interface LabelMatcher {
  readonly label: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

/** One vector selector of an expression. */
export interface VectorSelector {
  /** The metric name, unless the selector only has label matchers. */
  readonly metric?: string;
  readonly matchers: readonly LabelMatcher[];
  /** The function whose range argument the selector is (`rate` of `rate(x[5m])`), if any. */
  readonly rangeFunction?: string;
  /** The text of the range of that argument (`$__rate_interval`, `5m`), if any. */
  readonly range?: string;
  /** The selector as written. */
  readonly text: string;
  /** Offset of the closing brace of its matchers, or of its end when it has none. */
  readonly end: number;
  /** Whether it has a brace pair, and whether anything but whitespace or a comma ends its matchers. */
  readonly braces: boolean;
  readonly trailingMatcher: boolean;
}

const unquote = (literal: string): string => (literal.startsWith('"') ? (JSON.parse(literal) as string) : literal.slice(1, -1));

/** A syntax error: where the grammar stops, and the text around it. */
export interface PromqlError {
  readonly offset: number;
  readonly near: string;
}

/** What parsing an expression found: its syntax errors and every vector selector, in order. */
export interface PromqlAnalysis {
  readonly errors: readonly PromqlError[];
  readonly selectors: readonly VectorSelector[];
}

/*
 * The checks, the alerts' scoped copies and the dashboards' lint read the same expressions, in
 * every environment: parse each once per process.
 */
const analyses = new Map<string, PromqlAnalysis>();

/** The one parse of `expr` (as Grafana sends it) everything else reads. */
export function analysePromql(expr: string): PromqlAnalysis {
  let found = analyses.get(expr);
  if (!found) analyses.set(expr, (found = analyse(expr)));
  return found;
}

/** Every vector selector of `expr`, in order; `undefined` when it does not parse. */
export function vectorSelectors(expr: string): readonly VectorSelector[] | undefined {
  const { errors, selectors } = analysePromql(expr);
  return errors.length > 0 ? undefined : selectors;
}

function analyse(expr: string): PromqlAnalysis {
  const text = asPromql(expr);
  const errors: PromqlError[] = [];
  const selectors: VectorSelector[] = [];
  parser().parse(text).iterate({
    enter: (ref) => {
      if (ref.type.isError) {
        errors.push({ offset: ref.from, near: text.slice(Math.max(0, ref.from - 10), ref.from + 10) });
        return false;
      }
      if (ref.name !== 'VectorSelector') return undefined;
      const node = ref.node;
      const name = node.getChild('Identifier');
      const braces = node.getChild('LabelMatchers');
      const matchers: LabelMatcher[] = [];
      for (let m = braces?.firstChild; m; m = m.nextSibling) {
        const label = m.getChild('LabelName');
        const op = m.getChild('MatchOp');
        const value = m.getChild('StringLiteral');
        if (label && op && value) {
          matchers.push({ label: expr.slice(label.from, label.to), op: expr.slice(op.from, op.to) as LabelMatcher['op'], value: unquote(expr.slice(value.from, value.to)) });
        }
      }
      const matrix = node.parent?.name === 'MatrixSelector' ? node.parent : undefined;
      const call = matrix?.parent?.name === 'FunctionCallBody' ? matrix.parent.parent : undefined;
      const fn = call?.name === 'FunctionCall' ? call.getChild('FunctionIdentifier') : undefined;
      const range = matrix?.getChild('DurationExpr');
      const inside = braces ? expr.slice(braces.from + 1, braces.to - 1).trim() : '';
      selectors.push({
        ...(name ? { metric: expr.slice(name.from, name.to) } : {}),
        matchers,
        ...(fn ? { rangeFunction: expr.slice(fn.from, fn.to) } : {}),
        ...(range ? { range: expr.slice(range.from, range.to) } : {}),
        text: expr.slice(node.from, node.to),
        end: braces ? braces.to - 1 : node.to,
        braces: braces !== null,
        trailingMatcher: inside !== '' && !inside.endsWith(','),
      });
      // Into its matchers too, where a syntax error may hide.
      return undefined;
    },
  });
  return Object.freeze({ errors, selectors });
}

/**
 * `expr` with `add` appended to the matchers of every vector selector that does not match on
 * that label already; unchanged when it does not parse (its check reports why).
 */
export function withMatchers(expr: string, add: readonly LabelMatcher[]): string {
  const selectors = vectorSelectors(expr);
  if (!selectors) return expr;
  let out = expr;
  for (const s of [...selectors].reverse()) {
    const missing = add.filter((m) => !s.matchers.some((have) => have.label === m.label));
    if (missing.length === 0) continue;
    const text = missing.map((m) => `${m.label}${m.op}${JSON.stringify(m.value)}`).join(',');
    const insert = s.braces ? `${s.trailingMatcher ? ',' : ''}${text}` : `{${text}}`;
    out = out.slice(0, s.end) + insert + out.slice(s.end);
  }
  return out;
}
