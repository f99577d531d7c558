import { isMap } from '../lib/values/index.ts';
import { countLineChanges } from './line-diff.ts';

/** One changed leaf (or subtree) of a document: `spec.replicas: 2 → 3`. */
export interface FieldChange {
  /** Dotted path; list items of objects with a `name` are keyed `containers[name=web]`. */
  readonly path: string;
  /** Value before, `undefined` when the field was added. */
  readonly before?: unknown;
  /** Value after, `undefined` when the field was removed. */
  readonly after?: unknown;
}

/** Shown instead of a value that must never reach a terminal or a PR comment. */
export const REDACTED = '<redacted>';

/** Deep structural equality of plain YAML/JSON data. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && sameValue(a[k], b[k]));
  }
  return false;
}

/** The item names of a list whose every item is an object with a distinct string `name`, else undefined. */
function namesOf(list: readonly unknown[]): string[] | undefined {
  const names = list.map((item) => (isMap(item) && typeof item['name'] === 'string' ? item['name'] : undefined));
  if (names.some((n) => n === undefined)) return undefined;
  return new Set(names).size === names.length ? (names as string[]) : undefined;
}

/** `a.b`, or `a["app.kubernetes.io/name"]` for a key that would read as several. */
function join(path: string, key: string): string {
  if (!/^[A-Za-z_$][\w$-]*$/.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}

function walk(path: string, a: unknown, b: unknown, out: FieldChange[]): void {
  if (sameValue(a, b)) return;
  if (isMap(a) && isMap(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      walk(join(path, key), a[key], b[key], out);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const na = namesOf(a);
    const nb = namesOf(b);
    if (na && nb && (a.length > 0 || b.length > 0)) {
      const byName = (list: readonly unknown[], names: string[]) => new Map(names.map((n, i) => [n, list[i]]));
      const ma = byName(a, na);
      const mb = byName(b, nb);
      for (const name of [...new Set([...na, ...nb])].sort()) walk(`${path}[name=${name}]`, ma.get(name), mb.get(name), out);
      return;
    }
    if (a.every((v) => !isMap(v) && !Array.isArray(v)) && b.every((v) => !isMap(v) && !Array.isArray(v))) {
      out.push({ path, before: a, after: b });
      return;
    }
    for (let i = 0; i < Math.max(a.length, b.length); i++) walk(`${path}[${i}]`, a[i], b[i], out);
    return;
  }
  out.push({ path, ...(a === undefined ? {} : { before: a }), ...(b === undefined ? {} : { after: b }) });
}

/**
 * The changes from `before` to `after`, sorted by path. Values at or under a path `redact` accepts
 * are replaced by {@link REDACTED}, so a ciphertext or secret never leaves this function.
 */
export function diffFields(before: unknown, after: unknown, redact: (path: string) => boolean = () => false): FieldChange[] {
  const out: FieldChange[] = [];
  walk('', before, after, out);
  return out.map((c) =>
    redact(c.path)
      ? { path: c.path, ...('before' in c ? { before: REDACTED } : {}), ...('after' in c ? { after: REDACTED } : {}) }
      : c,
  );
}

/** A value as one line: scalars bare, structures as compact JSON, long text cut. */
export function formatValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/** Items of a list added and removed, counted as a multiset, in the order they appear. */
function countItemChanges(before: readonly string[], after: readonly string[]): { added: string[]; removed: string[] } {
  const left = [...before];
  const added = after.filter((item) => {
    const i = left.indexOf(item);
    if (i < 0) return true;
    left.splice(i, 1);
    return false;
  });
  return { added, removed: left };
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.includes('\n');

/**
 * `spec.replicas: 2 → 3`, `spec.x: + 1`, `spec.y: - 1`; an embedded file (a ConfigMap's
 * `envoy.yaml`) by its changed lines: `data["envoy.yaml"]: text changed, +3 -1 lines`.
 */
export function formatFieldChange(c: FieldChange): string {
  if (isText(c.before) && isText(c.after)) {
    const { added, removed } = countLineChanges(c.before, c.after);
    return `${c.path}: text changed, +${added} -${removed} lines`;
  }
  if (Array.isArray(c.before) && Array.isArray(c.after)) {
    const { added, removed } = countItemChanges(c.before.map(String), c.after.map(String));
    const parts = [...(added.length > 0 ? [`+ ${added.join(' ')}`] : []), ...(removed.length > 0 ? [`- ${removed.join(' ')}`] : [])];
    return `${c.path}: ${parts.length > 0 ? formatValue(parts.join('; ')) : 'reordered'}`;
  }
  if (!('before' in c)) return `${c.path}: + ${formatValue(c.after)}`;
  if (!('after' in c)) return `${c.path}: - ${formatValue(c.before)}`;
  return `${c.path}: ${formatValue(c.before)} → ${formatValue(c.after)}`;
}
