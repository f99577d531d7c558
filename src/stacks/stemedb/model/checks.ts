import { duplicateNetworks, type ConfigIssue } from '../../../config/index.ts';
import type { StemedbConfig } from './types.ts';

/*
 * StemeDB's rules across fields, run once the model has the schema's shape. Each returns every
 * problem it finds, at the field's path.
 */

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
  issues.push(...duplicateNetworks(config.network));
  return issues;
}
