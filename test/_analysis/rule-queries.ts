/*
 * What a Prometheus rule file asks of the data: each rule with the expressions that must return
 * series for the rule to mean anything, and the selectors every expression makes.
 *
 * A recording rule is judged by its expression. An alert is judged by the queries its condition
 * compares, not by the condition, which is false on healthy data (PromQL's official grammar,
 * @prometheus-io/lezer-promql, splits it):
 * - a comparison with a number (`x > 0.05`, `0.8 > x`) is judged by its other side; between two
 *   queries by both; a `bool` comparison is a value, judged whole;
 * - `a and b` by both sides (the alert needs both), `a unless b` by `a` (the exclusion may be
 *   empty), `a or b` by each side that is not a constant fallback (`or vector(0)`);
 * - `absent(x)` by `x` and `absent_over_time(x[5m])` by `last_over_time(x[5m])`: missing-data
 *   alerts must see their series while they are present;
 * - parentheses by their content; anything else by itself.
 */
import { createRequire } from 'node:module';
import type { LRParser } from '@lezer/lr';
import { load } from 'js-yaml';

const require = createRequire(import.meta.url);
const parser = (require('@prometheus-io/lezer-promql') as { parser: LRParser }).parser;

/** One rule of a rule file. */
export interface RuleQueries {
  readonly group: string;
  readonly kind: 'alert' | 'record';
  /** The alert's or the recorded series' name. */
  readonly name: string;
  readonly expr: string;
  /** Labels the rule sets. */
  readonly labels: Readonly<Record<string, string>>;
  /** Expressions that must return data. */
  readonly judged: readonly string[];
}

