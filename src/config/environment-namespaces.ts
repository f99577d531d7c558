import { EnvironmentFileError, importEnvironment, listEnvironments } from './environment-files.ts';

/** An environment of a model, the namespace its file names, and the file's value as written. */
export interface EnvironmentNamespace {
  readonly name: string;
  readonly namespace: string;
  /** The file's default export as plain data, before defaults, overrides and validation. */
  readonly value: unknown;
}

/**
 * Every environment in `dir` with the `namespace` its file states, as written (before
 * overrides): what outputs shared by all environments (runbooks) name per environment.
 */
export async function environmentNamespaces(dir: string): Promise<EnvironmentNamespace[]> {
  return Promise.all(
    listEnvironments(dir).map(async (name) => {
      const { value } = await importEnvironment(name, dir);
      const namespace = (value as { namespace?: unknown } | undefined)?.namespace;
      if (typeof namespace !== 'string') throw new EnvironmentFileError(name, [`namespace: the environment file must state it as a string, got ${JSON.stringify(namespace)}`]);
      return { name, namespace, value };
    }),
  );
}
