import { ConfigError, listEnvironments, loadEnvironment, NO_OVERRIDES, type Overrides, type PlatformConfig } from '../config/index.ts';
import { GENERATED_ROOTS, renderApp, SynthError, type OutputSet, type RenderedEnvironment } from '../render/index.ts';
import { CrumpetApp } from './crumpet-app.ts';
import { helmChartFiles } from './helm-charts.ts';

/** What to synthesize. */
export interface SynthesisRequest {
  /** Environments to render. @default - every file in src/config/environments/ */
  readonly environments?: readonly string[];
  /** `-f` and `--set` overrides, applied to every selected environment. @default - none */
  readonly overrides?: Overrides;
}

export interface Synthesis {
  readonly environments: readonly RenderedEnvironment[];
  readonly output: OutputSet;
}

/** Problems in several environments at once. */
export class PlatformError extends Error {
  public constructor(public readonly errors: readonly (ConfigError | SynthError)[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'PlatformError';
  }
}

/**
 * Loads, validates and renders the selected environments. Every environment is checked before
 * any is rendered, and all problems are reported together in one PlatformError.
 */
export async function synthesizePlatform(request: SynthesisRequest = {}): Promise<Synthesis> {
  const all = listEnvironments();
  const selected = request.environments ?? all;
  const errors: (ConfigError | SynthError)[] = [];
  const configs: PlatformConfig[] = [];
  for (const env of selected) {
    try {
      configs.push(await loadEnvironment(env, request.overrides ?? NO_OVERRIDES));
    } catch (err) {
      if (err instanceof ConfigError) errors.push(err);
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
  for (const [path, content] of helmChartFiles(configs, objectsByChart)) files.set(path, content);
  return { environments, output: { files, owned: ['dist', ...GENERATED_ROOTS] } };
}
