import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { generatedYaml, type RuleGroup } from '../../src/observability/index.ts';
import { tempDir } from '../_helpers.ts';
import { groupCoupling, slicePlan } from './rule-slices.ts';

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

describe('slicePlan |', () => {
  const slo = (name: string): RuleGroup => ({
    name: `shop.slo.${name}`,
    rules: [
      { record: `shop:${name}_error_ratio:rate5m`, expr: `sum(rate(${name}_errors_total[5m])) / sum(rate(${name}_total[5m]))` },
      alert(`${name}Burn`, `shop:${name}_error_ratio:rate5m > 0.1`),
    ],
  });
  const testOf = (alertname: string, queried?: string): string =>
    generatedYaml({
      rule_files: ['../alerts.yaml'],
      tests: [{ interval: '1m', input_series: [], alert_rule_test: [{ alertname, eval_time: '1m', exp_alerts: [] }], ...(queried ? { promql_expr_test: [{ expr: queried, eval_time: '1m', exp_samples: [] }] } : {}) }],
    });
  const written = (groups: RuleGroup[], tests: Record<string, string>): string => {
    const root = tempDir('rule-slices-test');
    mkdirSync(join(root, 'tests'));
    writeFileSync(join(root, 'alerts.yaml'), generatedYaml({ groups }));
    for (const [name, text] of Object.entries(tests)) writeFileSync(join(root, 'tests', name), text);
    return join(root, 'tests');
  };
  const loads = (file: string): string[] =>
    ((yaml.load(readFileSync(file, 'utf8')) as { rule_files: string[] }).rule_files).map(
      (f) => (yaml.load(readFileSync(join(dirname(file), f), 'utf8')) as { groups: RuleGroup[] }).groups.map((g) => g.name).join(', '),
    );

  it('GIVEN groups that evaluate apart THEN each test loads the group of its alert and the groups writing what it queries, and the cheapest also runs as written', () => {
    const dir = written([slo('checkout'), slo('search')], { 'a.yaml': testOf('checkoutBurn'), 'b.yaml': testOf('searchBurn', 'shop:checkout_error_ratio:rate5m') });
    const plan = slicePlan(['a.yaml', 'b.yaml'], dir);
    expect(loads(plan.run[0]!)).toEqual(['shop.slo.checkout']);
    expect(loads(plan.run[1]!)).toEqual(['shop.slo.checkout', 'shop.slo.search']);
    expect(plan.whole).toEqual([0]);
    expect(loads(join(dir, 'a.yaml'))).toEqual(['shop.slo.checkout, shop.slo.search']);
  });

  it('GIVEN a group of several windows THEN a test loads of it only the rules what it tests reads, in group order, transitively', () => {
    const group: RuleGroup = {
      name: 'shop.slo.checkout',
      rules: [
        { record: 'shop:errors:rate5m', expr: 'sum(rate(errors_total[5m]))' },
        { record: 'shop:errors:rate1h', expr: 'sum(rate(errors_total[1h]))' },
        { record: 'shop:ratio:rate1h', expr: 'shop:errors:rate1h / 1000' },
        alert('Fast', 'shop:errors:rate5m > 1'),
        alert('Slow', 'shop:ratio:rate1h > 1'),
      ],
    };
    const rules = (file: string): string[] =>
      ((yaml.load(readFileSync(file, 'utf8')) as { rule_files: string[] }).rule_files).flatMap((f) =>
        (yaml.load(readFileSync(join(dirname(file), f), 'utf8')) as { groups: RuleGroup[] }).groups.flatMap((g) => g.rules.map((r) => ('alert' in r ? r.alert : r.record))),
      );
    const dir = written([group, slo('search')], { 'fast.yaml': testOf('Fast'), 'slow.yaml': testOf('Slow'), 'ratio.yaml': testOf('searchBurn', 'shop:ratio:rate1h') });
    const plan = slicePlan(['fast.yaml', 'slow.yaml', 'ratio.yaml'], dir);
    expect(rules(plan.run[0]!)).toEqual(['shop:errors:rate5m', 'Fast']);
    expect(rules(plan.run[1]!)).toEqual(['shop:errors:rate1h', 'shop:ratio:rate1h', 'Slow']);
    expect(rules(plan.run[2]!)).toEqual(['shop:errors:rate1h', 'shop:ratio:rate1h', 'shop:search_error_ratio:rate5m', 'searchBurn']);
  });

  it('GIVEN a group reading what another writes THEN its tests run as written', () => {
    const reader: RuleGroup = { name: 'shop.alerts', rules: [alert('Mixed', 'shop:checkout_error_ratio:rate5m > 1')] };
    const dir = written([slo('checkout'), reader], { 'a.yaml': testOf('Mixed') });
    expect(slicePlan(['a.yaml'], dir)).toEqual({ run: ['a.yaml'], whole: [] });
  });
});
