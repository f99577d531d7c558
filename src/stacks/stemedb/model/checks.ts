import type { ConfigIssue } from '../../../config/index.ts';
import { Cidr } from '../../../lib/values/index.ts';
import type { StemedbConfig } from './types.ts';

/*
 * StemeDB's rules across fields, run once the model has the schema's shape. Each returns every
 * problem it finds, at the field's path.
 */

function parsed<T>(parse: (text: string) => T, text: string): T | undefined {
  try {
    return parse(text);
  } catch {
    return undefined;
  }
}

/** The rules, each a condition and the message when it fails. */
export function stemedbChecks(_env: string, config: StemedbConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const { stemedb } = config.components;
  const { rateLimit } = config.ingress;
  if (rateLimit.burst < rateLimit.average) {
    issues.push({ path: 'ingress.rateLimit.burst', message: `must be at least ingress.rateLimit.average (${rateLimit.average}): Traefik's bucket never holds more than a burst, got ${rateLimit.burst}` });
  }
  if (config.features.podDisruptionBudget && stemedb.replicas < 2) {
    issues.push({ path: 'components.stemedb.replicas', message: `must be at least 2 with features.podDisruptionBudget: a budget of one unavailable member would let a drain stop the only one, got ${stemedb.replicas}` });
  }
  config.network.objectStoreCidrs.forEach((text, i) => {
    const cidr = parsed(Cidr.parse, text);
    if (cidr?.prefixLength === 0) issues.push({ path: `network.objectStoreCidrs[${i}]`, message: `admits every address, so the backup policy would restrict nothing; list the object store's networks, got ${text}` });
  });
  return issues;
}
