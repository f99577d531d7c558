import { PLATFORM_REPOSITORY } from '../../repository.ts';
import { backup, ingress, MONITORING, STEMEDB_IMAGE, TRAEFIK } from '../model/defaults.ts';
import type { StemedbConfig } from '../model/types.ts';

/** Production on k3s-fleet: the seed's figures (3 members, Longhorn, GCP Secret Manager, GCS backups). */
const prod: StemedbConfig = {
  name: 'prod',
  namespace: 'stemedb',
  instance: 'stemedb',
  storage: { storageClassName: 'longhorn' },
  features: { networkPolicy: true, serviceMonitor: true, podDisruptionBudget: true },
  components: {
    stemedb: {
      image: STEMEDB_IMAGE,
      replicas: 3,
      resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2000m', memory: '4Gi' } },
      walStorage: '20Gi',
      dbStorage: '50Gi',
      walReplaySeconds: 60,
    },
  },
  ingress: ingress('stemedb.threesix.ai', 'letsencrypt-prod'),
  secrets: { store: 'gcp-secret-manager', storeKind: 'ClusterSecretStore', refreshInterval: '1h', rootApiKeyRemoteKey: 'stemedb-root-api-key', rcloneConfigRemoteKey: 'stemedb-rclone-config' },
  backup: backup('stemedb-backups'),
  network: {
    ...TRAEFIK,
    monitoringNamespace: 'monitoring',
    // Google APIs' published ranges (documentation ranges here until the fleet's are recorded).
    objectStoreCidrs: ['198.51.100.128/28'],
  },
  monitoring: MONITORING,
  gitops: { repoURL: PLATFORM_REPOSITORY },
};

export default prod;
