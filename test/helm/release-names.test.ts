import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { labelMatchers } from '../../src/observability/index.ts';
import { CHARTS, HELMS } from './_helm.ts';

/*
 * Alert rules name objects by their labels' values: `job` is a Service's name, `container`,
 * `cronjob`, `deployment`, `statefulset` the objects'. Helm prefixes a chart's objects with the
 * release's name unless `fullnameOverride` pins them, as every environment's values file does.
 * So, for every chart holding a PrometheusRule, by every Helm: installed with an environment's
 * values file under any release name, each object a rule names is one the chart renders; and
 * installed alone under another release name, a chart whose rules name its objects refuses to
 * render (templates/name-check.yaml) rather than install alerts that would misfire.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

const templatesOf = (chart: string): string[] => readdirSync(join(CHARTS, chart, 'templates'), { withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(CHARTS, chart, 'templates', e.name));
/** The charts that render alone (an umbrella needs its subcharts built: test/helm/umbrella-chart.test.ts) and hold a PrometheusRule. */
const charts = readdirSync(CHARTS).filter(
  (c) =>
    existsSync(join(CHARTS, c, 'templates')) &&
    !('dependencies' in (yaml.load(readFileSync(join(CHARTS, c, 'Chart.yaml'), 'utf8')) as object)) &&
    templatesOf(c).some((f) => readFileSync(f, 'utf8').includes('kind: PrometheusRule')),
);
const overlays = (chart: string): string[] => readdirSync(join(CHARTS, chart)).filter((f) => /^values-.+\.yaml$/.test(f));

/** The label a rule matches an object's name by, and the kinds whose names it holds. */
const NAMED_BY: Readonly<Record<string, (o: Obj) => string[]>> = {
  job: (o) => (o.kind === 'Service' ? [o.metadata.name] : []),
  cronjob: (o) => (o.kind === 'CronJob' ? [o.metadata.name] : []),
  deployment: (o) => (o.kind === 'Deployment' ? [o.metadata.name] : []),
  statefulset: (o) => (o.kind === 'StatefulSet' ? [o.metadata.name] : []),
  container: (o) => [o.spec?.template?.spec, o.spec?.jobTemplate?.spec?.template?.spec].flatMap((p) => (p?.containers ?? []).map((c: Obj) => c.name)),
};

/** Each exact matcher of a rendered rule on one of NAMED_BY's labels, as `label="value"`, and whether a rendered object bears that name. */
function resolved(objects: Obj[]): { matcher: string; found: boolean }[] {
  const names = Object.fromEntries(Object.entries(NAMED_BY).map(([label, of]) => [label, new Set(objects.flatMap(of))]));
  const exprs = objects.filter((o) => o.kind === 'PrometheusRule').flatMap((o) => o.spec.groups.flatMap((g: Obj) => g.rules.map((r: Obj) => String(r.expr))));
  return exprs.flatMap((e) =>
    labelMatchers(e)
      .filter((m) => m.op === '=' && m.label in NAMED_BY)
      .map((m) => ({ matcher: `${m.label}="${m.value}"`, found: names[m.label]!.has(m.value) })),
  );
}

describe.each(HELMS)('Helm | release names and the alert rules | $name', (h) => {
  it('GIVEN charts-out THEN the charts holding alert rules are found', () => {
    expect(charts.length).toBeGreaterThan(0);
  });

  it.each(charts.flatMap((c) => overlays(c).map((o) => [c, o] as const)))('GIVEN chart %s with %s under another release name THEN every object a rule names is rendered', async (chart, overlay) => {
    const out = await h.run('template', `other-${chart}`, join(CHARTS, chart), '-f', join(CHARTS, chart, overlay));
    expect(out.code, out.stderr).toBe(0);
    const matchers = resolved((yaml.loadAll(out.stdout) as Obj[]).filter(Boolean));
    // A chart with a name check has rules naming its objects: the check is not vacuous.
    if (existsSync(join(CHARTS, chart, 'templates', 'name-check.yaml'))) expect(matchers.length).toBeGreaterThan(0);
    expect(matchers.filter((r) => !r.found)).toEqual([]);
  });

  it.each(charts)('GIVEN chart %s alone under another release name THEN it renders rules that find their objects, or refuses, naming the fullname', async (chart) => {
    const out = await h.run('template', `other-${chart}`, join(CHARTS, chart));
    if (existsSync(join(CHARTS, chart, 'templates', 'name-check.yaml'))) {
      expect(out.code).not.toBe(0);
      expect(out.stderr).toContain(`install it with an environment's values file (fullnameOverride: ${chart}) or as release ${chart}, not with the fullname "other-${chart}"`);
    } else {
      expect(out.code, out.stderr).toBe(0);
      expect(resolved((yaml.loadAll(out.stdout) as Obj[]).filter(Boolean)).filter((r) => !r.found)).toEqual([]);
    }
  });
});
