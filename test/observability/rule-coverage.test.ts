import { describe, expect, it } from 'vitest';
import yaml from 'js-yaml';
import { generatedYaml } from '../../src/observability/index.ts';
import { promtoolTests, requireTool } from '../_analysis/promtool.ts';
import { committedRuleFiles, exercised, uncoveredRules } from '../_analysis/rule-coverage.ts';
import { PROJECT_ROOT } from '../_helpers.ts';

/*
 * Acceptance 5 of issue 15, the coverage gate: every alert and every recording rule of every
 * stack's committed rule file (ops/**\/prometheus/alerts.yaml) is exercised by a promtool test
 * beside it, an alert by an alert_rule_test, a recording rule by a promql_expr_test querying its
 * series; a rule without one fails the gate, named.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */

describe('Rule coverage gate |', () => {
  it('GIVEN a rule file with an alert and a recording rule no test exercises THEN the gate names both, and only them', () => {
    // GIVEN
    const rules = generatedYaml({
      groups: [
        {
          name: 'shop.alerts',
          rules: [
            { record: 'shop:errors:rate5m', expr: 'sum(rate(errors_total[5m]))' },
            { record: 'shop:requests:rate5m', expr: 'sum(rate(requests_total[5m]))' },
            { alert: 'ErrorsHigh', expr: 'shop:errors:rate5m > 1' },
            { alert: 'RequestsLow', expr: 'shop:requests:rate5m < 1' },
          ],
        },
      ],
    });
    const test = (ruleFiles: string[]): string =>
      yaml.dump({
        rule_files: ruleFiles,
        tests: [
          {
            interval: '1m',
            input_series: [],
            alert_rule_test: [{ alertname: 'ErrorsHigh', eval_time: '5m', exp_alerts: [] }],
            promql_expr_test: [{ expr: 'round(1000 * shop:errors:rate5m)', eval_time: '5m', exp_samples: [] }],
          },
        ],
      });
    // WHEN
    const problems = uncoveredRules({
      ruleFile: 'ops/shop/prometheus/alerts.yaml',
      rules,
      // The second file covers everything, but for another rule file: it does not count.
      tests: new Map([
        ['ops/shop/prometheus/tests/errors.yaml', test(['../alerts.yaml'])],
        ['ops/shop/prometheus/tests/other.yaml', yaml.dump({ rule_files: ['../other.yaml'], tests: [{ alert_rule_test: [{ alertname: 'RequestsLow' }], promql_expr_test: [{ expr: 'shop:requests:rate5m' }] }] })],
      ]),
    });
    // THEN
    expect(problems).toEqual([
      'ops/shop/prometheus/alerts.yaml: recording rule shop:requests:rate5m (group shop.alerts) is queried by no promql_expr_test',
      'ops/shop/prometheus/alerts.yaml: alert RequestsLow (group shop.alerts) is named by no alert_rule_test',
    ]);
  });

  it('GIVEN every stack\'s committed rule file THEN every alert and recording rule is exercised by a promtool test beside it, and those tests pass', async () => {
    requireTool('promtool');
    // GIVEN
    const stacks = committedRuleFiles(PROJECT_ROOT);
    expect(stacks.map((s) => s.ruleFile)).toEqual(expect.arrayContaining(['ops/prometheus/alerts.yaml', 'ops/stemedb/prometheus/alerts.yaml', 'ops/mirror/prometheus/alerts.yaml']));
    for (const s of stacks) {
      // WHEN
      const problems = uncoveredRules(s);
      // THEN
      expect(problems, s.ruleFile).toEqual([]);
      const rules = (yaml.load(s.rules) as any).groups.flatMap((g: any) => g.rules);
      const alerts = rules.filter((r: any) => r.alert).length;
      const records = rules.filter((r: any) => r.record).length;
      const { records: queried } = exercised(s);
      // The recording rules' tests run here (the alerts' run in each stack's promtool suite).
      const recordTests = [...s.tests].filter(([, text]) => text.includes('promql_expr_test')).map(([path]) => path);
      const said = await promtoolTests(recordTests, PROJECT_ROOT);
      expect(recordTests.flatMap((path, i) => (said[i] === undefined ? [] : [`${path}: ${said[i]}`]))).toEqual([]);
      expect(rules.filter((r: any) => r.record && !queried.has(r.record))).toEqual([]);
      console.log(`${s.ruleFile}: ${alerts} alerts and ${records} recording rules, each exercised by one of ${s.tests.size} promtool test files`);
    }
  }, 120_000);
});
