import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { KUBE_VERSION } from '../../src/render/helm/index.ts';
import { CHARTS, HELMS } from './_helm.ts';

/*
 * Each stack publishes its charts under its own name: a chart's smoke test pods are part of what
 * its other objects are part of, whichever stack wrote it (ChartMetadata of src/render/helm/).
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

/** Every chart of charts-out/ with a smoke test of its own (the umbrella's are its dependencies'), with an environment's overlay. */
const charts = readdirSync(CHARTS)
  .filter((c) => existsSync(join(CHARTS, c, 'Chart.yaml')))
  .filter((c) => existsSync(join(CHARTS, c, 'templates/tests')))
  .map((c) => [c, readdirSync(join(CHARTS, c)).filter((f) => /^values-.+\.yaml$/.test(f)).sort()[0]!] as const);
const partOf = (o: Obj): string | undefined => o.metadata?.labels?.['app.kubernetes.io/part-of'];

describe.each(HELMS)('Helm | chart metadata | $name', (h) => {
  const helm = h.run;
  it.each(charts)('GIVEN chart %s WHEN helm template renders it with %s THEN its smoke test hooks are part of what its objects are part of', async (chart, overlay) => {
    // GIVEN
    const dir = join(CHARTS, chart);
    // WHEN (for the oldest Kubernetes the charts support: the same render as the kubeVersion test's below, made once per run)
    const out = await helm('template', chart, dir, '-f', join(dir, overlay), '--kube-version', '1.28.0');
    // THEN
    expect(out.code, out.stderr).toBe(0);
    const objects = (yaml.loadAll(out.stdout) as Obj[]).filter((o) => o);
    const hooks = objects.filter((o) => o.metadata.annotations?.['helm.sh/hook'] === 'test');
    const owned = new Set(objects.filter((o) => !hooks.includes(o)).map(partOf));
    expect(owned.size, `${chart}: part-of values ${[...owned].join(', ')}`).toBe(1);
    expect(hooks.length).toBeGreaterThan(0);
    for (const h of hooks) expect(partOf(h), `${chart} ${h.kind}/${h.metadata.name}`).toBe([...owned][0]);
  });

  it.each(charts)('GIVEN chart %s THEN Chart.yaml names a home and maintainers', (chart) => {
    const meta = yaml.load(readFileSync(join(CHARTS, chart, 'Chart.yaml'), 'utf8')) as Obj;
    expect(meta.home).toMatch(/^https:\/\//);
    expect(meta.maintainers.length).toBeGreaterThan(0);
  });
});

/** Every chart of charts-out/ (the umbrella too), with an overlay of one environment, and whether it has dependencies. */
const allCharts = readdirSync(CHARTS)
  .filter((c) => existsSync(join(CHARTS, c, 'Chart.yaml')))
  .map((c) => ({ chart: c, overlay: readdirSync(join(CHARTS, c)).filter((f) => /^values-.+\.yaml$/.test(f)).sort()[0]!, meta: yaml.load(readFileSync(join(CHARTS, c, 'Chart.yaml'), 'utf8')) as Obj }));

describe('Helm | kubeVersion', () => {
  it.each(allCharts)('GIVEN chart $chart THEN Chart.yaml declares the Kubernetes versions its objects need', ({ meta }) => {
    expect(meta.kubeVersion).toBe(KUBE_VERSION);
  });
});

describe.each(HELMS)('Helm | kubeVersion | $name', (h) => {
  // The umbrella renders only with its dependencies built (umbrella-chart.test.ts); the rule is Helm's, the same for every chart.
  it.each(allCharts.filter((c) => !c.meta.dependencies))('GIVEN chart $chart THEN it renders for Kubernetes 1.28 (and an EKS build of it) and is refused for 1.27', async ({ chart, overlay }) => {
    const dir = join(CHARTS, chart);
    const render = (version: string) => h.run('template', chart, dir, '-f', join(dir, overlay), '--kube-version', version);
    expect((await render('1.28.0')).code).toBe(0);
    expect((await render('v1.28.3-eks-1234567')).code).toBe(0);
    const old = await render('1.27.9');
    expect(old.code).not.toBe(0);
    expect(old.stderr).toMatch(/kubeVersion|incompatible with Kubernetes/i);
  });
});
