import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import yaml from 'js-yaml';
import { generatedYaml, type RuleGroup } from '../../src/observability/index.ts';
import { tempDir } from '../_helpers.ts';
import { reads, selectors, written, type Selector } from './rule-queries.ts';

/*
 * promtool evaluates every rule of the files a test loads at each step of the test. Rule groups
 * evaluate apart and read only the stored series, so a group that reads nothing another group
 * writes gives the same results alone (groupCoupling): a test may then load only the groups it
 * tests, which is several times faster, and gives the same outcome (promtoolTests runs tests so,
 * following slicePlan).
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
 * group writing a series it queries), each written beside it as `../group-<digest>.yaml` (named
 * by its content, so the copy's bytes are those of the groups it loads); every group when a query
 * has a selector without a metric name.
 */
function sliced(file: any, groups: readonly RuleGroup[], names: readonly string[]): string {
  const alerts = new Set<string>(file.tests.flatMap((t: any) => (t.alert_rule_test ?? []).map((c: any) => c.alertname)));
  const queried = file.tests.flatMap((t: any) => (t.promql_expr_test ?? []).flatMap((c: any) => selectors(c.expr))) as Selector[];
  const writes = groups.map((g) => g.rules.flatMap(written));
  const needed = groups.flatMap((g, k) =>
    g.rules.some((r) => 'alert' in r && alerts.has(r.alert)) || queried.some((q) => q.metric === '' || writes[k]!.some((w) => reads(q, w))) ? [k] : [],
  );
  return generatedYaml({ ...file, rule_files: needed.map((k) => `../${names[k]}`) });
}

/** How promtoolTests runs a list of test files: the path each one runs from, and which of them also run as written. */
export interface SlicePlan {
  /** Per file, the test to run: its copy on its own groups, or the file itself. */
  readonly run: readonly string[];
  /** The files that also run as written: per rule file whose tests were sliced, its cheapest test, which proves it loads whole. */
  readonly whole: readonly number[];
}

/**
 * The test files `files` (relative to `cwd`), each that loads one rule file of several groups
 * that evaluate apart (groupCoupling) as a copy loading only the groups it tests, written with
 * those groups into a new folder; any other file as it is.
 */
export function slicePlan(files: readonly string[], cwd: string): SlicePlan {
  const run = [...files];
  const whole: number[] = [];
  const byRuleFile = new Map<string, number[]>();
  const docs = files.map((f) => yaml.load(readFileSync(join(cwd, f), 'utf8')) as any);
  files.forEach((f, i) => {
    const ruleFiles: string[] = docs[i].rule_files ?? [];
    if (ruleFiles.length !== 1) return;
    const ruleFile = resolve(dirname(join(cwd, f)), ruleFiles[0]!);
    byRuleFile.set(ruleFile, [...(byRuleFile.get(ruleFile) ?? []), i]);
  });
  for (const [ruleFile, tests] of byRuleFile) {
    if (!existsSync(ruleFile)) continue;
    const groups = (yaml.load(readFileSync(ruleFile, 'utf8')) as { groups?: RuleGroup[] } | undefined)?.groups ?? [];
    if (groups.length < 2 || groupCoupling(groups).length > 0) continue;
    const dir = tempDir('rule-slices');
    mkdirSync(join(dir, 'tests'));
    const texts = groups.map((g) => generatedYaml({ groups: [g] }));
    const names = texts.map((t) => `group-${createHash('sha256').update(t).digest('hex').slice(0, 16)}.yaml`);
    texts.forEach((t, k) => writeFileSync(join(dir, names[k]!), t));
    for (const i of tests) {
      run[i] = join(dir, 'tests', `${i}-${basename(files[i]!)}`);
      writeFileSync(run[i], sliced(docs[i], groups, names));
    }
    const size = (i: number): number => statSync(join(cwd, files[i]!)).size;
    whole.push(tests.reduce((a, b) => (size(b) < size(a) ? b : a)));
  }
  return { run, whole: whole.sort((a, b) => a - b) };
}
