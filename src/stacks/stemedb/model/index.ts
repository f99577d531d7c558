import { fileURLToPath } from 'node:url';
import { loadEnvironment as loadModelEnvironment, NO_OVERRIDES, type ModelDefinition, type Overrides } from '../../../config/index.ts';
import { ComponentRegistry } from '../../../lib/index.ts';
import { stemedbChecks } from './checks.ts';
import { stemedbConfigSchema } from './schema.ts';
import type { StemedbConfig } from './types.ts';

export * from './checks.ts';
export * as modelSchemas from './schema.ts';
export * from './types.ts';

/** StemeDB's components: one declaration per file in src/stacks/stemedb/components/. */
export const STEMEDB_COMPONENTS = await ComponentRegistry.load<StemedbConfig>(new URL('../components/', import.meta.url));

/** StemeDB's model: one environment per file in src/stacks/stemedb/environments/. */
export const STEMEDB_MODEL: ModelDefinition<StemedbConfig> = {
  name: 'stemedb',
  schema: {
    ...stemedbConfigSchema,
    required: [...stemedbConfigSchema.required, 'components'],
    properties: { ...stemedbConfigSchema.properties, components: STEMEDB_COMPONENTS.settingsSchema() },
  },
  environmentsDir: fileURLToPath(new URL('../environments/', import.meta.url)),
  checks: stemedbChecks,
};

/** Loads one of StemeDB's environments, with overrides, validated. */
export function loadEnvironment(env: string, overrides: Overrides = NO_OVERRIDES, dir?: string): Promise<StemedbConfig> {
  return loadModelEnvironment(STEMEDB_MODEL, env, overrides, dir);
}
