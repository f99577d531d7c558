import { promqlTree } from './promql.ts';

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
  /** Offset of the closing brace of its matchers, or of its end when it has none. */
  readonly end: number;
  /** Whether it has a brace pair, and whether anything but whitespace or a comma ends its matchers. */
  readonly braces: boolean;
  readonly trailingMatcher: boolean;
}

const unquote = (literal: string): string => (literal.startsWith('"') ? (JSON.parse(literal) as string) : literal.slice(1, -1));

/* The alerts, their scoped copies and the dashboards' lint read the same expressions again: parse each once per process. */
const selectorsOf = new Map<string, readonly VectorSelector[] | undefined>();

/** Every vector selector of `expr`, in order; `undefined` when it does not parse. */
export function vectorSelectors(expr: string): readonly VectorSelector[] | undefined {
  if (!selectorsOf.has(expr)) selectorsOf.set(expr, parseSelectors(expr));
  return selectorsOf.get(expr);
}

function parseSelectors(expr: string): readonly VectorSelector[] | undefined {
  const tree = promqlTree(expr);
  const found: VectorSelector[] = [];
  let broken = false;
  tree.iterate({
    enter: (ref) => {
      if (ref.type.isError) broken = true;
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
      found.push({
        ...(name ? { metric: expr.slice(name.from, name.to) } : {}),
        matchers,
        ...(fn ? { rangeFunction: expr.slice(fn.from, fn.to) } : {}),
        ...(range ? { range: expr.slice(range.from, range.to) } : {}),
        end: braces ? braces.to - 1 : node.to,
        braces: braces !== null,
        trailingMatcher: inside !== '' && !inside.endsWith(','),
      });
      // Into its matchers too, where a syntax error may hide.
      return undefined;
    },
  });
  return broken ? undefined : Object.freeze(found);
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
