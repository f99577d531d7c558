import { ConfigError, environmentNamespaces, validateConfig, type EnvironmentFileError, type ModelDefinition } from '../../config/index.ts';
import type { RunbookEnvironment } from '../../observability/index.ts';
import type { ComponentRegistry } from './registry.ts';

/**
 * Every environment of a model with its namespace and the components not running there, as its
 * file states them: read on demand by {@link ComponentEnvironments.load}, never on import, so
 * that importing a stack reads none of its environment files and a bad one is reported by the
 * run that needs it, as bad input.
 */
export interface ComponentEnvironments {
  /**
   * Reads and checks every environment file of the model, the first time; resolves to the
   * problem of each file that is wrong (none when all are right), each as a synth of that
   * environment reports it.
   */
  load(): Promise<readonly (ConfigError | EnvironmentFileError)[]>;
  /** The environments, once {@link load} found no problem; throws otherwise. */
  list(): readonly RunbookEnvironment[];
}

/** Listing environments before reading them: a bug of the caller, not bad input. */
class EnvironmentsNotLoaded extends Error {}

/**
 * Every environment of `model` with its namespace and the components of `registry` that do not
 * run there, as its file states them (before overrides): what the outputs all environments share
 * (the runbooks' commands) say per environment. Each file is validated only when a component is
 * optional: otherwise every component runs everywhere.
 */
export function componentEnvironments<M>(model: ModelDefinition<M>, registry: ComponentRegistry<M>): ComponentEnvironments {
  let read: Promise<readonly (ConfigError | EnvironmentFileError)[]> | undefined;
  let environments: readonly RunbookEnvironment[] | undefined;
  let problems: readonly (ConfigError | EnvironmentFileError)[] = [];
  const optional = registry.components.some((c) => c.enabled);
  const load = async (): Promise<readonly (ConfigError | EnvironmentFileError)[]> => {
    const files = await environmentNamespaces(model.environmentsDir);
    const found: (ConfigError | EnvironmentFileError)[] = [...files.problems];
    const listed: RunbookEnvironment[] = [];
    for (const { name, namespace, value } of files.environments) {
      if (!optional) {
        listed.push({ name, namespace });
        continue;
      }
      try {
        listed.push({ name, namespace, absent: [...registry.notRunningIn(validateConfig(model, name, structuredClone(value)))].sort() });
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        found.push(err);
      }
    }
    environments = listed;
    problems = found.sort((a, b) => (a.environment < b.environment ? -1 : a.environment > b.environment ? 1 : 0));
    return problems;
  };
  return {
    load: () => (read ??= load()),
    list: () => {
      if (environments === undefined) throw new EnvironmentsNotLoaded(`the environments of ${model.name} are listed before load() read them`);
      if (problems.length > 0) throw problems[0]!;
      return environments;
    },
  };
}
