import { describe, expect, it } from 'vitest';
import { constant, MetricsCatalogue, missingDataExpr, missingDataWatches, type AlertDefinition } from '../../src/observability/index.ts';

const alert = (name: string, query: string, priority: AlertDefinition['priority']): AlertDefinition => ({
  name,
  query,
  op: '>',
  threshold: 1,
  priority,
  service: 'queue',
  summary: 's',
  description: 'd',
  runbook: 'r',
  series: (v, _t, steps) => [constant('queue_depth', v, steps)],
});

describe('Missing-data alerts |', () => {
  const catalogue = new MetricsCatalogue([
    { name: 'queue_depth', type: 'gauge', labels: [], help: 'h', owner: 'queue' },
    { name: 'jobs_total', type: 'counter', labels: ['result'], help: 'h', owner: 'queue' },
    { name: 'cert_expiry', type: 'gauge', labels: [], help: 'h', owner: 'certs', namespaceLabel: 'exported_namespace' },
    { name: 'oom_reason', type: 'gauge', labels: [], help: 'h', owner: 'ksm', presence: 'after-event' },
  ]);

  it('GIVEN alerts reading a component\'s metrics THEN its watch takes the shortest window among them as for, and the highest priority', () => {
    const watches = missingDataWatches(
      [alert('JobsFailing', 'rate(jobs_total{result="failed"}[30m])', 'P2'), alert('JobsSlow', 'rate(jobs_total[1h])', 'P1'), alert('CertSoon', 'cert_expiry', 'P3'), alert('Oom', 'oom_reason', 'P1')],
      [],
      catalogue,
      'shop',
    );
    expect(watches.map((w) => [w.owner, w.metrics.map((m) => m.name), w.for, w.priority, w.readers])).toEqual([
      // An instant selector goes blind at once: the 5-minute lookback is the floor.
      ['certs', ['cert_expiry'], '5m', 'P3', ['CertSoon']],
      ['queue', ['jobs_total'], '30m', 'P1', ['JobsFailing', 'JobsSlow']],
    ]);
  });

  it('GIVEN a namespace THEN the expression looks for the series there and every result carries the namespace label', () => {
    const [certs, queue] = missingDataWatches([alert('CertSoon', 'cert_expiry', 'P3'), alert('Deep', 'max(queue_depth) + sum(rate(jobs_total[5m]))', 'P2')], [], catalogue, 'shop');
    expect(missingDataExpr(queue!, 'shop')).toBe('absent(jobs_total{namespace="shop"}) or absent(queue_depth{namespace="shop"})');
    expect(missingDataExpr(certs!, 'shop')).toBe('label_replace(absent(cert_expiry{exported_namespace=~"shop"}), "namespace", "shop", "", "")');
    expect(missingDataExpr(queue!)).toBe('absent(jobs_total) or absent(queue_depth)');
  });
});
