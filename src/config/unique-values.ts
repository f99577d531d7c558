import { Cidr } from '../lib/values/index.ts';
import { formatPath } from './_path.ts';
import type { ConfigIssue } from './load.ts';

/**
 * Values that repeat where each must be unique, each reported at its second occurrence: the key
 * of each item (none: the item is left out, as a value another check reports), the field path of
 * an item, and what the key is.
 */
export function duplicates<T>(items: readonly T[], key: (item: T) => string | undefined, path: (i: number) => string, what: string): ConfigIssue[] {
  const seen = new Map<string, number>();
  return items.flatMap((item, i) => {
    const k = key(item);
    if (k === undefined) return [];
    const first = seen.get(k);
    if (first === undefined) {
      seen.set(k, i);
      return [];
    }
    return [{ path: path(i), message: `duplicate ${what} "${k}" (already at ${path(first)})` }];
  });
}

/** A network as one spelling: `2001:0db8::/32` as `2001:db8::/32`; none for a text that is no CIDR (the `cidr` format reports it). */
function network(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    return String(Cidr.parse(text));
  } catch {
    return undefined;
  }
}

/**
 * Two spellings of one network in one allow-list (`2001:db8::/32` and `2001:0db8::/32`), which
 * the schema's `uniqueItems` cannot see: every list of the model's `network` is one.
 */
export function duplicateNetworks(networks: object): ConfigIssue[] {
  return Object.entries(networks).flatMap(([field, list]) =>
    Array.isArray(list) ? duplicates(list, network, (i) => formatPath(['network', field, i]), 'network') : [],
  );
}
