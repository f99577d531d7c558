/*
 * Test-side analysers over parsed Kubernetes manifests. They know nothing of Crumpet, so they can
 * be run over the whole synthesized output or over small fixtures alike.
 */
export { loadManifests, matchesSelector, type KubeObject, type LabelSelector, type StringMap } from '../../src/analysis/kube-objects.ts';
export * from '../../src/analysis/network-flows.ts';
export * from '../../src/analysis/pod-security.ts';
export * from './envoy-routes.ts';
