import { PLATFORM_REPOSITORY } from '../../repository.ts';
import { backup, ingress, MONITORING, STEMEDB_IMAGE, TRAEFIK } from '../model/defaults.ts';
import type { StemedbConfig } from '../model/types.ts';

/** Staging: the same shape on smaller volumes, with the staging issuer and its own bucket and secret. */
const staging: StemedbConfig = {
  name: 'staging',
  namespace: 'stemedb-staging',
  instance: 'stemedb',
  storage: { storageClassName: 'longhorn' },
  features: { networkPolicy: true, serviceMonitor: true, podDisruptionBudget: true },
  components: {
    stemedb: {
      image: STEMEDB_IMAGE,
      replicas: 3,
      resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1000m', memory: '2Gi' } },
      walStorage: '5Gi',
      dbStorage: '10Gi',
      walReplaySeconds: 60,
    },
  },
  ingress: ingress('stemedb-staging.threesix.ai', 'letsencrypt-staging'),
  secrets: { store: 'gcp-secret-manager', storeKind: 'ClusterSecretStore', refreshInterval: '1h', rootApiKeyRemoteKey: 'stemedb-staging-root-api-key', rcloneConfigRemoteKey: 'stemedb-staging-rclone-config' },
  backup: backup('stemedb-staging-backups'),
  network: { ...TRAEFIK, monitoringNamespace: 'monitoring', objectStoreCidrs: ['198.51.100.128/28'] },
  monitoring: MONITORING,
  gitops: { repoURL: PLATFORM_REPOSITORY },
};

export default staging;
