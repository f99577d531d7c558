import { crumpetImage, ENVOY_IMAGE, KUBO_IMAGE, SPEC_RESOURCES, workload } from '../defaults.ts';
import type { PlatformConfig } from '../types.ts';

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
} as const;

/** Production: every primary language on its own StatefulSet, two replicas or more everywhere. */
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
    },
    pinOrchestrator: workload(crumpetImage('pin-orchestrator', DIGESTS.pinOrchestrator), 2, SPEC_RESOURCES.pinOrchestrator),
    watcher: workload(crumpetImage('watcher', DIGESTS.watcher), 2, SPEC_RESOURCES.watcher),
    web: workload(crumpetImage('web', DIGESTS.web), 3, SPEC_RESOURCES.web),
    envoyEdge: workload({ ...ENVOY_IMAGE, digest: DIGESTS.envoyEdge }, 2, SPEC_RESOURCES.envoyEdge),
    kubo: { ...workload({ ...KUBO_IMAGE, digest: DIGESTS.kubo }, 2, SPEC_RESOURCES.kubo), storage: '200Gi' },
  },
};

export default prod;
