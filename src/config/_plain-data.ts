import type { PathSegment } from './_path.ts';

/*
 * Model input comes from TypeScript modules and YAML files: before anything merges, clones or
 * validates it, it is copied into plain JSON data here, so that a getter that throws, a BigInt,
 * a function, a cycle, a key such as `__proto__` or a YAML alias bomb becomes one message naming
 * the field instead of a stack trace (or a polluted prototype, or gigabytes of memory).
 */

/** Keys that would reach an object's prototype when assigned. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Values one model may hold at the most, aliases expanded; a real model holds about a thousand. */
export const MAX_VALUES = 100_000;

/** One problem found while copying. */
export interface DataIssue {
  readonly path: readonly PathSegment[];
  readonly message: string;
}

class TooLarge extends Error {}

function kindOf(value: unknown): string {
  if (typeof value === 'bigint') return `a bigint (${value}n; write a number)`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  if (value === undefined) return 'undefined';
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name;
  return name ? `a ${name}` : 'an object';
}

/**
 * Copies `value` as JSON data (null, booleans, finite numbers, strings, arrays, plain maps).
 * Map keys whose value is `undefined` are left out, as JSON does; anything else that is not data
 * is an issue at its path. Returns the copy only when there is no issue.
 */
export function toPlainData(value: unknown, maxValues: number = MAX_VALUES): { readonly value?: unknown; readonly issues: readonly DataIssue[] } {
  const issues: DataIssue[] = [];
  const ancestors = new Set<object>();
  let count = 0;

  const copy = (v: unknown, path: PathSegment[]): unknown => {
    if (++count > maxValues) throw new TooLarge();
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'number') {
      // -0 is 0 to every reader but YAML, which writes it -0.0.
      if (Number.isFinite(v)) return v === 0 ? 0 : v;
      issues.push({ path, message: `must be a finite number, got ${v}` });
      return undefined;
    }
    if (typeof v !== 'object') {
      issues.push({ path, message: `must be data (text, number, boolean, list or map), got ${kindOf(v)}` });
      return undefined;
    }
    if (ancestors.has(v)) {
      issues.push({ path, message: 'refers to itself (a cycle)' });
      return undefined;
    }
    // A Proxy may throw from any of these: its shape is then unknown, like a getter's value.
    let shape: { proto: unknown; list: boolean; length: number; keys: string[] };
    try {
      const list = Array.isArray(v);
      shape = { proto: Object.getPrototypeOf(v) as unknown, list, length: list ? v.length : 0, keys: list ? [] : Object.keys(v) };
    } catch (err) {
      issues.push({ path, message: `reading it failed: ${err instanceof Error ? err.message : String(err)}` });
      return undefined;
    }
    if (!shape.list && shape.proto !== Object.prototype && shape.proto !== null) {
      issues.push({ path, message: `must be a list or a plain map, got ${kindOf(v)}` });
      return undefined;
    }
    ancestors.add(v);
    try {
      if (shape.list) {
        // A sparse array's length costs nothing to make and its holes count no value: count them.
        if (count + shape.length > maxValues) throw new TooLarge();
        const out: unknown[] = [];
        for (let i = 0; i < shape.length; i++) {
          const item = read(v, i, [...path, i]);
          if (item.ok && item.value === undefined) issues.push({ path: [...path, i], message: 'must not be undefined' });
          else if (item.ok) out.push(copy(item.value, [...path, i]));
        }
        return out;
      }
      const out: Record<string, unknown> = {};
      for (const key of shape.keys) {
        if (FORBIDDEN_KEYS.has(key)) {
          issues.push({ path: [...path, key], message: `is not allowed as a key (${[...FORBIDDEN_KEYS].join(', ')} could reach a prototype)` });
          continue;
        }
        const item = read(v as Record<string, unknown>, key, [...path, key]);
        if (item.ok && item.value !== undefined) out[key] = copy(item.value, [...path, key]);
      }
      return out;
    } finally {
      ancestors.delete(v);
    }
  };

  const read = (obj: object, key: string | number, path: PathSegment[]): { ok: boolean; value?: unknown } => {
    try {
      return { ok: true, value: (obj as Record<string | number, unknown>)[key] };
    } catch (err) {
      issues.push({ path, message: `reading it failed: ${err instanceof Error ? err.message : String(err)}` });
      return { ok: false };
    }
  };

  try {
    const out = copy(value, []);
    return issues.length > 0 ? { issues } : { value: out, issues };
  } catch (err) {
    if (!(err instanceof TooLarge)) throw err;
    return { issues: [{ path: [], message: `holds more than ${maxValues} values once YAML aliases are expanded; refusing it` }] };
  }
}
