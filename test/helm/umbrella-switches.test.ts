import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { chartFiles, Sentinels, umbrellaChart, type Kube } from '../../src/render/helm/index.ts';
import { writtenTree } from '../_helpers.ts';
import { HELMS } from './_helm.ts';

/*
 * An umbrella switch that names kinds turns those objects off in every part, not only in its
 * own: a component without a chart of its own is a part of the umbrella, and its monitor goes
 * with the observability switch as a component chart's monitor does. Rendered by real Helm.
 */

/** The objects of one environment: a platform part behind the switch, and a component (no chart of its own) with its monitor. */
function objects(s: Sentinels): Map<string, Kube[]> {
  const metadata = (name: string) => ({ name, namespace: s.string('$.Release.Namespace') });
  return new Map<string, Kube[]>([
    ['monitoring', [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: metadata('rules'), data: { 'rules.yaml': 'groups: []\n' } } as unknown as Kube]],
    [
      'mailer',
      [
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: metadata('mailer') } as unknown as Kube,
        { apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor', metadata: metadata('mailer'), spec: { selector: { matchLabels: { app: 'mailer' } }, podMetricsEndpoints: [{ port: 'metrics' }] } } as unknown as Kube,
      ],
    ],
  ]);
}

function writeUmbrella(kinds: readonly string[] | undefined): string {
  const s = new Sentinels();
  const byEnv = objects(s);
  const chart = umbrellaChart(
    {
      name: 'shop',
      description: 'A shop',
      title: 'The shop',
      version: '1.0.0',
      appVersion: '1.0.0',
      environments: ['prod'],
      switches: [{ key: 'observability', about: 'Observability', ...(kinds ? { kinds } : {}) }],
      parts: [{ chart: 'monitoring', switch: 'observability' }, { chart: 'mailer' }],
      objects: () => byEnv,
      sentinels: s,
    },
    [],
  );
  return writtenTree('umbrella-switch', chartFiles(chart, { partOf: 'shop', home: 'https://example.org', maintainers: [{ name: 'shop' }] }));
}

describe.each(HELMS)('Umbrella switches with $name |', (h) => {
  const rendered = async (dir: string, on: boolean): Promise<string[]> => {
    const out = await h.run('template', 'shop', dir, '-n', 'shop', '--set', `global.observability.enabled=${on}`);
    expect(out.code, out.stderr).toBe(0);
    return (yaml.loadAll(out.stdout) as Kube[]).filter(Boolean).map((o) => `${o.kind}/${(o as { metadata: { name: string } }).metadata.name}`).sort();
  };

  it('GIVEN a switch naming the monitor kinds WHEN it is off THEN its own part and the monitor of a component without a chart are gone, the rest stays', async () => {
    const dir = writeUmbrella(['ServiceMonitor', 'PodMonitor']);
    expect(await rendered(dir, true)).toEqual(['ConfigMap/rules', 'PodMonitor/mailer', 'ServiceAccount/mailer']);
    expect(await rendered(dir, false)).toEqual(['ServiceAccount/mailer']);
  });

  it('GIVEN a switch naming no kinds WHEN it is off THEN only its own part is gone', async () => {
    const dir = writeUmbrella(undefined);
    expect(await rendered(dir, false)).toEqual(['PodMonitor/mailer', 'ServiceAccount/mailer']);
  });
});
