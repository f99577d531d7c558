import { fileURLToPath } from 'node:url';
import { loadEnvironment as loadModelEnvironment, NO_OVERRIDES, validateConfig as validateModel, type ModelDefinition, type Overrides } from '../../../config/index.ts';
import { ComponentRegistry, declaredRoutes } from '../../../lib/index.ts';
import { crumpetChecks } from './checks.ts';
import { platformConfigSchema, sidecar } from './schema.ts';
import type { EdgeRouteConfig, PlatformConfig } from './types.ts';

export * from './checks.ts';
export * as modelSchemas from './schema.ts';
export * from './types.ts';

/** Crumpet's components: one declaration per file in src/stacks/crumpet/components/. */
export const CRUMPET_COMPONENTS = await ComponentRegistry.load<PlatformConfig>(new URL('../components/', import.meta.url));

/** The routes the components declare: the route table of an environment that states none. */
const DECLARED_ROUTES: readonly EdgeRouteConfig[] = declaredRoutes(CRUMPET_COMPONENTS.components);

/** The edge's route table of an environment: its own, or the components' (a validated model has one). */
export function edgeRoutes(config: PlatformConfig): readonly EdgeRouteConfig[] {
  return config.edge.routes ?? DECLARED_ROUTES;
}

/** The model's schema: `schema.ts`, each declared component's settings in `components`, the declared routes as the route table's default. */
function modelSchema(): object {
  const declared = CRUMPET_COMPONENTS.settingsSchema() as { required: string[]; properties: Record<string, object> };
  const edge = platformConfigSchema.properties.edge;
  return {
    ...platformConfigSchema,
    required: [...platformConfigSchema.required, 'components'],
    properties: {
      ...platformConfigSchema.properties,
      edge: { ...edge, properties: { ...edge.properties, routes: { ...edge.properties.routes, default: DECLARED_ROUTES } } },
      components: {
        type: 'object',
        additionalProperties: false,
        required: [...declared.required, 'otelCollector', 'promtail'],
        properties: { ...declared.properties, otelCollector: sidecar, promtail: sidecar },
      },
    },
  };
}

/** Crumpet's model: one environment per file in src/stacks/crumpet/environments/. */
export const CRUMPET_MODEL: ModelDefinition<PlatformConfig> = {
  name: 'crumpet',
  schema: modelSchema(),
  environmentsDir: fileURLToPath(new URL('../environments/', import.meta.url)),
  checks: crumpetChecks,
};

/** Loads one of Crumpet's environments, with overrides, validated. */
export function loadEnvironment(env: string, overrides: Overrides = NO_OVERRIDES, dir?: string): Promise<PlatformConfig> {
  return loadModelEnvironment(CRUMPET_MODEL, env, overrides, dir);
}

/** Validates a candidate Crumpet model; throws a ConfigError listing every problem. */
export function validateConfig(env: string, candidate: unknown): PlatformConfig {
  return validateModel(CRUMPET_MODEL, env, candidate);
}
