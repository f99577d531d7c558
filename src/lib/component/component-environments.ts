import { environmentNamespaces, validateConfig, type ModelDefinition } from '../../config/index.ts';
import type { RunbookEnvironment } from '../../observability/index.ts';
import type { ComponentRegistry } from './registry.ts';

/**
 * Every environment of `model` with its namespace and the components of `registry` that do not
 * run there, as its file states them (before overrides): what the outputs all environments share
 * (the runbooks' commands) say per environment.
 *
 * Reads the environment files now and returns the function that lists them: it validates them on
 * its first call, at synth, where a file's mistake is reported as one (here it would stop the
 * import). Only when a component is optional: otherwise every component runs everywhere.
 */
export async function componentEnvironments<M>(model: ModelDefinition<M>, registry: ComponentRegistry<M>): Promise<() => readonly RunbookEnvironment[]> {
  const files = await environmentNamespaces(model.environmentsDir);
  const environments = files.map(({ name, namespace }) => ({ name, namespace }));
  if (!registry.components.some((c) => c.enabled)) return () => environments;
  let listed: readonly RunbookEnvironment[] | undefined;
  return () =>
    (listed ??= files.map(({ name, namespace, value }) => ({ name, namespace, absent: [...registry.notRunningIn(validateConfig(model, name, structuredClone(value)))].sort() })));
}
