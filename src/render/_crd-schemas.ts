import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { requireLater } from '../lib/_require-module.ts';
import type { ModelClass } from './_schemas.ts';

const require = createRequire(import.meta.url);

/*
 * Same loader as in _schemas.ts (CommonJS, one class per kind), repeated here because
 * _schemas.ts imports this file: importing its helper back would be a cycle.
 */
function load(module: string, exportName: string): () => Promise<ModelClass> {
  const exports = requireLater<Record<string, ModelClass>>(require, module);
  return async () => exports()[exportName]!;
}

/** An ajv standalone validator: true when valid, else its `errors` say why. */
interface StandaloneValidator {
  (data: unknown): boolean;
  errors?: { readonly instancePath: string; readonly message?: string; readonly params?: Record<string, unknown> }[] | null;
}

/** Thrown by `validate()` of a generated validator; carries ajv's errors, as kubernetes-models' ValidationError does. */
class CrdValidationError extends Error {
  public constructor(public readonly errors: NonNullable<StandaloneValidator['errors']>) {
    super(errors.map((e) => `data${e.instancePath} ${e.message ?? 'is invalid'}`).join(', '));
    this.name = 'CrdValidationError';
  }
}

/**
 * Loads a validator generated from the CRD's own openAPIV3Schema by `npm run import`
 * (imports/schemas/<plural>.<group>.<version>.cjs) and wraps it in a model class. The module is
 * CommonJS and required, like the kubernetes-models classes, and only on first use.
 */
function generated(file: string): () => Promise<ModelClass> {
  const validatorOf = requireLater<StandaloneValidator>(require, fileURLToPath(new URL(`../../imports/schemas/${file}`, import.meta.url)));
  let model: ModelClass | undefined;
  return async () => {
    if (model) return model;
    const validator = validatorOf();
    model = class {
      public constructor(private readonly data: unknown) {}
      public validate(): void {
        if (!validator(this.data)) throw new CrdValidationError(validator.errors ?? []);
      }
    };
    return model;
  };
}

/*
 * Schemas of the custom resource kinds the platform renders, keyed `<apiVersion>/<kind>`.
 *
 * The cert-manager and prometheus-operator kinds use the 4.x @kubernetes-models packages, the
 * newest that run on Node 20 and share @kubernetes-models/base 5 and validate 4 with
 * kubernetes-models 4.5.1. Their schemas are older than the CRDs behind imports/ and allow unknown
 * fields, so fields added upstream since pass unchecked; of the newer enum values only
 * `scheme: HTTP`/`HTTPS` on monitor endpoints is rejected, so write them lower-case.
 *
 * external-secrets.io/v1 (the Node 20 package only has v1alpha1/v1beta1), bitnami.com/v1alpha1
 * SealedSecret (the Node 20 package pins its own copies of base, validate and kubernetes-models)
 * snapshot.storage.k8s.io/v1 VolumeSnapshot, traefik.io/v1alpha1 Middleware, argoproj.io/v1alpha1 Rollout,
 * AnalysisTemplate and Application and the chaos-mesh.org/v1alpha1 experiments (no package) use validators generated from the
 * same CRDs as imports/ (src/cli/import-crd-schemas.ts). These reject unknown fields, which the
 * API server would prune and `kubectl apply --validate=strict` refuses, but do not evaluate the
 * CRDs' CEL rules (x-kubernetes-validations).
 */
export const CRD_SCHEMAS: Readonly<Record<string, () => Promise<ModelClass>>> = {
  'cert-manager.io/v1/Certificate': load('@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate', 'Certificate'),
  'cert-manager.io/v1/ClusterIssuer': load('@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer', 'ClusterIssuer'),
  'cert-manager.io/v1/Issuer': load('@kubernetes-models/cert-manager/cert-manager.io/v1/Issuer', 'Issuer'),
  'monitoring.coreos.com/v1/PodMonitor': load('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor', 'PodMonitor'),
  'monitoring.coreos.com/v1/PrometheusRule': load('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule', 'PrometheusRule'),
  'monitoring.coreos.com/v1/ServiceMonitor': load('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor', 'ServiceMonitor'),
  'monitoring.coreos.com/v1alpha1/AlertmanagerConfig': load(
    '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig',
    'AlertmanagerConfig',
  ),
  'chaos-mesh.org/v1alpha1/HTTPChaos': generated('httpchaos.chaos-mesh.org.v1alpha1.cjs'),
  'chaos-mesh.org/v1alpha1/NetworkChaos': generated('networkchaos.chaos-mesh.org.v1alpha1.cjs'),
  'chaos-mesh.org/v1alpha1/PodChaos': generated('podchaos.chaos-mesh.org.v1alpha1.cjs'),
  'bitnami.com/v1alpha1/SealedSecret': generated('sealedsecrets.bitnami.com.v1alpha1.cjs'),
  'external-secrets.io/v1/ClusterSecretStore': generated('clustersecretstores.external-secrets.io.v1.cjs'),
  'external-secrets.io/v1/ExternalSecret': generated('externalsecrets.external-secrets.io.v1.cjs'),
  'snapshot.storage.k8s.io/v1/VolumeSnapshot': generated('volumesnapshots.snapshot.storage.k8s.io.v1.cjs'),
  'traefik.io/v1alpha1/Middleware': generated('middlewares.traefik.io.v1alpha1.cjs'),
  'argoproj.io/v1alpha1/AnalysisTemplate': generated('analysistemplates.argoproj.io.v1alpha1.cjs'),
  'argoproj.io/v1alpha1/Rollout': generated('rollouts.argoproj.io.v1alpha1.cjs'),
  'argoproj.io/v1alpha1/Application': generated('applications.argoproj.io.v1alpha1.cjs'),
};
