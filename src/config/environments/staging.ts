import { crumpetImage, ENVOY_IMAGE, KUBO_IMAGE, SPEC_RESOURCES, workload } from '../defaults.ts';
import type { PlatformConfig } from '../types.ts';

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
    mtls: false,
  },
  components: {
    cinNode: {
      image: crumpetImage('cin-node'),
      resources: SPEC_RESOURCES.cinNode,
      languages: [{ code: 'en', replicas: 1, storage: '20Gi' }],
    },
    pinOrchestrator: workload(crumpetImage('pin-orchestrator'), 1, SPEC_RESOURCES.pinOrchestrator),
    watcher: workload(crumpetImage('watcher'), 1, SPEC_RESOURCES.watcher),
    web: workload(crumpetImage('web'), 1, SPEC_RESOURCES.web),
    envoyEdge: workload(ENVOY_IMAGE, 1, SPEC_RESOURCES.envoyEdge),
    kubo: { ...workload(KUBO_IMAGE, 1, SPEC_RESOURCES.kubo), storage: '50Gi' },
  },
};

export default staging;
