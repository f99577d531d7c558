import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { generatedYaml, unitTestFile, type ModelAlert, type ObservabilityModel, type RuleGroup } from '../../src/observability/index.ts';
import { tempDir } from '../_helpers.ts';
import { promtoolTests } from './promtool.ts';
import { reads, selectors, written, type Selector } from './rule-queries.ts';

/** An alert as Prometheus sends it: its full label set and expanded annotations, and the model's alert. */
export interface FiredAlert {
  readonly alert: ModelAlert;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Why `groups` might not evaluate apart: a rule that can read a series another group writes (a
 * recording, or the alerts' own series), a selector without a metric name (it could read
 * anything), an alert name in two groups (promtool checks alerts by name). Empty when each group
 * gives the same results whether or not the others are loaded beside it.
 */
export function groupCoupling(groups: readonly RuleGroup[]): string[] {
  const writes = groups.map((g) => g.rules.flatMap(written));
  const problems: string[] = [];
  groups.forEach((g, k) => {
    for (const r of g.rules) {
      for (const selector of selectors(r.expr)) {
        const writer = groups.findIndex((_, j) => j !== k && writes[j]!.some((w) => reads(selector, w)));
        if (selector.metric === '') problems.push(`${g.name}: ${r.expr} has a selector without a metric name`);
        else if (writer >= 0) problems.push(`${g.name}: ${r.expr} reads ${selector.metric}, written by ${groups[writer]!.name}`);
      }
    }
  });
  const alerts = groups.flatMap((g) => g.rules.flatMap((r) => ('alert' in r ? [r.alert] : [])));
  for (const a of new Set(alerts.filter((a, i) => alerts.indexOf(a) !== i))) problems.push(`alert ${a} is in more than one group`);
  return problems;
}

/**
 * A promtool test file loading only the groups it tests (the group of each alert it names, each
 * group writing a series it queries), each written beside it as `../group-<index>.yaml`; every
 * group when a query has a selector without a metric name.
 */
function onItsGroups(text: string, groups: readonly RuleGroup[]): string {
  const file = yaml.load(text) as any;
  const alerts = new Set<string>(file.tests.flatMap((t: any) => (t.alert_rule_test ?? []).map((c: any) => c.alertname)));
  const queried = file.tests.flatMap((t: any) => (t.promql_expr_test ?? []).flatMap((c: any) => selectors(c.expr))) as Selector[];
  const needed = groups.flatMap((g, k) =>
    g.rules.some((r) => 'alert' in r && alerts.has(r.alert)) || queried.some((q) => q.metric === '' || g.rules.flatMap(written).some((w) => reads(q, w))) ? [k] : [],
  );
  return generatedYaml({ ...file, rule_files: needed.map((k) => `../group-${k}.yaml`) });
}

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
  const dir = tempDir('fired-alerts');
  mkdirSync(join(dir, 'tests'));
  groups.forEach((g, k) => writeFileSync(join(dir, `group-${k}.yaml`), generatedYaml({ groups: [g] })));
  for (const [name, content] of tests) writeFileSync(join(dir, 'tests', name), onItsGroups(content, groups));
  const names = [...tests.keys()];
  const said = await promtoolTests(names, join(dir, 'tests'));
  const failed = names.flatMap((name, i) => (said[i] === undefined ? [] : [`${name}: ${said[i]}`]));
  if (failed.length > 0) throw new Error(`promtool fails on the rules deployed in ${namespace}: ${failed.join('\n')}`);
  return model.rules.alerts.map((alert) => {
    const file = yaml.load(tests.get(unitTestFile(alert.rule.alert))!) as any;
    const firing = file.tests.flatMap((t: any) => t.alert_rule_test ?? []).flatMap((c: any) => c.exp_alerts)[0];
    return { alert, labels: { alertname: alert.rule.alert, ...firing.exp_labels }, annotations: firing.exp_annotations };
  });
}
