import {
  ConfigError,
  EnvironmentFileError,
  ENVIRONMENTS_DIR,
  listEnvironments,
  loadEnvironment,
  NO_OVERRIDES,
  type Overrides,
  type PlatformConfig,
} from '../config/index.ts';
import { GENERATED_ROOTS, renderApp, SynthError, type OutputSet, type RenderedEnvironment } from '../render/index.ts';
import { CrumpetApp } from './crumpet-app.ts';
import { helmChartFiles } from './helm-charts.ts';

/** What to synthesize. */
export interface SynthesisRequest {
  /** Environments to render. @default - every file in src/config/environments/ */
  readonly environments?: readonly string[];
  /** `-f` and `--set` overrides, applied to every selected environment. @default - none */
  readonly overrides?: Overrides;
  /** Folder of the environment files. @default - src/config/environments */
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

/**
 * Loads, validates and renders the selected environments. Every environment is checked before
 * any is rendered, and all problems are reported together in one PlatformError.
 */
export async function synthesizePlatform(request: SynthesisRequest = {}): Promise<Synthesis> {
  const dir = request.envDir ?? ENVIRONMENTS_DIR;
  let all: string[];
  try {
    all = listEnvironments(dir);
  } catch (err) {
    if (err instanceof EnvironmentFileError) throw new PlatformError([err]);
    throw err;
  }
  const selected = request.environments ?? all;
  const errors: (ConfigError | EnvironmentFileError | SynthError)[] = [];
  const configs: PlatformConfig[] = [];
  for (const env of selected) {
    try {
      configs.push(await loadEnvironment(env, request.overrides ?? NO_OVERRIDES, dir));
    } catch (err) {
      if (err instanceof ConfigError || err instanceof EnvironmentFileError) errors.push(err);
      else throw err;
    }
  }
  if (errors.length > 0) throw new PlatformError(errors);

  const environments: RenderedEnvironment[] = [];
  for (const config of configs) {
    try {
      environments.push(await renderApp(new CrumpetApp(config), config.name));
    } catch (err) {
      if (err instanceof SynthError) errors.push(err);
      else if (isConstructError(err)) errors.push(new SynthError(config.name, [err.message]));
      else throw err;
    }
  }
  if (errors.length > 0) throw new PlatformError(errors);

  const everything = selected.length === all.length && all.every((e) => selected.includes(e));
  const files = new Map(environments.flatMap((e) => [...e.files]));
  if (!everything) return { environments, output: { files, owned: environments.map((e) => e.folder) } };

  // ops/ and charts-out/ hold every environment's files, so only a full synth rewrites them.
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
  const objectsByChart = new Map(environments.map((e) => [e.environment, new Map(e.charts.map((c) => [c.chart, c.objects]))] as const));
  let charts: Map<string, string>;
  try {
    charts = helmChartFiles(configs, objectsByChart);
  } catch (err) {
    if (isConstructError(err)) throw new PlatformError([new SynthError('charts', [err.message])]);
    throw err;
  }
  for (const [path, content] of charts) files.set(path, content);
  return { environments, output: { files, owned: ['dist', ...GENERATED_ROOTS] } };
}
