import { duplicateNetworks, duplicates, formatPath, type ConfigIssue } from '../../../config/index.ts';
import type { MirrorConfig } from './types.ts';

/** A digest-pinned reference: whatever precedes it, it ends in `@sha256:` and 64 hex digits. */
const PINNED = /@sha256:[a-f0-9]{64}$/;

/**
 * The mirror's rules across fields: the sync image pinned by digest, budgets nginx can count,
 * a sync period that divides the hour and a freshness bound that one late run does not break,
 * unique domains, export trees and networks. Each problem at its field path.
 */
export function mirrorChecks(_env: string, config: MirrorConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const { image } = config.components.mirrorSync;
  if (!PINNED.test(image)) {
    issues.push({ path: 'components.mirrorSync.image', message: `must be pinned by digest (<repository>@sha256:<64 hex digits>), got "${image}"` });
  }
  config.domains.forEach((d, i) => {
    for (const field of ['maxIndexRequestsPerHour', 'maxDownloadRequestsPerHour'] as const) {
      if (d[field] % 60 !== 0) issues.push({ path: formatPath(['domains', i, field]), message: `must be a multiple of 60 (the gateway counts requests per minute), got ${d[field]}` });
    }
  });
  const { everyMinutes, maxLagMinutes } = config.sync;
  if (60 % everyMinutes !== 0) issues.push({ path: 'sync.everyMinutes', message: `must divide the hour (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30), got ${everyMinutes}` });
  if (maxLagMinutes <= 2 * everyMinutes) {
    issues.push({ path: 'sync.maxLagMinutes', message: `must exceed two sync periods (${2 * everyMinutes} minutes), or one slow run pages, got ${maxLagMinutes}` });
  }
  issues.push(
    ...duplicates(config.domains, (d) => d.id, (i) => formatPath(['domains', i, 'id']), 'domain id'),
    ...duplicates(config.domains, (d) => d.host, (i) => formatPath(['domains', i, 'host']), 'host'),
    ...duplicates(config.exports, (e) => e.name, (i) => formatPath(['exports', i, 'name']), 'export tree'),
    ...duplicates(config.exports, (e) => e.urlPrefix, (i) => formatPath(['exports', i, 'urlPrefix']), 'URL prefix'),
    ...duplicateNetworks(config.network),
  );
  return issues;
}
