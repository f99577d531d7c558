import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { Quantity } from '../../src/lib/values/quantity.ts';
import { valueChecksTemplate, withoutObjectFormats } from '../../src/render/helm/value-checks.ts';
import { CHARTS, HELMS } from './_helm.ts';

/*
 * What the model refuses between two values, which a values.schema.json cannot say, as every
 * chart carries it (src/render/helm/value-checks.ts), by every real Helm: a limit below its
 * request, which the API server would refuse at install, stops `helm template` naming both
 * values; a limit equal to its request, written in another unit, renders. The constrained values
 * are found in each chart's values.yaml (every object with `requests` and `limits`), not read
 * from the check templates.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

/** Every object of `values` shaped as a container's resources, by dotted path. */
function resourcePaths(values: Obj, path: string[] = []): { path: string; resources: Obj }[] {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return [];
  const own = typeof values['requests'] === 'object' && typeof values['limits'] === 'object' ? [{ path: path.join('.'), resources: values }] : [];
  return [...own, ...Object.entries(values).flatMap(([k, v]) => resourcePaths(v as Obj, [...path, k]))];
}

/** `text` as the same quantity in another unit: cores as millicores and back, bytes as a plain number. */
function respelled(resource: string, text: string): string {
  if (resource !== 'cpu') return String(Quantity.parse(text).value);
  return text.endsWith('m') ? String(Quantity.parse(text).value) : `${Math.round(Quantity.parse(text).value * 1000)}m`;
}

/** Half of `text`, in the unit respelled writes: a quantity below it. */
function halved(resource: string, text: string): string {
  const value = Quantity.parse(text).value / 2;
  return resource === 'cpu' ? `${Math.floor(value * 1000)}m` : String(Math.floor(value));
}

const charts = readdirSync(CHARTS)
  .filter((c) => existsSync(join(CHARTS, c, 'Chart.yaml')))
  .map((c) => ({ chart: c, paths: resourcePaths(yaml.load(readFileSync(join(CHARTS, c, 'values.yaml'), 'utf8')) as Obj) }))
  .filter((c) => c.paths.length > 0);

describe.each(HELMS)('Helm | value checks | $name', (h) => {
  it('GIVEN charts-out THEN the charts with resources values are found', () => {
    expect(charts.length).toBeGreaterThan(0);
  });

  it.each(charts)('GIVEN chart $chart WHEN a limit is below its request THEN Helm refuses it naming both values', async ({ chart, paths }) => {
    // CPU on the first value, memory on the others (cin-node's sidecars): both parsers are exercised.
    for (const [i, { path, resources }] of paths.entries()) {
      const resource = i === 0 && resources['limits'].cpu !== undefined ? 'cpu' : 'memory';
      const request = String(resources['requests'][resource]);
      const lowered = halved(resource, request);
      const out = await h.run('template', chart, join(CHARTS, chart), '--set-string', `${path}.limits.${resource}=${lowered}`);
      expect(out.code, `${path}: ${out.stdout}`).not.toBe(0);
      expect(out.stderr).toContain(`${path}.limits.${resource} (${lowered}) is below ${path}.requests.${resource} (${request}): the API server refuses a limit below its request`);
    }
  });

  it.each(charts)('GIVEN chart $chart WHEN every limit equals its request in another unit THEN Helm renders them', async ({ chart, paths }) => {
    const sets = paths.flatMap(({ path, resources }) =>
      Object.keys(resources['limits']).map((resource) => `${path}.limits.${resource}=${respelled(resource, String(resources['requests'][resource]))}`),
    );
    const out = await h.run('template', chart, join(CHARTS, chart), ...sets.flatMap((s) => ['--set-string', s]));
    expect(out.code, out.stderr).toBe(0);
    const limits = (yaml.loadAll(out.stdout) as Obj[])
      .filter((o) => o?.spec?.template?.spec)
      .flatMap((o) => [...o.spec.template.spec.containers, ...(o.spec.template.spec.initContainers ?? [])])
      .flatMap((c: Obj) => Object.values(c.resources?.limits ?? {}));
    for (const s of sets) expect(limits, s).toContain(s.split('=')[1]);
  });
});

describe('Helm | value checks | from the values schema', () => {
  const resources = { type: 'object', objectFormat: 'resource-requirements', properties: { limits: { type: 'object' } } };

  it('GIVEN object formats at any depth of properties THEN each is a check by its dotted path, and the schema loses the keyword', () => {
    const { schema, checks } = withoutObjectFormats({ type: 'object', properties: { resources, sidecars: { type: 'object', properties: { 'log-shipper': { type: 'object', properties: { resources } } } } } });
    expect(checks).toEqual([
      { path: 'resources', format: 'resource-requirements' },
      { path: 'sidecars.log-shipper.resources', format: 'resource-requirements' },
    ]);
    expect(JSON.stringify(schema)).not.toContain('objectFormat');
    // A key that is no Go identifier is reached with index.
    expect(valueChecksTemplate('x', checks)).toBe(
      ['{{- include "x.resource-requirements" (list "resources" $.Values.resources) }}', '{{- include "x.resource-requirements" (list "sidecars.log-shipper.resources" (index $.Values "sidecars" "log-shipper" "resources")) }}'].join('\n'),
    );
  });

  it.each([
    ['a list\'s items', { type: 'object', properties: { jobs: { type: 'array', items: resources } } }],
    ['a map\'s values', { type: 'object', properties: { jobs: { type: 'object', additionalProperties: resources } } }],
  ])('GIVEN an object format under %s THEN the chart is refused rather than left unchecked', (_, schema) => {
    expect(() => withoutObjectFormats(schema)).toThrow(/objectFormat "resource-requirements" below a list or map is not checked in charts/);
  });

  it('GIVEN a format the charts have no check for THEN the chart is refused naming it', () => {
    expect(() => valueChecksTemplate('x', [{ path: 'a', format: 'cron-window' }])).toThrow('chart x: objectFormat "cron-window" of a has no check in src/render/helm/value-checks.ts');
  });
});
