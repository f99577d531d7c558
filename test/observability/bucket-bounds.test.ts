import { describe, expect, it } from 'vitest';
import { bucketMatcher, checkPromql, MetricsCatalogue, type MetricDefinition } from '../../src/observability/index.ts';
import { CRUMPET_COMPONENTS } from '../../src/stacks/crumpet/index.ts';

/*
 * A histogram bucket selected at a bound its exporter does not have returns no series, and the SLO
 * or alert reading it goes silent: synth refuses such a query, whatever way it spells the bound.
 */

const histogram = (name: string, buckets?: number[]): MetricDefinition => ({
  name,
  type: 'histogram',
  labels: [],
  help: '',
  owner: CRUMPET_COMPONENTS.components[0]!.name as MetricDefinition['owner'],
  ...(buckets ? { buckets } : {}),
});
const catalogue = new MetricsCatalogue([histogram('latency_ms', [100, 400]), histogram('fraction_seconds', [0.4]), histogram('undeclared')]);

describe('PromQL | bucket bounds', () => {
  it.each([
    ['the model’s matcher of a declared integer bound', `rate(latency_ms_bucket{${bucketMatcher(400)}}[5m])`],
    ['the model’s matcher of a declared fractional bound', `rate(fraction_seconds_bucket{${bucketMatcher(0.4)}}[5m])`],
    ['an exact declared bound', 'latency_ms_bucket{le="400"}'],
    ['its float spelling', 'latency_ms_bucket{le="400.0"}'],
    ['+Inf', 'latency_ms_bucket{le="+Inf"}'],
    ['no le at all', 'histogram_quantile(0.9, sum by (le) (rate(undeclared_bucket[5m])))'],
  ])('GIVEN %s THEN the query is accepted', (_, query) => {
    expect(checkPromql(query, catalogue)).toEqual([]);
  });

  it.each([
    ['a bound the histogram does not declare', `rate(latency_ms_bucket{${bucketMatcher(300)}}[5m])`, /le 300, not a bucket "latency_ms" declares \(100, 400\)/],
    ['an exact undeclared bound', 'latency_ms_bucket{le="250"}', /le 250/],
    ['a bound of a histogram that declares none', 'undeclared_bucket{le="1"}', /le 1, not a bucket "undeclared" declares \(none declared\)/],
  ])('GIVEN %s THEN the query is refused, naming the bound and the declared buckets', (_, query, message) => {
    const problems = checkPromql(query, catalogue);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });
});
