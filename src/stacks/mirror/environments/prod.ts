import { PLATFORM_REPOSITORY } from '../../repository.ts';
import { CDN_TTLS, EXPORT_TREES, gatewaySettings, mirrorDomains, SYNC_CADENCE, SYNC_SETTINGS } from '../model/defaults.ts';
import type { MirrorConfig } from '../model/types.ts';

/**
 * The production mirrors under *.stella-ops.org (seed section 3.2): the release `mirror`, two
 * gateway replicas, every feature on. Its chart overlay is the seed's `values-mirror.yaml`.
 */
const prod: MirrorConfig = {
  name: 'prod',
  namespace: 'stellaops-mirror',
  instance: 'mirror',
  features: { networkPolicy: true, serviceMonitor: true, podDisruptionBudget: true },
  domains: mirrorDomains('stella-ops.org'),
  exports: EXPORT_TREES,
  cdn: CDN_TTLS,
  sync: { ...SYNC_CADENCE, region: 'eu-central-1' },
  storage: { storageClassName: 'efs-sc' },
  network: {
    // The CDN's published origin-pull ranges and the object store's (documentation ranges here).
    cdnCidrs: ['198.51.100.192/26', '2001:db8:cd::/48'],
    upstreamCidrs: ['203.0.113.0/25'],
    monitoringNamespace: 'monitoring',
  },
  secrets: { store: 'vault-backend', remoteKeyPrefix: 'stellaops/mirror/prod' },
  components: {
    mirrorGateway: gatewaySettings(2),
    mirrorSync: SYNC_SETTINGS,
  },
  gitops: { repoURL: PLATFORM_REPOSITORY },
};

export default prod;
