import { loadAll } from 'js-yaml';
import { diffUnits, type UnitChange } from './unit-change.ts';

type Manifest = Record<string, unknown>;

function field(obj: unknown, key: string): unknown {
  return typeof obj === 'object' && obj !== null ? (obj as Record<string, unknown>)[key] : undefined;
}

/** `<kind>/<namespace>/<name>`, `-` for a cluster-scoped object. */
export function objectKey(obj: unknown): string {
  const meta = field(obj, 'metadata');
  return `${String(field(obj, 'kind'))}/${String(field(meta, 'namespace') ?? '-')}/${String(field(meta, 'name'))}`;
}

/** Paths whose values are secret material in an object of this kind. */
export function secretPath(kind: unknown): (path: string) => boolean {
  const roots = kind === 'Secret' ? ['data', 'stringData'] : kind === 'SealedSecret' ? ['spec.encryptedData'] : [];
  return (path) => roots.some((r) => path === r || path.startsWith(`${r}.`) || path.startsWith(`${r}[`));
}

/** The objects of a multi-document YAML text by key. */
export function parseManifests(text: string): Map<string, Manifest> {
  const out = new Map<string, Manifest>();
  for (const doc of loadAll(text)) {
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) continue;
    out.set(objectKey(doc), doc as Manifest);
  }
  return out;
}

/**
 * The objects added, removed and changed between two sets of manifests of one folder, sorted by
 * key. A changed object lists its changed fields, secret values redacted.
 */
export function diffManifests(group: string, base: ReadonlyMap<string, Manifest>, head: ReadonlyMap<string, Manifest>): UnitChange[] {
  return diffUnits(group, 'object', base, head, (after) => secretPath(after['kind']));
}
