import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests, type KubeObject } from '../_analysis/index.ts';
import { environmentPods, scrapeProblems, scrapeTargets } from '../_analysis/scrape-targets.ts';
import { PROJECT_ROOT } from '../_helpers.ts';

/*
 * Acceptance 3 of issue 16: every ServiceMonitor and PodMonitor of every stack's dist/ scrapes
 * each pod port once, computed from the selectors, ports and labels of the committed objects.
 */

/** Every folder of dist/ holding an environment's manifests (every stack's), with its objects. */
function outputs(): { readonly name: string; readonly objects: KubeObject[] }[] {
  const root = join(PROJECT_ROOT, 'dist');
  const dirs = readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.k8s.yaml'))
    .map((d) => d.parentPath);
  return [...new Set(dirs)]
    .sort()
    .map((dir) => ({
      name: relative(PROJECT_ROOT, dir),
      objects: readdirSync(dir).filter((f) => f.endsWith('.k8s.yaml')).sort().flatMap((f) => loadManifests(readFileSync(join(dir, f), 'utf8'))),
    }))
    .filter((o) => o.objects.some((x) => x.kind === 'ServiceMonitor' || x.kind === 'PodMonitor'));
}

const labels = { 'app.kubernetes.io/name': 'cin-node' };
const pod = (name: string, lang: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name, namespace: 'ns' },
  spec: { template: { metadata: { labels: { ...labels, lang, instance: name } }, spec: { containers: [{ name: 'cin', ports: [{ name: 'metrics', containerPort: 9091 }] }] } } },
});
const service = (name: string, selector: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'ns', labels },
  spec: { selector, ports: [{ name: 'metrics', port: 9091, targetPort: 9091 }] },
});

describe('Scrape targets |', () => {
  it('GIVEN a ServiceMonitor over a language Service and the per-instance Services, both publishing metrics THEN each pod is reported scraped twice, naming both Services', () => {
    const objects = [
      pod('cin-en-0', 'en'),
      service('cin-en', { ...labels, lang: 'en' }),
      service('cin-en-0', { ...labels, instance: 'cin-en-0' }),
      { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'cin', namespace: 'ns' }, spec: { selector: { matchLabels: labels }, endpoints: [{ port: 'metrics' }] } },
    ];
    expect(scrapeProblems(objects)).toEqual([
      'ns/cin-en-0-0:9091 is scraped 2 times: ServiceMonitor/cin via Service/cin-en, ServiceMonitor/cin via Service/cin-en-0',
    ]);
  });

  it('GIVEN a PodMonitor on the metrics port THEN each pod is scraped once; a monitor on a port no pod has scrapes nothing', () => {
    const monitor = (port: string): KubeObject => ({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor', metadata: { name: `cin-${port}`, namespace: 'ns' }, spec: { selector: { matchLabels: labels }, podMetricsEndpoints: [{ port }] } });
    expect(scrapeProblems([pod('cin-en-0', 'en'), pod('cin-de-0', 'de'), monitor('metrics')])).toEqual([]);
    expect(scrapeProblems([pod('cin-en-0', 'en'), monitor('stats')])).toEqual(['ns/PodMonitor/cin-stats scrapes no pod']);
  });

  it('GIVEN every stack\'s dist/ THEN every monitor scrapes each pod port exactly once', () => {
    const all = outputs();
    expect(all.map((o) => o.name)).toEqual(expect.arrayContaining(['dist/prod', 'dist/staging', 'dist/stemedb/prod', 'dist/mirror/prod']));
    for (const o of all) {
      expect(scrapeProblems(o.objects), o.name).toEqual([]);
      const monitors = o.objects.filter((x) => x.kind === 'ServiceMonitor' || x.kind === 'PodMonitor').length;
      console.log(`${o.name}: ${monitors} monitors, ${scrapeTargets(o.objects, environmentPods(o.objects)).length} pod ports scraped once each`);
    }
  });
});
