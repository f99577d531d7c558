import { createRequire } from 'node:module';
import type { ModelClass } from './_schemas.ts';

const require = createRequire(import.meta.url);

/*
 * Same loader as in _schemas.ts (CommonJS, one class per kind), repeated here because
 * _schemas.ts imports this file: importing its helper back would be a cycle.
 */
function load(module: string, exportName: string): () => Promise<ModelClass> {
  return async () => (require(module) as Record<string, ModelClass>)[exportName]!;
}

/*
 * Schemas of the custom resource kinds the platform renders, keyed `<apiVersion>/<kind>`.
 *
 * The 4.x @kubernetes-models packages are the newest that run on Node 20 and share
 * @kubernetes-models/base 5 and validate 4 with kubernetes-models 4.5.1. Their schemas are older
 * than the CRDs behind imports/ and allow unknown fields, so fields added upstream since pass
 * unchecked; of the newer enum values only `scheme: HTTP`/`HTTPS` on monitor endpoints is
 * rejected, so write them lower-case.
 *
 * No schema here yet, so each fails synth until one is added or it is allow-listed:
 * external-secrets.io/v1 ExternalSecret and ClusterSecretStore (the Node 20 package only has
 * v1alpha1/v1beta1), bitnami.com/v1alpha1 SealedSecret (the Node 20 package pins its own copies of
 * base, validate and kubernetes-models) and snapshot.storage.k8s.io/v1 VolumeSnapshot (no package).
 */
export const CRD_SCHEMAS: Readonly<Record<string, () => Promise<ModelClass>>> = {
  'cert-manager.io/v1/Certificate': load('@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate', 'Certificate'),
  'cert-manager.io/v1/ClusterIssuer': load('@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer', 'ClusterIssuer'),
  'monitoring.coreos.com/v1/PodMonitor': load('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor', 'PodMonitor'),
  'monitoring.coreos.com/v1/PrometheusRule': load('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule', 'PrometheusRule'),
  'monitoring.coreos.com/v1/ServiceMonitor': load('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor', 'ServiceMonitor'),
  'monitoring.coreos.com/v1alpha1/AlertmanagerConfig': load(
    '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig',
    'AlertmanagerConfig',
  ),
};
