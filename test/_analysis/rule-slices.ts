import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import yaml from 'js-yaml';
import { generatedYaml, type RuleGroup } from '../../src/observability/index.ts';
import { tempDir } from '../_helpers.ts';
import { reads, selectors, written, type Selector } from './rule-queries.ts';

/*
 * promtool evaluates every rule of the files a test loads at each step of the test. Rule groups
 * evaluate apart and read only the stored series, so a group that reads nothing another group
 * writes gives the same results alone (groupCoupling): a test may then load only the groups it
 * tests, which is several times faster, and gives the same outcome.
 */

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
function sliced(text: string, groups: readonly RuleGroup[]): string {
  const file = yaml.load(text) as any;
  const alerts = new Set<string>(file.tests.flatMap((t: any) => (t.alert_rule_test ?? []).map((c: any) => c.alertname)));
  const queried = file.tests.flatMap((t: any) => (t.promql_expr_test ?? []).flatMap((c: any) => selectors(c.expr))) as Selector[];
  const needed = groups.flatMap((g, k) =>
    g.rules.some((r) => 'alert' in r && alerts.has(r.alert)) || queried.some((q) => q.metric === '' || g.rules.flatMap(written).some((w) => reads(q, w))) ? [k] : [],
  );
  return generatedYaml({ ...file, rule_files: needed.map((k) => `../group-${k}.yaml`) });
}

/**
 * The promtool test files `tests` (content by name), each loading only the groups of `groups` it
 * tests, written with those groups into a new folder: returns the folder of the test files.
 * The caller proves first that the groups evaluate apart (groupCoupling).
 */
export function onItsGroups(tests: ReadonlyMap<string, string>, groups: readonly RuleGroup[]): string {
  const dir = tempDir('rule-slices');
  mkdirSync(join(dir, 'tests'));
  groups.forEach((g, k) => writeFileSync(join(dir, `group-${k}.yaml`), generatedYaml({ groups: [g] })));
  for (const [name, content] of tests) writeFileSync(join(dir, 'tests', name), sliced(content, groups));
  return join(dir, 'tests');
}

/**
 * The test files `files` of `testsDir` each on its own groups (onItsGroups), when they all load
 * one and the same rule file and its groups evaluate apart; otherwise undefined, and with it why.
 */
export function slicedTestsDir(testsDir: string, files: readonly string[]): { readonly dir?: string; readonly why?: string } {
  const texts = new Map(files.map((f) => [f, readFileSync(join(testsDir, f), 'utf8')] as const));
  const ruleFiles = new Set([...texts.values()].flatMap((t) => ((yaml.load(t) as { rule_files?: string[] }).rule_files ?? []).map((r) => resolve(testsDir, r))));
  if (ruleFiles.size !== 1) return { why: `the tests load ${ruleFiles.size} rule files, not one` };
  const [ruleFile] = ruleFiles;
  const groups = (yaml.load(readFileSync(ruleFile!, 'utf8')) as { groups: RuleGroup[] }).groups;
  const coupling = groupCoupling(groups);
  if (coupling.length > 0) return { why: `the groups of ${ruleFile} do not evaluate apart: ${coupling.join('; ')}` };
  return { dir: onItsGroups(texts, groups) };
}
