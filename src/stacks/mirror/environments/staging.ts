import { PLATFORM_REPOSITORY } from '../../repository.ts';
import { CDN_TTLS, EXPORT_TREES, gatewaySettings, mirrorDomains, SYNC_CADENCE, SYNC_SETTINGS } from '../model/defaults.ts';
import type { MirrorConfig } from '../model/types.ts';

/** Lab validation of the mirror (seed section 3.1's role, on Kubernetes): one gateway replica, no disruption budget. */
const staging: MirrorConfig = {
  name: 'staging',
  namespace: 'stellaops-mirror-staging',
  instance: 'mirror',
  features: { networkPolicy: true, serviceMonitor: true, podDisruptionBudget: false },
  domains: mirrorDomains('staging.stella-ops.org'),
  exports: EXPORT_TREES,
  cdn: CDN_TTLS,
  sync: { ...SYNC_CADENCE, region: 'eu-central-1' },
  storage: { storageClassName: 'efs-sc' },
  network: {
    cdnCidrs: ['198.51.100.192/26'],
    upstreamCidrs: ['203.0.113.128/25'],
    monitoringNamespace: 'monitoring',
  },
  secrets: { store: 'vault-backend', remoteKeyPrefix: 'stellaops/mirror/staging' },
  components: {
    mirrorGateway: gatewaySettings(1),
    mirrorSync: SYNC_SETTINGS,
  },
  gitops: { repoURL: PLATFORM_REPOSITORY },
};

export default staging;