/** A label matcher of a selector. */
export interface Matcher {
  readonly label: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

/** One vector selector of an expression. */
export interface Selector {
  readonly metric: string;
  readonly matchers: readonly Matcher[];
}

/** A node of a parsed expression. */
type Tree = ReturnType<LRParser['parse']>;
type SyntaxNode = Tree['topNode'];

const COMPARISONS = new Set(['Eql', 'Neq', 'Gtr', 'Lss', 'Gte', 'Lte']);

function tree(expr: string): Tree {
  return parser.parse(expr);
}

const children = (node: SyntaxNode): SyntaxNode[] => {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
};

/** The expressions inside parentheses or after a unary sign. */
const operands = (node: SyntaxNode): SyntaxNode[] => children(node).filter((c) => !['', '(', ')', 'Sub', 'Add'].includes(c.name));

/** A number, `vector(<number>)` or either in parentheses or negated. */
function isConstant(node: SyntaxNode): boolean {
  if (node.name === 'NumberDurationLiteral' || node.name === 'NumberLiteral') return true;
  if (node.name === 'ParenExpr' || node.name === 'UnaryExpr') {
    const inner = operands(node);
    return inner.length === 1 && isConstant(inner[0]!);
  }
  if (node.name === 'FunctionCall' && node.getChild('FunctionIdentifier')?.firstChild?.name === 'Vector') {
    const body = node.getChild('FunctionCallBody');
    return body !== null && children(body).every(isConstant);
  }
  return false;
}

function judge(node: SyntaxNode, text: string): string[] {
  const source = (n: SyntaxNode): string => text.slice(n.from, n.to);
  if (node.name === 'PromQL' || node.name === 'ParenExpr') {
    const inner = operands(node);
    return inner.length === 1 ? judge(inner[0]!, text) : [source(node)];
  }
  if (node.name === 'BinaryExpr') {
    const parts = children(node);
    const lhs = parts[0]!;
    const rhs = parts[parts.length - 1]!;
    const op = parts[1]!.name;
    if (op === 'And') return [...judge(lhs, text), ...judge(rhs, text)];
    if (op === 'Unless') return judge(lhs, text);
    if (op === 'Or') return [lhs, rhs].filter((n) => !isConstant(n)).flatMap((n) => judge(n, text));
    if (COMPARISONS.has(op) && !node.getChild('BoolModifier')) return [lhs, rhs].filter((n) => !isConstant(n)).flatMap((n) => judge(n, text));
    return [source(node)];
  }
  if (node.name === 'FunctionCall') {
    const fn = node.getChild('FunctionIdentifier')?.firstChild?.name;
    const args = children(node.getChild('FunctionCallBody')!);
    if (fn === 'Absent' && args.length === 1) return [source(args[0]!)];
    if (fn === 'AbsentOverTime' && args.length === 1) return [`last_over_time(${source(args[0]!)})`];
  }
  return [source(node)];
}

/** The expressions an alert condition is judged by (see the file's comment). */
export function alertQueries(expr: string): string[] {
  return judge(tree(expr).topNode, expr);
}

const unquote = (literal: string): string => JSON.parse(literal.startsWith("'") ? `"${literal.slice(1, -1).replace(/"/g, '\\"')}"` : literal.startsWith('`') ? JSON.stringify(literal.slice(1, -1)) : literal) as string;

/** Every vector selector of an expression, with its matchers. */
export function selectors(expr: string): Selector[] {
  const found: Selector[] = [];
  tree(expr).iterate({
    enter: (ref: { name: string; node: SyntaxNode }) => {
      if (ref.name !== 'VectorSelector') return undefined;
      const node = ref.node;
      const id = node.getChild('Identifier');
      const matchers: Matcher[] = [];
      const list = node.getChild('LabelMatchers');
      for (const m of list ? children(list) : []) {
        const label = m.getChild('LabelName');
        const op = m.getChild('MatchOp');
        const value = m.getChild('StringLiteral');
        if (label && op && value) matchers.push({ label: expr.slice(label.from, label.to), op: expr.slice(op.from, op.to) as Matcher['op'], value: unquote(expr.slice(value.from, value.to)) });
      }
      found.push({ metric: id ? expr.slice(id.from, id.to) : '', matchers });
      return false;
    },
  });
  return found;
}

/** The values a matcher asks for: the value of `=`, the alternatives of a `=~` that is a list of literals. */
export function selectedValues(m: Matcher): string[] {
  if (m.op === '=') return [m.value];
  if (m.op === '=~' && /^[\w:/-]+(\|[\w:/-]+)*$/.test(m.value)) return m.value.split('|');
  return [];
}

/** Every rule of a Prometheus rule file (YAML), in file order. */
export function ruleQueries(ruleFile: string): RuleQueries[] {
  const doc = load(ruleFile) as { groups: { name: string; rules: { alert?: string; record?: string; expr: string; labels?: Record<string, string> }[] }[] };
  return doc.groups.flatMap((g) =>
    g.rules.map((r) => {
      const expr = String(r.expr);
      const kind = r.alert !== undefined ? ('alert' as const) : ('record' as const);
      return { group: g.name, kind, name: (r.alert ?? r.record)!, expr, labels: r.labels ?? {}, judged: kind === 'alert' ? alertQueries(expr) : [expr] };
    }),
  );
}

/**
 * The recording rules in the order they can be backfilled: the first list reads no recorded
 * series of the file, each next one only series recorded by the lists before it.
 */
export function recordingLevels(rules: readonly RuleQueries[]): RuleQueries[][] {
  const records = rules.filter((r) => r.kind === 'record');
  const names = new Set(records.map((r) => r.name));
  const levels: RuleQueries[][] = [];
  const placed = new Set<string>();
  let left = records;
  while (left.length > 0) {
    const ready = left.filter((r) => selectors(r.expr).every((s) => !names.has(s.metric) || placed.has(s.metric)));
    if (ready.length === 0) throw new Error(`recording rules read each other in a cycle: ${left.map((r) => r.name).join(', ')}`);
    levels.push(ready);
    left = left.filter((r) => !ready.includes(r));
    for (const r of ready) placed.add(r.name);
  }
  return levels;
}

/** The series Prometheus writes for alerting rules, which any rule could read. */
const ALERT_SERIES = ['ALERTS', 'ALERTS_FOR_STATE'];

/** A series a rule writes: its name, and the labels the rule sets on it. */
export interface Written {
  readonly metric: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** The series a rule writes: a recording rule its record with its labels, an alert the alerts' series (labels unknown). */
export function written(rule: { readonly record?: string; readonly labels?: Readonly<Record<string, string>> }): Written[] {
  return rule.record !== undefined ? [{ metric: rule.record, labels: rule.labels ?? {} }] : ALERT_SERIES.map((metric) => ({ metric, labels: {} }));
}

/** Whether `selector` can select a series `w`: same name, and no matcher asks for another value of a label `w` sets. */
export function reads(selector: Selector, w: Written): boolean {
  return (
    selector.metric === w.metric &&
    selector.matchers.every((m) => {
      const values = selectedValues(m);
      return !(m.label in w.labels) || values.length === 0 || values.includes(w.labels[m.label]!);
    })
  );
}
