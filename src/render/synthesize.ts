import { ConfigError, EnvironmentFileError, listEnvironments, loadEnvironment, NO_OVERRIDES, overridesFor, type Overrides } from '../config/index.ts';
import { quote } from '../lib/values/index.ts';
import { GENERATED_ROOTS } from './generated-file.ts';
import { sharedObjects } from './_object-identity.ts';
import { APPLICATIONS_FOLDER, renderApplication } from './gitops-applications.ts';
import type { OutputSet } from './output-root.ts';
import { renderApp, type RenderedEnvironment } from './render-app.ts';
import { environmentLabel, type Stack } from './stack.ts';
import { SynthError } from './synth-error.ts';

/** What to synthesize. */
export interface SynthesisRequest {
  /** Stacks to render, by name. @default - every stack */
  readonly stacks?: readonly string[];
  /**
   * Environments to render: in each selected stack that has them.
   * @default - every environment of each selected stack
   */
  readonly environments?: readonly string[];
  /**
   * `-f` and `--set` overrides, applied to every selected environment; with several stacks, each
   * to the stacks whose model has its path (config/overrides.ts `overridesFor`). @default - none
   */
  readonly overrides?: Overrides;
  /** Folder of the environment files, with exactly one stack selected. @default - the stack's */
  readonly envDir?: string;
}

export interface Synthesis {
  readonly environments: readonly RenderedEnvironment[];
  readonly output: OutputSet;
}

