import { describe, expect, it } from 'vitest';
import type { RuleGroup } from '../../src/observability/index.ts';
import { groupCoupling } from './fired-alerts.ts';

const alert = (name: string, expr: string): RuleGroup['rules'][number] => ({ alert: name, expr, labels: {}, annotations: {} });

describe('groupCoupling |', () => {
  const slo = (name: string): RuleGroup => ({
    name: `shop.slo.${name}`,
    rules: [
      { record: 'shop:error_ratio:rate5m', expr: `sum(rate(${name}_errors_total[5m])) / sum(rate(${name}_total[5m]))`, labels: { slo: name } },
      alert(`${name}Burn`, `shop:error_ratio:rate5m{slo="${name}"} > 0.1`),
    ],
  });

  it('GIVEN groups recording one name under labels of their own, each read by its own group THEN they evaluate apart', () => {
    expect(groupCoupling([slo('checkout'), slo('search')])).toEqual([]);
  });

  it('GIVEN a rule reading another group\'s recording, the alerts\' series, any series, or an alert name twice THEN each is named', () => {
    // GIVEN
    const reader: RuleGroup = {
      name: 'shop.alerts',
      rules: [
        alert('Mixed', 'shop:error_ratio:rate5m{slo=~"check.*"} > 1'),
        alert('Meta', 'count(ALERTS{alertstate="firing"}) > 3'),
        alert('Anything', 'count({job="shop"}) < 1'),
        alert('checkoutBurn', 'vector(1)'),
      ],
    };
    // WHEN
    const problems = groupCoupling([slo('checkout'), reader]);
    // THEN
    expect(problems).toEqual([
      'shop.alerts: shop:error_ratio:rate5m{slo=~"check.*"} > 1 reads shop:error_ratio:rate5m, written by shop.slo.checkout',
      'shop.alerts: count(ALERTS{alertstate="firing"}) > 3 reads ALERTS, written by shop.slo.checkout',
      'shop.alerts: count({job="shop"}) < 1 has a selector without a metric name',
      'alert checkoutBurn is in more than one group',
    ]);
  });
});
