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

/*
 * Production pins every image by digest (spec section 11, "pin images by digest"). The digests
 * are those of the release named by the tag; a release bumps both together.
 */
const DIGESTS = {
  cinNode: 'sha256:bba070fd223e22bb605307cdbda2f3781fb11809621497bee5bc16d178631072',
  pinOrchestrator: 'sha256:0975d5a1162f2a4fbd13c596a8e0c93e621c8044cf82ec1d8c9779fb684aa8b0',
  watcher: 'sha256:50d8f8c9195efc45190b79a7d5f64622a8f5fe05efeb71950a8216cbc443f41f',
  web: 'sha256:e3dab22594680f178770f9dceed5ed03eaafad4bdd3b12bfdbc98bc7d37eb407',
  envoyEdge: 'sha256:2c36489767b259e84414ea48f03370175041a9eb5793fe0b9fad6bde7f26e7d3',
  kubo: 'sha256:17afb749a5447ad51b916d13584148bebcbfe49a568fecce3b7590fee51eefb3',
  otelCollector: 'sha256:58a846eb564d0ba8ec00a4b5e847d772a7b105e0ec56123e558db2b9994af079',
  promtail: 'sha256:7b85c73859f25da493d9fc93456739a4d06d7dec104540c3b913ef230fd668b2',
  toolbox: 'sha256:bbff579e3e04168d876723b477232830232151ef4f640fce467cff48e5145ce8',
} as const;

/** Production: three languages, each on its own instances, two replicas or more everywhere. */
const prod: PlatformConfig = {
  name: 'prod',
  namespace: 'crumpet',
  instance: 'crumpet',
  pinDigests: true,
  hostnames: ['crumpet.example.org', 'api.crumpet.example.org'],
  storage: { storageClassName: 'premium-rwo' },
  features: {
    networkPolicy: true,
    serviceMonitor: true,
    podDisruptionBudget: true,
    autoscaling: true,
    kubo: false,
    mtls: true,
    rollouts: true,
  },
  components: {
    cinNode: {
      image: crumpetImage('cin-node', DIGESTS.cinNode),
      resources: SPEC_RESOURCES.cinNode,
      languages: [
        { code: 'en', replicas: 3, storage: '50Gi' },
        { code: 'es', replicas: 2, storage: '30Gi' },
        { code: 'de', replicas: 2, storage: '20Gi' },
      ],
      instanceOverrides: [],
    },
    pinOrchestrator: scalable(crumpetImage('pin-orchestrator', DIGESTS.pinOrchestrator), 2, 6, SPEC_RESOURCES.pinOrchestrator),
    watcher: workload(crumpetImage('watcher', DIGESTS.watcher), 2, SPEC_RESOURCES.watcher),
    web: scalable(crumpetImage('web', DIGESTS.web), 3, 10, SPEC_RESOURCES.web),
    envoyEdge: scalable({ ...ENVOY_IMAGE, digest: DIGESTS.envoyEdge }, 2, 8, SPEC_RESOURCES.envoyEdge),
    kubo: { ...workload({ ...KUBO_IMAGE, digest: DIGESTS.kubo }, 2, SPEC_RESOURCES.kubo), storage: '200Gi' },
    otelCollector: { image: { ...OTEL_COLLECTOR_IMAGE, digest: DIGESTS.otelCollector }, resources: SPEC_RESOURCES.otelCollector },
    promtail: { image: { ...PROMTAIL_IMAGE, digest: DIGESTS.promtail }, resources: SPEC_RESOURCES.promtail },
  },
  network: {
    rpcEndpointCidrs: ['198.51.100.0/28', '198.51.100.16/28'],
    ipfsGatewayCidrs: ['203.0.113.0/28', '203.0.113.16/28', '203.0.113.32/28'],
    peerCidrs: ['192.0.2.0/25'],
    pinningServiceCidrs: ['203.0.113.64/27', '203.0.113.96/27'],
    objectStoreCidrs: ['198.51.100.128/27'],
    apiServerCidrs: ['10.0.0.1/32'],
    // The CDN's published egress ranges (documentation ranges here).
    cdnCidrs: ['198.51.100.192/26', '203.0.113.192/26'],
    monitoringNamespace: 'monitoring',
  },
  telemetry: MONITORING_ENDPOINTS,
  secrets: { provider: 'external-secrets', store: 'vault-prod', remoteKeyPrefix: 'crumpet/prod' },
  tls: {
    issuerName: 'letsencrypt-prod',
    acmeServer: 'https://acme-v02.api.letsencrypt.org/directory',
    acmeEmail: 'sre@crumpet.example.org',
  },
  edge: { corsOrigins: ['https://crumpet.example.org', 'https://app.community.example'], rateLimit: EDGE_RATE_LIMIT },
  backups: {
    bucket: 'crumpet-prod-backups',
    endpoint: 'https://s3.eu-central-1.amazonaws.com',
    indexSnapshotSchedule: '0 2 * * *',
    volumeSnapshotSchedule: '0 */6 * * *',
    configBackupSchedule: '0 1 * * *',
    volumeSnapshotClassName: 'csi-snapclass',
    toolboxImage: { ...TOOLBOX_IMAGE, digest: DIGESTS.toolbox },
  },
  // 10%, 25%, 50%, then 100%: the SLO analysis runs between the steps and rolls back on a burn.
  delivery: { prometheusAddress: 'http://prometheus-operated.monitoring.svc:9090', canarySteps: [{ weight: 10, analysis: true }, { weight: 25, analysis: true }, { weight: 50, analysis: true }] },
  gitops: { repoURL: PLATFORM_REPOSITORY },
};

export default prod;