/** Problems in several environments at once. */
export class PlatformError extends Error {
  public constructor(public readonly errors: readonly (ConfigError | EnvironmentFileError | SynthError)[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'PlatformError';
  }
}

/**
 * A construct refusing its input: by the library's convention a plain Error whose message names
 * the construct path and the field. A TypeError or any other subclass is a bug, not bad input.
 */
function isConstructError(err: unknown): err is Error {
  return err instanceof Error && Object.getPrototypeOf(err) === Error.prototype;
}

/** One environment of one stack to render. */
interface Selected {
  readonly stack: Stack<unknown>;
  readonly env: string;
  readonly dir: string;
}

/** The environments the request names, per stack; throws a PlatformError naming what it cannot find. */
function select(stacks: readonly Stack<unknown>[], request: SynthesisRequest): { selected: Selected[]; everything: boolean } {
  const unknownStacks = (request.stacks ?? []).filter((name) => !stacks.some((s) => s.name === name));
  if (unknownStacks.length > 0) {
    throw new PlatformError(
      unknownStacks.map((name) => new ConfigError(name, [{ path: '--stack', message: `unknown stack ${quote(name)}; known: ${stacks.map((s) => s.name).join(', ')}` }])),
    );
  }
  const chosen = request.stacks ? stacks.filter((s) => request.stacks!.includes(s.name)) : stacks;
  const known = new Map<Stack<unknown>, { dir: string; envs: string[] }>();
  const errors: EnvironmentFileError[] = [];
  for (const stack of chosen) {
    const dir = request.envDir ?? stack.model.environmentsDir;
    try {
      known.set(stack, { dir, envs: listEnvironments(dir) });
    } catch (err) {
      if (err instanceof EnvironmentFileError) errors.push(err);
      else throw err;
    }
  }
  if (errors.length > 0) throw new PlatformError(errors);
  const wanted = request.environments;
  const missing = (wanted ?? []).filter((env) => ![...known.values()].some((k) => k.envs.includes(env)));
  if (missing.length > 0) {
    const all = [...new Set([...known.values()].flatMap((k) => k.envs))].sort();
    throw new PlatformError(missing.map((env) => new ConfigError(env, [{ path: '--env', message: `unknown environment ${quote(env)}; known: ${all.join(', ')}` }])));
  }
  const selected = [...known].flatMap(([stack, { dir, envs }]) => envs.filter((e) => !wanted || wanted.includes(e)).map((env) => ({ stack, env, dir })));
  const everything = chosen.length === stacks.length && [...known].every(([, k]) => k.envs.every((e) => !wanted || wanted.includes(e)));
  return { selected, everything };
}

/**
 * Loads, validates and renders the selected environments of the selected stacks. Every
 * environment is checked before any is rendered, and all problems are reported together in one
 * PlatformError. No two environments of the run may render one object (one namespace above
 * all). Only a synth of everything writes ops/ and charts-out/, which hold every environment's
 * files; otherwise each environment's dist/ folder and its Argo CD Application
 * (dist/argocd/<stack>-<env>.k8s.yaml) alone are replaced.
 */
export async function synthesize(stacks: readonly Stack<unknown>[], request: SynthesisRequest = {}): Promise<Synthesis> {
  const { selected, everything } = select(stacks, request);
  const errors: (ConfigError | EnvironmentFileError | SynthError)[] = [];
  const loaded: { readonly at: Selected; readonly config: unknown }[] = [];
  const models = [...new Set(selected.map((at) => at.stack.model))];
  for (const at of selected) {
    const others = models.filter((m) => m !== at.stack.model).map((m) => m.schema);
    try {
      loaded.push({ at, config: await loadEnvironment(at.stack.model, at.env, overridesFor(request.overrides ?? NO_OVERRIDES, at.stack.model.schema, others), at.dir) });
    } catch (err) {
      if (err instanceof ConfigError || err instanceof EnvironmentFileError) errors.push(relabel(err, environmentLabel(at.stack, at.env)));
      else throw err;
    }
  }
  if (errors.length > 0) throw new PlatformError(errors);
  // Every environment file of each stack rendered (its runbooks name every environment), and of
  // no other: a bad file of another stack stops no run, and one of these is bad input like any
  // other. After the selected environments, so that a bad selected one is reported once, as
  // loading it with its overrides reports it.
  for (const stack of new Set(selected.map((at) => at.stack))) {
    for (const err of (await stack.runbookEnvironments?.load()) ?? []) errors.push(relabel(err, environmentLabel(stack, err.environment)));
  }
  if (errors.length > 0) throw new PlatformError(errors);

  const environments: RenderedEnvironment[] = [];
  const applications: RenderedEnvironment[] = [];
  for (const { at, config } of loaded) {
    const label = environmentLabel(at.stack, at.env);
    const folder = at.stack.distFolder(at.env);
    try {
      if (folder === APPLICATIONS_FOLDER || folder.startsWith(`${APPLICATIONS_FOLDER}/`)) {
        throw new SynthError(label, [`${folder} is the folder of the Argo CD Applications: rename the environment`]);
      }
      const rendered = await renderApp(at.stack.app(config), label, folder);
      environments.push(rendered);
      applications.push(await renderApplication(at.stack, at.env, config, rendered));
    } catch (err) {
      if (err instanceof SynthError) errors.push(err);
      else if (isConstructError(err)) errors.push(new SynthError(label, [err.message]));
      else throw err;
    }
  }
  if (errors.length > 0) throw new PlatformError(errors);
  // Each environment owns what it renders: its namespace, and every object outside it.
  const shared = sharedObjects(environments.map((e) => ({ owner: e.environment, objects: e.charts.flatMap((c) => c.objects) })));
  if (shared.size > 0) throw new PlatformError([...shared].map(([env, issues]) => new SynthError(env, issues)));

  const files = new Map([...environments, ...applications].flatMap((e) => [...e.files]));
  // A partial synth replaces each selected environment's folder and its Application's file alone.
  const partial = [...environments.map((e) => e.folder), ...applications.flatMap((a) => [...a.files.keys()])];
  if (!everything) return { environments, output: { files, owned: partial } };

  const owner = new Map<string, string>();
  const conflicts: string[] = [];
  for (const e of environments) {
    for (const [path, content] of e.generated) {
      const first = owner.get(path);
      if (first !== undefined && files.get(path) !== content) {
        conflicts.push(`${path} differs between ${first} and ${e.environment}: put the environment in its path`);
      }
      owner.set(path, e.environment);
      files.set(path, content);
    }
  }
  if (conflicts.length > 0) throw new PlatformError([new SynthError(environments[0]!.environment, conflicts)]);
  for (const stack of stacks) {
    if (!stack.charts) continue;
    const mine = loaded.filter((l) => l.at.stack === stack);
    const rendered = new Map(
      mine.map(({ at }) => {
        const e = environments.find((r) => r.environment === environmentLabel(stack, at.env))!;
        return [at.env, new Map(e.charts.map((c) => [c.chart, c.objects]))] as const;
      }),
    );
    try {
      for (const [path, content] of stack.charts(mine.map((l) => l.config), rendered)) {
        if (files.has(path)) throw new Error(`${path} is written by two stacks`);
        files.set(path, content);
      }
    } catch (err) {
      if (isConstructError(err)) throw new PlatformError([new SynthError(`${stack.name} charts`, [err.message])]);
      throw err;
    }
  }
  return { environments, output: { files, owned: ['dist', ...GENERATED_ROOTS] } };
}

/** A model error of a stack's environment, named as the stack's outputs name it (`stemedb/prod`). */
function relabel<E extends ConfigError | EnvironmentFileError>(err: E, label: string): E {
  if (err.environment === label) return err;
  return (err instanceof ConfigError ? new ConfigError(label, err.issues) : new EnvironmentFileError(label, err.problems)) as E;
}
