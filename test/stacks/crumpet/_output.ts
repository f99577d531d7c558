import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { listEnvironments, type Overrides } from '../../../src/config/index.ts';
import { CRUMPET_MODEL, CrumpetApp, loadEnvironment, UMBRELLA_CHART } from '../../../src/stacks/crumpet/index.ts';
import { renderApp } from '../../../src/render/index.ts';
import { loadManifests, type KubeObject } from '../../_analysis/index.ts';
import { PROJECT_ROOT } from '../../_helpers.ts';
import { templateChart } from '../../helm/_batch.ts';
import { HELMS } from '../../helm/_helm.ts';

/*
 * The committed output as whole-output tests read it: every environment's dist/ objects, and each
 * Helm chart rendered by the real `helm template` with an environment's values, hook pods
 * (`helm test`) included.
 */

/** Every environment of the model. */
export const ENVIRONMENTS: readonly string[] = listEnvironments(CRUMPET_MODEL.environmentsDir);

/**
 * Crumpet's component charts in charts-out/: the umbrella's dependencies (the umbrella only nests
 * them; the other stacks' charts sit beside them).
 */
export const CHARTS: readonly string[] = (
  yaml.load(readFileSync(join(PROJECT_ROOT, 'charts-out', UMBRELLA_CHART, 'Chart.yaml'), 'utf8')) as { dependencies: { name: string }[] }
).dependencies.map((d) => d.name).sort();

/** One output, named for messages: `dist/<env>` or `helm <chart> values-<env>.yaml`. */
export interface Output {
  readonly name: string;
  readonly objects: readonly KubeObject[];
}

/** Every object of `dist/<env>/`. */
export function distObjects(env: string): KubeObject[] {
  const dir = join(PROJECT_ROOT, 'dist', env);
  return readdirSync(dir).sort().flatMap((f) => loadManifests(readFileSync(join(dir, f), 'utf8')));
}

/** The objects synth renders for `env` with `overrides`, in memory (what dist/ would hold). */
export async function renderedObjects(env: string, overrides: Partial<Overrides> = {}): Promise<KubeObject[]> {
  const config = await loadEnvironment(env, { files: overrides.files ?? [], sets: overrides.sets ?? [] });
  const rendered = await renderApp(new CrumpetApp(config), env);
  return rendered.charts.flatMap((c) => c.objects) as KubeObject[];
}

/**
 * The newest Helm's `helm template` of one chart with `values-<env>.yaml` in the environment's
 * namespace, hooks included; `args` are more Helm flags. Rendered with the other Crumpet charts in
 * one Helm process where a batch can make the call (test/helm/_batch.ts), the very render the
 * chart tests compare with dist/.
 */
export async function helmObjects(chart: string, env: string, ...args: string[]): Promise<KubeObject[]> {
  const { namespace } = await loadEnvironment(env);
  const dir = join(PROJECT_ROOT, 'charts-out', chart);
  const batchWith = CHARTS.map((c) => join(PROJECT_ROOT, 'charts-out', c));
  const { stdout, stderr, code } = await templateChart(HELMS[HELMS.length - 1]!, 'crumpet', dir, ['-f', join(dir, `values-${env}.yaml`), '-n', namespace, ...args], batchWith);
  if (code !== 0) throw new Error(`helm template ${chart} values-${env}.yaml: ${stderr}`);
  return loadManifests(stdout);
}

/** dist/ of every environment, then every chart rendered with every environment's values. */
export async function everyOutput(): Promise<Output[]> {
  const helm = await Promise.all(
    ENVIRONMENTS.flatMap((env) => CHARTS.map(async (chart) => ({ name: `helm ${chart} values-${env}.yaml`, objects: await helmObjects(chart, env) }))),
  );
  return [...ENVIRONMENTS.map((env) => ({ name: `dist/${env}`, objects: distObjects(env) })), ...helm];
}
