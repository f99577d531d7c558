import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MetricDefinition } from '../../src/observability/index.ts';
import { tempDir } from '../_helpers.ts';
import type { ScrapeTarget } from './scrape-targets.ts';
import { writeSyntheticSeries, type SyntheticSeriesInput } from './synthetic-series.ts';

const TARGET: ScrapeTarget = {
  labels: { job: 'shop/api', namespace: 'shop', pod: 'api-0', container: 'api', endpoint: 'metrics', instance: '10.0.0.2:9090' },
  interval: 30,
  component: 'api',
  honorLabels: false,
  monitor: 'PodMonitor/api',
};

const METRICS: MetricDefinition[] = [
  { name: 'jobs_total', type: 'counter', labels: ['result'], help: 'Jobs by result (success, timeout).', owner: 'api' },
  { name: 'request_latency_ms', type: 'histogram', labels: ['namespace'], help: 'Latency.', owner: 'api' },
  { name: 'kubelet_volume_stats_used_bytes', type: 'gauge', labels: ['namespace', 'persistentvolumeclaim'], help: 'Used.', owner: 'kubelet' },
  { name: 'up', type: 'gauge', labels: [], help: 'Scrape succeeded.', owner: 'prometheus' },
];

function generate(overrides: Partial<SyntheticSeriesInput> = {}): { lines: { name: string; labels: string; value: number; t: number }[]; text: string } {
  const file = join(tempDir('openmetrics'), 'series.om');
  writeSyntheticSeries(
    {
      metrics: METRICS,
      targets: [TARGET],
      components: new Set(['api']),
      exporterNamespace: 'monitoring',
      relations: new Map([['namespace', [{ namespace: 'shop' }]], ['persistentvolumeclaim', [{ persistentvolumeclaim: 'data-api-0' }]]]),
      selected: new Map(),
      start: 1_000_000 - 3600,
      end: 1_000_000,
      ...overrides,
    },
    file,
  );
  const text = readFileSync(file, 'utf8');
  const lines = text
    .trim()
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .map((l) => {
      const m = /^(\w+)\{(.*)\} (\S+) (\d+)$/.exec(l)!;
      return { name: m[1]!, labels: m[2]!, value: Number(m[3]), t: Number(m[4]) };
    });
  return { lines, text };
}

const bySeries = (lines: ReturnType<typeof generate>['lines']): Map<string, number[]> => {
  const out = new Map<string, number[]>();
  for (const l of lines) out.set(`${l.name}{${l.labels}}`, [...(out.get(`${l.name}{${l.labels}}`) ?? []), l.value]);
  return out;
};

describe('writeSyntheticSeries |', () => {
  const { lines, text } = generate();
  const series = bySeries(lines);

  it('GIVEN a window THEN the file ends with # EOF and every series has a sample at each scrape, the last at the end', () => {
    expect(text.endsWith('# EOF\n')).toBe(true);
    for (const values of series.values()) expect(values).toHaveLength(121);
    expect(Math.max(...lines.map((l) => l.t))).toBe(1_000_000);
  });

  it('GIVEN a counter THEN it never decreases and takes the values its help lists, the target labels added', () => {
    const counters = [...series].filter(([k]) => k.startsWith('jobs_total'));
    expect(counters.map(([k]) => k)).toEqual([
      'jobs_total{container="api",endpoint="metrics",instance="10.0.0.2:9090",job="shop/api",namespace="shop",pod="api-0",result="success"}',
      'jobs_total{container="api",endpoint="metrics",instance="10.0.0.2:9090",job="shop/api",namespace="shop",pod="api-0",result="timeout"}',
    ]);
    for (const [, v] of counters) {
      expect(v.every((x, i) => i === 0 || x >= v[i - 1]!)).toBe(true);
      expect(v.at(-1)!).toBeGreaterThan(v[0]!);
    }
  });

  it('GIVEN a histogram THEN its buckets are cumulative, +Inf equals _count, and a label the target also sets is exported_', () => {
    const at = (le: string): number[] => series.get(`request_latency_ms_bucket{container="api",endpoint="metrics",exported_namespace="shop",instance="10.0.0.2:9090",job="shop/api",le="${le}",namespace="shop",pod="api-0"}`)!;
    const les = [...series.keys()].filter((k) => k.startsWith('request_latency_ms_bucket')).map((k) => /le="([^"]+)"/.exec(k)![1]!);
    const ordered = les.filter((l) => l !== '+Inf').map(Number).sort((a, b) => a - b).map(String);
    for (let i = 0; i < 121; i++) {
      const column = [...ordered, '+Inf'].map((le) => at(le)[i]!);
      expect(column.every((x, j) => j === 0 || x >= column[j - 1]!)).toBe(true);
    }
    expect(at('+Inf')).toEqual(series.get('request_latency_ms_count{container="api",endpoint="metrics",exported_namespace="shop",instance="10.0.0.2:9090",job="shop/api",namespace="shop",pod="api-0"}'));
  });

  it('GIVEN an exporter outside the stack THEN its own labels win (honorLabels) and take the values of the environment objects', () => {
    expect([...series.keys()].filter((k) => k.startsWith('kubelet_'))).toEqual([
      'kubelet_volume_stats_used_bytes{container="kubelet",endpoint="http-metrics",instance="kubelet.monitoring.svc:8080",job="kubelet",namespace="shop",persistentvolumeclaim="data-api-0",pod="kubelet-0",service="kubelet"}',
    ]);
  });

  it('GIVEN the scraper owner THEN one up series per target, at 1', () => {
    const up = [...series].filter(([k]) => k.startsWith('up{'));
    expect(up.map(([k]) => k)).toEqual(['up{container="api",endpoint="metrics",instance="10.0.0.2:9090",job="shop/api",namespace="shop",pod="api-0"}']);
    expect(new Set(up[0]![1])).toEqual(new Set([1]));
  });

  it('GIVEN the same input twice THEN the same file', () => {
    expect(generate().text).toBe(text);
  });
});
