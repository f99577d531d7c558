import yaml from 'js-yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chartFiles, Sentinels, umbrellaChart, type Kube } from '../../src/render/helm/index.ts';
import { writtenTree } from '../_helpers.ts';
import { HELMS } from './_helm.ts';

/*
 * An umbrella part whose objects differ between environments writes each object once: one the
 * same everywhere without a condition, one some environments lack behind those that have it, so a
 * change to a shared object is one change in the template. Rendered by real Helm per environment.
 */

const ENVIRONMENTS = ['prod', 'qa', 'staging'];

/** One environment's objects: shared, per environment, in some environments, and a monitor behind the observability switch in one. */
function objectsOf(env: string, s: Sentinels): Kube[] {
  const metadata = (name: string) => ({ name, namespace: s.string('$.Release.Namespace') });
  const configMap = (name: string, data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: metadata(name), data }) as unknown as Kube;
  return [
    configMap('common', { 'app.conf': 'same everywhere\n' }),
    configMap('settings', { env }),
    ...(env !== 'qa' ? [{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: metadata('extra') } as unknown as Kube] : []),
    ...(env === 'staging'
      ? [{ apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor', metadata: metadata('app'), spec: { selector: { matchLabels: { app: 'app' } }, podMetricsEndpoints: [{ port: 'metrics' }] } } as unknown as Kube]
      : []),
    configMap('zz-last', { 'also.conf': 'same everywhere\n' }),
  ];
}

const s = new Sentinels();
const byEnv = new Map(ENVIRONMENTS.map((env) => [env, objectsOf(env, s)] as const));
const dir = writtenTree(
  'umbrella-environments',
  chartFiles(
    umbrellaChart(
      {
        name: 'shop',
        description: 'A shop',
        title: 'The shop',
        version: '1.0.0',
        appVersion: '1.0.0',
        environments: ENVIRONMENTS,
        switches: [{ key: 'observability', about: 'Observability', kinds: ['PodMonitor'] }],
        parts: [{ chart: 'app' }],
        objects: (env) => new Map([['app', byEnv.get(env)!]]),
        sentinels: s,
      },
      [],
    ),
    { partOf: 'shop', home: 'https://example.org', maintainers: [{ name: 'shop' }] },
  ),
);
const template = readFileSync(join(dir, 'templates/app.yaml'), 'utf8');
const summary = (o: Kube & { data?: Record<string, string> }): string => `${o.kind}/${o.metadata.name}${o.data ? ` ${JSON.stringify(o.data)}` : ''}`;

describe('Umbrella | objects that differ between environments', () => {
  it('GIVEN an object the same in every environment THEN the template writes it once, without an environment condition', () => {
    expect(template.match(/name: common$/gm)).toHaveLength(1);
    expect(template.match(/name: zz-last$/gm)).toHaveLength(1);
    expect(template.match(/name: settings$/gm)).toHaveLength(ENVIRONMENTS.length);
    expect(template).toContain('{{- if or (eq .Values.environment "prod") (eq .Values.environment "staging") }}');
    expect(template).toContain('{{- if and (eq .Values.environment "staging") .Values.global.observability.enabled }}');
    expect(template.indexOf('name: common')).toBeLessThan(template.indexOf('name: settings'));
    expect(template.lastIndexOf('name: settings')).toBeLessThan(template.indexOf('name: zz-last'));
  });

  describe.each(HELMS)('with $name', (h) => {
    // Helm orders what it renders by kind (its install order), so the lists compare sorted.
    it.each(ENVIRONMENTS)('GIVEN environment=%s THEN Helm renders exactly its objects', async (env) => {
      const out = await h.run('template', 'shop', dir, '-n', 'shop', '--set', `environment=${env}`);
      expect(out.code, out.stderr).toBe(0);
      const rendered = (yaml.loadAll(out.stdout) as Kube[]).filter(Boolean).map(summary);
      expect(rendered.sort()).toEqual(byEnv.get(env)!.map(summary).sort());
    });
  });
});
