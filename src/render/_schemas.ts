import { CRD_SCHEMAS } from './_crd-schemas.ts';

/*
 * Which schema validates which kind. Each loader imports one model class only when an object of
 * its kind is rendered, so synth loads no schema it does not need.
 */

/**
 * A kubernetes-models class: validates on `validate()`, throwing a ValidationError. Its data
 * parameter is `any` because each class types it by its own kind and we hand it parsed output.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ModelClass = new (data: any) => { validate(): void };

export const SCHEMAS: Readonly<Record<string, () => Promise<ModelClass>>> = {
  'v1/ConfigMap': async () => (await import('kubernetes-models/v1/ConfigMap')).ConfigMap,
  'v1/Namespace': async () => (await import('kubernetes-models/v1/Namespace')).Namespace,
  'v1/PersistentVolumeClaim': async () => (await import('kubernetes-models/v1/PersistentVolumeClaim')).PersistentVolumeClaim,
  'v1/Pod': async () => (await import('kubernetes-models/v1/Pod')).Pod,
  'v1/Service': async () => (await import('kubernetes-models/v1/Service')).Service,
  'v1/ServiceAccount': async () => (await import('kubernetes-models/v1/ServiceAccount')).ServiceAccount,
  'apps/v1/Deployment': async () => (await import('kubernetes-models/apps/v1/Deployment')).Deployment,
  'apps/v1/StatefulSet': async () => (await import('kubernetes-models/apps/v1/StatefulSet')).StatefulSet,
  'autoscaling/v2/HorizontalPodAutoscaler': async () =>
    (await import('kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler')).HorizontalPodAutoscaler,
  'batch/v1/CronJob': async () => (await import('kubernetes-models/batch/v1/CronJob')).CronJob,
  'networking.k8s.io/v1/NetworkPolicy': async () => (await import('kubernetes-models/networking.k8s.io/v1/NetworkPolicy')).NetworkPolicy,
  'policy/v1/PodDisruptionBudget': async () => (await import('kubernetes-models/policy/v1/PodDisruptionBudget')).PodDisruptionBudget,
  'rbac.authorization.k8s.io/v1/Role': async () => (await import('kubernetes-models/rbac.authorization.k8s.io/v1/Role')).Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': async () =>
    (await import('kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding')).RoleBinding,
  ...CRD_SCHEMAS,
};

/**
 * Kinds synthesized without a schema, each with the reason. Anything else without a schema
 * fails synth.
 */
export const NO_SCHEMA_ALLOWED: Readonly<Record<string, string>> = {};
