import { createRequire } from 'node:module';
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

const require = createRequire(import.meta.url);

/**
 * Loads one model class through CommonJS. Each class pulls in dozens of small schema modules;
 * through ESM every one of them crosses to tsx's loader thread, which made synth three times
 * slower (measured: 1.2 s against 0.7 s wall).
 */
function load(module: string, exportName: string): () => Promise<ModelClass> {
  return async () => (require(module) as Record<string, ModelClass>)[exportName]!;
}

export const SCHEMAS: Readonly<Record<string, () => Promise<ModelClass>>> = {
  'v1/ConfigMap': load('kubernetes-models/v1/ConfigMap', 'ConfigMap'),
  'v1/Namespace': load('kubernetes-models/v1/Namespace', 'Namespace'),
  'v1/PersistentVolumeClaim': load('kubernetes-models/v1/PersistentVolumeClaim', 'PersistentVolumeClaim'),
  'v1/Pod': load('kubernetes-models/v1/Pod', 'Pod'),
  'v1/Service': load('kubernetes-models/v1/Service', 'Service'),
  'v1/ServiceAccount': load('kubernetes-models/v1/ServiceAccount', 'ServiceAccount'),
  'apps/v1/Deployment': load('kubernetes-models/apps/v1/Deployment', 'Deployment'),
  'apps/v1/StatefulSet': load('kubernetes-models/apps/v1/StatefulSet', 'StatefulSet'),
  'autoscaling/v2/HorizontalPodAutoscaler': load('kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler', 'HorizontalPodAutoscaler'),
  'batch/v1/CronJob': load('kubernetes-models/batch/v1/CronJob', 'CronJob'),
  'networking.k8s.io/v1/Ingress': load('kubernetes-models/networking.k8s.io/v1/Ingress', 'Ingress'),
  'networking.k8s.io/v1/NetworkPolicy': load('kubernetes-models/networking.k8s.io/v1/NetworkPolicy', 'NetworkPolicy'),
  'policy/v1/PodDisruptionBudget': load('kubernetes-models/policy/v1/PodDisruptionBudget', 'PodDisruptionBudget'),
  'rbac.authorization.k8s.io/v1/Role': load('kubernetes-models/rbac.authorization.k8s.io/v1/Role', 'Role'),
  'rbac.authorization.k8s.io/v1/RoleBinding': load('kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding', 'RoleBinding'),
  ...CRD_SCHEMAS,
};

/**
 * Kinds synthesized without a schema, each with the reason. Anything else without a schema
 * fails synth.
 */
export const NO_SCHEMA_ALLOWED: Readonly<Record<string, string>> = {};
