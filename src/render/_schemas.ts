import { createRequire } from 'node:module';
import { requireLater } from '../lib/_require-module.ts';
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
  const exports = requireLater<Record<string, ModelClass>>(require, module);
  return async () => exports()[exportName]!;
}

/** The built-in kinds synth renders: the kubernetes-models module and class of each. */
export const BUILTIN_KINDS: Readonly<Record<string, { readonly module: string; readonly model: string }>> = {
  'v1/ConfigMap': { module: 'kubernetes-models/v1/ConfigMap', model: 'ConfigMap' },
  'v1/Namespace': { module: 'kubernetes-models/v1/Namespace', model: 'Namespace' },
  'v1/PersistentVolumeClaim': { module: 'kubernetes-models/v1/PersistentVolumeClaim', model: 'PersistentVolumeClaim' },
  'v1/Pod': { module: 'kubernetes-models/v1/Pod', model: 'Pod' },
  'v1/Service': { module: 'kubernetes-models/v1/Service', model: 'Service' },
  'v1/ServiceAccount': { module: 'kubernetes-models/v1/ServiceAccount', model: 'ServiceAccount' },
  'apps/v1/Deployment': { module: 'kubernetes-models/apps/v1/Deployment', model: 'Deployment' },
  'apps/v1/StatefulSet': { module: 'kubernetes-models/apps/v1/StatefulSet', model: 'StatefulSet' },
  'autoscaling/v2/HorizontalPodAutoscaler': { module: 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler', model: 'HorizontalPodAutoscaler' },
  'batch/v1/CronJob': { module: 'kubernetes-models/batch/v1/CronJob', model: 'CronJob' },
  'networking.k8s.io/v1/Ingress': { module: 'kubernetes-models/networking.k8s.io/v1/Ingress', model: 'Ingress' },
  'networking.k8s.io/v1/NetworkPolicy': { module: 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy', model: 'NetworkPolicy' },
  'policy/v1/PodDisruptionBudget': { module: 'kubernetes-models/policy/v1/PodDisruptionBudget', model: 'PodDisruptionBudget' },
  'rbac.authorization.k8s.io/v1/Role': { module: 'kubernetes-models/rbac.authorization.k8s.io/v1/Role', model: 'Role' },
  'rbac.authorization.k8s.io/v1/RoleBinding': { module: 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding', model: 'RoleBinding' },
};

export const SCHEMAS: Readonly<Record<string, () => Promise<ModelClass>>> = {
  ...Object.fromEntries(Object.entries(BUILTIN_KINDS).map(([key, k]) => [key, load(k.module, k.model)])),
  ...CRD_SCHEMAS,
};

/**
 * Kinds synthesized without a schema, each with the reason. Anything else without a schema
 * fails synth.
 */
export const NO_SCHEMA_ALLOWED: Readonly<Record<string, string>> = {};
