import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { generatedYaml, unitTestFile, type ModelAlert, type ObservabilityModel, type RuleGroup } from '../../src/observability/index.ts';
import { tempDir } from '../_helpers.ts';
import { promtoolTests } from './promtool.ts';
import { groupCoupling } from './rule-slices.ts';

/** An alert as Prometheus sends it: its full label set and expanded annotations, and the model's alert. */
export interface FiredAlert {
  readonly alert: ModelAlert;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Every alert of the model as Prometheus fires it from `groups` (the rules as deployed in
 * `namespace`, e.g. a PrometheusRule's), on the model's test input scraped in that namespace:
 * promtool runs the model's unit tests against those rules and must pass, so the labels and
 * annotations each firing case expects are exactly the ones Prometheus produced.
 *
 * The groups must evaluate apart (groupCoupling, checked first), so that each test file runs
 * on the groups it tests (promtoolTests, rule-slices.ts). A test file another caller of the run
 * had tested on the same rules is not run again.
 */
export async function firedAlerts(model: ObservabilityModel, groups: readonly RuleGroup[], namespace: string): Promise<FiredAlert[]> {
  const coupling = groupCoupling(groups);
  if (coupling.length > 0) throw new Error(`the rules deployed in ${namespace} do not evaluate group by group: ${coupling.join('; ')}`);
  // The alerts deployed there: an optional component's are left out where it does not run.
  const deployed = new Set(groups.flatMap((g) => g.rules.flatMap((r) => ('alert' in r ? [r.alert] : []))));
  const alerts = model.rules.alerts.filter((a) => deployed.has(a.rule.alert));
  const files = new Set(alerts.map((a) => unitTestFile(a.rule.alert)));
  const tests = new Map([...model.rules.unitTests('../alerts.yaml', namespace)].filter(([name]) => files.has(name)));
  const dir = tempDir('fired-alerts');
  mkdirSync(join(dir, 'tests'));
  writeFileSync(join(dir, 'alerts.yaml'), generatedYaml({ groups }));
  for (const [name, content] of tests) writeFileSync(join(dir, 'tests', name), content);
  const names = [...tests.keys()];
  const said = await promtoolTests(names, join(dir, 'tests'));
  const failed = names.flatMap((name, i) => (said[i] === undefined ? [] : [`${name}: ${said[i]}`]));
  if (failed.length > 0) throw new Error(`promtool fails on the rules deployed in ${namespace}: ${failed.join('\n')}`);
  return alerts.map((alert) => {
    const file = yaml.load(tests.get(unitTestFile(alert.rule.alert))!) as any;
    const firing = file.tests.flatMap((t: any) => t.alert_rule_test ?? []).flatMap((c: any) => c.exp_alerts)[0];
    return { alert, labels: { alertname: alert.rule.alert, ...firing.exp_labels }, annotations: firing.exp_annotations };
  });
}
