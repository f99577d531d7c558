import { fileURLToPath } from 'node:url';
import { loadEnvironment as loadModelEnvironment, NO_OVERRIDES, validateConfig as validateModel, type ModelDefinition, type Overrides } from '../../../config/index.ts';
import { ComponentRegistry } from '../../../lib/index.ts';
import { mirrorChecks } from './checks.ts';
import { mirrorConfigSchema } from './schema.ts';
import type { MirrorConfig } from './types.ts';

export * from './checks.ts';
export * as mirrorSchemas from './schema.ts';
export * from './types.ts';

/** The mirror's components: one declaration per file in src/stacks/mirror/components/. */
export const MIRROR_COMPONENTS = await ComponentRegistry.load<MirrorConfig>(new URL('../components/', import.meta.url));

/** The model's schema: `schema.ts`, and each declared component's settings under `components`. */
function modelSchema(): object {
  return {
    ...mirrorConfigSchema,
    required: [...mirrorConfigSchema.required, 'components'],
    properties: { ...mirrorConfigSchema.properties, components: MIRROR_COMPONENTS.settingsSchema() },
  };
}

/** The mirror's model: one environment per file in src/stacks/mirror/environments/. */
export const MIRROR_MODEL: ModelDefinition<MirrorConfig> = {
  name: 'mirror',
  schema: modelSchema(),
  environmentsDir: fileURLToPath(new URL('../environments/', import.meta.url)),
  checks: mirrorChecks,
};

/** Loads one of the mirror's environments, with overrides, validated. */
export function loadEnvironment(env: string, overrides: Overrides = NO_OVERRIDES, dir?: string): Promise<MirrorConfig> {
  return loadModelEnvironment(MIRROR_MODEL, env, overrides, dir);
}

/** Validates a candidate mirror model; throws a ConfigError listing every problem. */
export function validateConfig(env: string, candidate: unknown): MirrorConfig {
  return validateModel(MIRROR_MODEL, env, candidate);
}
