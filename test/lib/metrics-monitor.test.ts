import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AppLabels, MetricsMonitor } from '../../src/lib/index.ts';
import { service } from '../../src/lib/_workload-parts.ts';
import { testChart } from '../_helpers.ts';

const labels = new AppLabels({ name: 'indexer', instance: 'test', component: 'indexer', partOf: 'test', version: 'v1' });
const metrics = { name: 'metrics', port: 9091, protocol: 'TCP' as const, targetPort: 9091 };

describe('MetricsMonitor |', () => {
  it('GIVEN a ServiceMonitor over a shard Service and its instance Service, both publishing the metrics port WHEN synthesized THEN it fails naming both Services', () => {
    // GIVEN
    const chart = testChart();
    const shard = labels.withSelector({ lang: 'en' });
    service(chart, 'indexer-en', shard, [metrics]);
    service(chart, 'indexer-en-0', shard.withSelector({ instance: 'indexer-en-0' }), [metrics], { id: 'Instance' });
    new MetricsMonitor(chart, 'Monitor', { workload: { name: 'indexer', labels, home: chart }, port: 'metrics' });
    // WHEN
    const synth = () => Testing.synth(chart);
    // THEN
    expect(synth).toThrow(/ServiceMonitor indexer would scrape the same pods twice, through Services indexer-en and indexer-en-0 \(both publish port "metrics"\)/);
  });

  it('GIVEN Services of disjoint shards WHEN synthesized THEN each pod is scraped once and synth passes', () => {
    const chart = testChart();
    service(chart, 'indexer-en', labels.withSelector({ lang: 'en' }), [metrics]);
    service(chart, 'indexer-de', labels.withSelector({ lang: 'de' }), [metrics], { id: 'De' });
    new MetricsMonitor(chart, 'Monitor', { workload: { name: 'indexer', labels, home: chart }, port: 'metrics' });
    expect(Testing.synth(chart).filter((o) => o.kind === 'ServiceMonitor')).toHaveLength(1);
  });
});
