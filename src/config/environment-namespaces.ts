import { EnvironmentFileError, listEnvironments } from './environment-files.ts';
import { ConfigError, readEnvironment } from './load.ts';

/** An environment of a model, the namespace its file names, and the file's value as written. */
export interface EnvironmentNamespace {
  readonly name: string;
  readonly namespace: string;
  /** The file's default export as plain data, before defaults, overrides and validation. */
  readonly value: unknown;
}

/** A model's environment files as written: those that could be read, and the problems of those that could not. */
export interface EnvironmentNamespaces {
  readonly environments: readonly EnvironmentNamespace[];
  /** One error per file that could not be read, each as a synth of that environment reports it. */
  readonly problems: readonly (ConfigError | EnvironmentFileError)[];
}

/**
 * Every environment in `dir` with the `namespace` its file states, as written (before
 * overrides): what outputs shared by all environments (runbooks) name per environment. Reads
 * every file, so that all their problems are reported together.
 */
export async function environmentNamespaces(dir: string): Promise<EnvironmentNamespaces> {
  let names: string[];
  try {
    names = listEnvironments(dir);
  } catch (err) {
    if (err instanceof EnvironmentFileError) return { environments: [], problems: [err] };
    throw err;
  }
  const read = await Promise.all(
    names.map(async (name): Promise<EnvironmentNamespace | ConfigError | EnvironmentFileError> => {
      try {
        const value = await readEnvironment(name, dir);
        const namespace = (value as { namespace?: unknown }).namespace;
        if (typeof namespace !== 'string') {
          return new ConfigError(name, [{ path: 'namespace', message: `the environment file must state it as a string, got ${JSON.stringify(namespace)}` }]);
        }
        return { name, namespace, value };
      } catch (err) {
        if (err instanceof ConfigError || err instanceof EnvironmentFileError) return err;
        throw err;
      }
    }),
  );
  return {
    environments: read.filter((r): r is EnvironmentNamespace => !(r instanceof Error)),
    problems: read.filter((r): r is ConfigError | EnvironmentFileError => r instanceof Error),
  };
}
