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
 * following slicePlan). Within a group, a rule's results depend only on the stored series and on
 * the rules before it whose series it reads, so of each group a test loads only the rules what
 * it tests depends on (ruleSlice).
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
 * The rules of `group` that the alerts named `alerts` and the series `queried` depend on, in
 * group order: those alerts, the rules writing a series a query can select, and every rule writing
 * a series a rule of these can select, until none is left (a selector without a metric name
 * could read anything: every rule). The others write nothing these read, so they change nothing
 * of their results. Undefined when the group holds none of them.
 */
export function ruleSlice(group: RuleGroup, alerts: ReadonlySet<string>, queried: readonly Selector[] = []): RuleGroup | undefined {
  const selects = (sel: Selector, r: RuleGroup['rules'][number]): boolean => sel.metric === '' || written(r).some((w) => reads(sel, w));
  const needed = new Set(group.rules.flatMap((r, j) => (('alert' in r && alerts.has(r.alert)) || queried.some((q) => selects(q, r)) ? [j] : [])));
  if (needed.size === 0) return undefined;
  for (let grown = true; grown; ) {
    grown = false;
    for (const [j, r] of group.rules.entries()) {
      if (!needed.has(j) && [...needed].some((k) => selectors(group.rules[k]!.expr).some((sel) => selects(sel, r)))) {
        needed.add(j);
        grown = true;
      }
    }
  }
  return { ...group, rules: group.rules.filter((_, j) => needed.has(j)) };
}

/**
 * A promtool test file loading only the rules it tests (ruleSlice of each group), each group's
 * slice written into `dir` as `group-<digest>.yaml` (named by its content, so the copy's bytes are
 * those of the rules it loads, and tests loading the same slice share its file).
 */
function sliced(file: any, groups: readonly RuleGroup[], dir: string): string {
  const alerts = new Set<string>(file.tests.flatMap((t: any) => (t.alert_rule_test ?? []).map((c: any) => c.alertname)));
  const queried = file.tests.flatMap((t: any) => (t.promql_expr_test ?? []).flatMap((c: any) => selectors(c.expr))) as Selector[];
  const names = groups.flatMap((g) => {
    const slice = ruleSlice(g, alerts, queried);
    if (!slice) return [];
    const text = generatedYaml({ groups: [slice] });
    const name = `group-${createHash('sha256').update(text).digest('hex').slice(0, 16)}.yaml`;
    if (!existsSync(join(dir, name))) writeFileSync(join(dir, name), text);
    return [name];
  });
  return generatedYaml({ ...file, rule_files: names.map((n) => `../${n}`) });
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
 * that evaluate apart (groupCoupling) as a copy loading only the rules it tests (ruleSlice),
 * written with them into a new folder; any other file as it is.
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
    for (const i of tests) {
      run[i] = join(dir, 'tests', `${i}-${basename(files[i]!)}`);
      writeFileSync(run[i], sliced(docs[i], groups, dir));
    }
    const size = (i: number): number => statSync(join(cwd, files[i]!)).size;
    whole.push(tests.reduce((a, b) => (size(b) < size(a) ? b : a)));
  }
  return { run, whole: whole.sort((a, b) => a - b) };
}
