import type { ModelClass } from './_schemas.ts';

/* Schemas of the custom resource kinds the platform renders, keyed `<apiVersion>/<kind>`. */
export const CRD_SCHEMAS: Readonly<Record<string, () => Promise<ModelClass>>> = {};
