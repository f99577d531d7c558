import { describe, expect, it } from 'vitest';
import { ObservabilityModel } from '../../src/observability/index.ts';
import { SPEC_SLOS } from '../../src/stacks/crumpet/index.ts';

describe('ObservabilityModel |', () => {
  it('GIVEN SLOs without the text of their burn-rate runbooks WHEN the model is built THEN it throws naming the model and the SLOs', () => {
    // GIVEN
    const props = { name: 'shop', opsRoot: 'ops/shop', runbookBaseUrl: 'https://git.example.org/shop/blob/main', metrics: [], alerts: [], runbooks: [], slos: SPEC_SLOS.slice(0, 2) };
    // WHEN
    const build = () => new ObservabilityModel(props);
    // THEN
    expect(build).toThrow('observability model shop: burnRateRunbooks must be given with slos (availability, read-latency), got none');
  });
});
