import { Cidr } from '../lib/values/index.ts';
import { formatPath } from './_path.ts';
import type { ConfigIssue } from './load.ts';

/**
 * Two spellings of one network in one allow-list (`2001:db8::/32` and `2001:0db8::/32`), which
 * the schema's `uniqueItems` cannot see: every list of strings of `network` (the object at
 * `path`) is one. Each duplicate is reported at its second occurrence; a text that is no CIDR is
 * left to the `cidr` format, which reports it.
 */
export function duplicateNetworks(network: object, path: readonly string[] = ['network']): ConfigIssue[] {
  return Object.entries(network).flatMap(([field, list]) => {
    if (!Array.isArray(list)) return [];
    const seen = new Map<string, number>();
    return list.flatMap((text: unknown, i): ConfigIssue[] => {
      if (typeof text !== 'string') return [];
      let network: string;
      try {
        network = String(Cidr.parse(text));
      } catch {
        return [];
      }
      const first = seen.get(network);
      if (first === undefined) {
        seen.set(network, i);
        return [];
      }
      return [{ path: formatPath([...path, field, i]), message: `duplicate network ${network} (already at ${formatPath([...path, field, first])})` }];
    });
  });
}
