import { PLATFORM_REPOSITORY } from '../../repository.ts';
import {
  crumpetImage,
  EDGE_RATE_LIMIT,
  ENVOY_IMAGE,
  KUBO_IMAGE,
  MONITORING_ENDPOINTS,
  OTEL_COLLECTOR_IMAGE,
  PROMTAIL_IMAGE,
  scalable,
  SPEC_RESOURCES,
  TOOLBOX_IMAGE,
  workload,
} from '../model/defaults.ts';
import type { PlatformConfig } from '../model/types.ts';

/** Staging: fewer languages and replicas, images by tag, every feature on so it is exercised. */
const staging: PlatformConfig = {
  name: 'staging',
  namespace: 'crumpet-staging',
  instance: 'crumpet',
  pinDigests: false,
  hostnames: ['staging.crumpet.example.org'],
  storage: { storageClassName: 'standard-rwo' },
  features: {
    networkPolicy: true,
    serviceMonitor: true,
    podDisruptionBudget: true,
    autoscaling: true,
    kubo: true,
    mtls: true,
    rollouts: true,
  },
  components: {
    cinNode: {
      image: crumpetImage('cin-node'),
      resources: SPEC_RESOURCES.cinNode,
      languages: [
        { code: 'en', replicas: 2, storage: '20Gi' },
        { code: 'es', replicas: 1, storage: '20Gi' },
      ],
      instanceOverrides: [],
    },
    pinOrchestrator: scalable(crumpetImage('pin-orchestrator'), 1, 3, SPEC_RESOURCES.pinOrchestrator),
    watcher: workload(crumpetImage('watcher'), 1, SPEC_RESOURCES.watcher),
    web: scalable(crumpetImage('web'), 1, 3, SPEC_RESOURCES.web),
    envoyEdge: scalable(ENVOY_IMAGE, 1, 3, SPEC_RESOURCES.envoyEdge),
    kubo: { ...workload(KUBO_IMAGE, 1, SPEC_RESOURCES.kubo), storage: '50Gi' },
    otelCollector: { image: OTEL_COLLECTOR_IMAGE, resources: SPEC_RESOURCES.otelCollector },
    promtail: { image: PROMTAIL_IMAGE, resources: SPEC_RESOURCES.promtail },
  },
  network: {
    rpcEndpointCidrs: ['198.51.100.0/28'],
    ipfsGatewayCidrs: ['203.0.113.0/28'],
    peerCidrs: ['192.0.2.0/26'],
    pinningServiceCidrs: ['203.0.113.64/27'],
    objectStoreCidrs: ['198.51.100.128/28'],
    apiServerCidrs: ['10.0.0.1/32'],
    // The CDN's published egress ranges (documentation ranges here).
    cdnCidrs: ['198.51.100.192/26'],
    monitoringNamespace: 'monitoring',
  },
  telemetry: MONITORING_ENDPOINTS,
  secrets: { provider: 'external-secrets', store: 'vault-staging', remoteKeyPrefix: 'crumpet/staging' },
  tls: {
    issuerName: 'letsencrypt-staging',
    acmeServer: 'https://acme-staging-v02.api.letsencrypt.org/directory',
    acmeEmail: 'sre@crumpet.example.org',
  },
  edge: { corsOrigins: ['https://staging.crumpet.example.org'], rateLimit: EDGE_RATE_LIMIT },
  backups: {
    bucket: 'crumpet-staging-backups',
    endpoint: 'https://s3.eu-central-1.amazonaws.com',
    indexSnapshotSchedule: '30 2 * * *',
    volumeSnapshotSchedule: '0 3 * * *',
    configBackupSchedule: '15 1 * * *',
    volumeSnapshotClassName: 'csi-snapclass',
    toolboxImage: TOOLBOX_IMAGE,
  },
  // A canary holds 10% for an hour, then the SLO analysis promotes it or rolls it back.
  delivery: { prometheusAddress: 'http://prometheus-operated.monitoring.svc:9090', canarySteps: [{ weight: 10, pause: '1h', analysis: true }] },
  gitops: { repoURL: PLATFORM_REPOSITORY },
};

export default staging;
