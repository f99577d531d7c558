import yaml from 'js-yaml';
import { unitTestFile, type ModelAlert, type ObservabilityModel, type RuleGroup } from '../../src/observability/index.ts';
import { promtoolTests } from './promtool.ts';
import { groupCoupling, onItsGroups } from './rule-slices.ts';

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
 * Rule groups evaluate apart and read only the stored series, so a group that reads nothing
 * another writes gives the same results alone (groupCoupling, checked first): each test file runs
 * on the groups it tests, without evaluating every other rule at each of its steps (three times
 * faster). A test file another caller of the run had tested on the same rules is not run again
 * (promtoolTests).
 */
export async function firedAlerts(model: ObservabilityModel, groups: readonly RuleGroup[], namespace: string): Promise<FiredAlert[]> {
  const coupling = groupCoupling(groups);
  if (coupling.length > 0) throw new Error(`the rules deployed in ${namespace} do not evaluate group by group: ${coupling.join('; ')}`);
  const tests = model.rules.unitTests('../alerts.yaml', namespace);
  const names = [...tests.keys()];
  const said = await promtoolTests(names, onItsGroups(tests, groups));
  const failed = names.flatMap((name, i) => (said[i] === undefined ? [] : [`${name}: ${said[i]}`]));
  if (failed.length > 0) throw new Error(`promtool fails on the rules deployed in ${namespace}: ${failed.join('\n')}`);
  return model.rules.alerts.map((alert) => {
    const file = yaml.load(tests.get(unitTestFile(alert.rule.alert))!) as any;
    const firing = file.tests.flatMap((t: any) => t.alert_rule_test ?? []).flatMap((c: any) => c.exp_alerts)[0];
    return { alert, labels: { alertname: alert.rule.alert, ...firing.exp_labels }, annotations: firing.exp_annotations };
  });
}
