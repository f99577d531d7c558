import yaml from 'js-yaml';

/*
 * Field-by-field comparison of the seed's manifests with synthesized objects: each object is
 * flattened to its leaves, list items named by their `name` (or `alert`) so a reordered list is no
 * difference, strings with their whitespace runs collapsed (the seed writes PromQL as block
 * scalars).
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Obj = Record<string, any>;

/** One leaf that differs: only in the seed, only in ours, or changed. */
export interface LeafDifference {
  /** `<kind>/<name>` of the seed's object. */
  readonly object: string;
  readonly path: string;
  readonly seed?: unknown;
  readonly ours?: unknown;
}

const itemKey = (item: unknown, i: number): string => {
  const o = item as Obj | null;
  const key = typeof o?.['name'] === 'string' ? o['name'] : typeof o?.['alert'] === 'string' ? o['alert'] : undefined;
  return key === undefined ? `[${i}]` : `[${key}]`;
};

/** The leaves of `value` by path (`spec.template.spec.containers[stemedb].image`). */
export function leaves(value: unknown, path = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(path, []);
    value.forEach((v, i) => leaves(v, `${path}${itemKey(v, i)}`, out));
  } else if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0) out.set(path, {});
    for (const [k, v] of entries) leaves(v, path ? `${path}.${k}` : k, out);
  } else {
    out.set(path, typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() : value);
  }
  return out;
}

/** Every leaf that differs between the seed's object and ours. */
export function compareObjects(object: string, seed: unknown, ours: unknown, renames: readonly { from: string; to: string }[] = []): LeafDifference[] {
  const rename = (path: string): string => renames.reduce((p, r) => p.split(r.from).join(r.to), path);
  const a = new Map([...leaves(seed)].map(([path, v]) => [rename(path), v] as const));
  const b = leaves(ours);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  return paths.flatMap((path): LeafDifference[] => {
    const [s, o] = [a.get(path), b.get(path)];
    if (a.has(path) && b.has(path) && JSON.stringify(s) === JSON.stringify(o)) return [];
    return [{ object, path, ...(a.has(path) ? { seed: s } : {}), ...(b.has(path) ? { ours: o } : {}) }];
  });
}

/** The seed's documents, parsed. */
export function parseSeed(text: string): Obj[] {
  return (yaml.loadAll(text) as Obj[]).filter((o) => o !== null);
}

/** Whether `path` is `prefix` or lies under it. */
export function under(path: string, prefix: string): boolean {
  return path === prefix || (path.startsWith(prefix) && ['.', '[', '/'].includes(path[prefix.length]!));
}
