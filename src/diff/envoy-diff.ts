import { load } from 'js-yaml';
import { diffUnits, type UnitChange } from './unit-change.ts';

type Resource = Record<string, unknown>;

/** Envoy bootstraps: `ops/envoy/<env>/envoy.yaml` and each stack's `ops/<stack>/envoy/<env>/envoy.yaml`. */
export const ENVOY_FILE = /^ops\/(?:[^/]+\/)?envoy\/.+\.ya?ml$/;

/**
 * The units of an Envoy bootstrap: `cluster:<name>` and `listener:<name>` from its static
 * resources (routes, named, are keyed by name inside their listener), `bootstrap` for the rest.
 */
export function parseEnvoy(text: string): Map<string, Resource> {
  const out = new Map<string, Resource>();
  if (text === '') return out;
  const { static_resources: statics, ...rest } = (load(text) ?? {}) as { static_resources?: { clusters?: Resource[]; listeners?: Resource[] } } & Resource;
  out.set('bootstrap', rest);
  for (const [kind, list] of [['cluster', statics?.clusters], ['listener', statics?.listeners]] as const) {
    for (const [i, r] of (list ?? []).entries()) out.set(`${kind}:${String(r['name'] ?? i)}`, r);
  }
  return out;
}

/** The clusters and listeners added, removed and changed in one bootstrap, sorted. */
export function diffEnvoy(group: string, base: ReadonlyMap<string, Resource>, head: ReadonlyMap<string, Resource>): UnitChange[] {
  return diffUnits(group, 'envoy', base, head);
}
