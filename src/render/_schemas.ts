/*
 * Which schema validates which kind. Each loader imports one model class only when an object of
 * its kind is rendered, so synth loads no schema it does not need.
 */

/** A kubernetes-models class: validates on `validate()`, throwing a ValidationError. */
export type ModelClass = new (data: object) => { validate(): void };

export const SCHEMAS: Readonly<Record<string, () => Promise<ModelClass>>> = {
  'v1/Namespace': async () => (await import('kubernetes-models/v1/Namespace')).Namespace,
  'v1/Service': async () => (await import('kubernetes-models/v1/Service')).Service,
  'v1/ServiceAccount': async () => (await import('kubernetes-models/v1/ServiceAccount')).ServiceAccount,
  'apps/v1/Deployment': async () => (await import('kubernetes-models/apps/v1/Deployment')).Deployment,
};

/**
 * Kinds synthesized without a schema, each with the reason. Anything else without a schema
 * fails synth.
 */
export const NO_SCHEMA_ALLOWED: Readonly<Record<string, string>> = {};
