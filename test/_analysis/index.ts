/*
 * Test-side analysers over parsed Kubernetes manifests. They know nothing of Crumpet, so they can
 * be run over the whole synthesized output or over small fixtures alike.
 */
export { loadManifests, type KubeObject, type StringMap } from './_kube.ts';
export * from './network-flows.ts';
export * from './pod-security.ts';
export * from './envoy-routes.ts';
