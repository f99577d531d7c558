import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import yaml from 'js-yaml';
import { selectedMetrics } from '../../src/observability/index.ts';

/*
 * The coverage gate of a Prometheus rule file: every alert must be named by an
 * `alert_rule_test` and every recording rule's series queried by a `promql_expr_test`, in a
 * promtool test file that loads that rule file. promtool runs the tests; it does not say which
 * rules none of them exercises.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */

/** A rule file and the promtool test files beside it, by path. */
export interface RuleFileTests {
  readonly ruleFile: string;
  /** The rule file's YAML. */
  readonly rules: string;
  /** Test files by path, each with its YAML. */
  readonly tests: ReadonlyMap<string, string>;
}

/** What the tests exercise: alert names and recorded series queried. */
export interface Exercised {
  readonly alerts: ReadonlySet<string>;
  readonly records: ReadonlySet<string>;
}

/** The alerts and recorded names the test files that load `ruleFile` exercise. */
export function exercised(input: RuleFileTests): Exercised {
  const alerts = new Set<string>();
  const records = new Set<string>();
  for (const [path, text] of input.tests) {
    const file = yaml.load(text) as any;
    const loads = ((file?.rule_files ?? []) as string[]).some((f) => resolve(dirname(path), f) === resolve(input.ruleFile));
    if (!loads) continue;
    for (const t of (file.tests ?? []) as any[]) {
      for (const c of (t.alert_rule_test ?? []) as any[]) alerts.add(c.alertname);
      for (const c of (t.promql_expr_test ?? []) as any[]) for (const m of selectedMetrics(c.expr)) records.add(m);
    }
  }
  return { alerts, records };
}

/** One line per rule no promtool test exercises, naming the rule file, the group and the rule: empty when every rule is covered. */
export function uncoveredRules(input: RuleFileTests): string[] {
  const { alerts, records } = exercised(input);
  const groups = ((yaml.load(input.rules) as any)?.groups ?? []) as { name: string; rules: { alert?: string; record?: string }[] }[];
  const problems: string[] = [];
  for (const g of groups) {
    for (const r of g.rules) {
      if (r.alert !== undefined && !alerts.has(r.alert)) problems.push(`${input.ruleFile}: alert ${r.alert} (group ${g.name}) is named by no alert_rule_test`);
      if (r.record !== undefined && !records.has(r.record)) problems.push(`${input.ruleFile}: recording rule ${r.record} (group ${g.name}) is queried by no promql_expr_test`);
    }
  }
  return problems;
}

/** Every stack's rule file under `root` (`ops/**\/prometheus/alerts.yaml`) with the test files in its `tests/` folder, paths relative to `root`. */
export function committedRuleFiles(root: string): RuleFileTests[] {
  const ops = join(root, 'ops');
  return readdirSync(ops, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name === 'alerts.yaml' && d.parentPath.endsWith('prometheus'))
    .map((d) => join(d.parentPath, d.name))
    .sort()
    .map((file) => {
      const testsDir = join(dirname(file), 'tests');
      const names = readdirSync(testsDir).filter((f) => f.endsWith('.yaml')).sort();
      return {
        ruleFile: relative(root, file),
        rules: readFileSync(file, 'utf8'),
        tests: new Map(names.map((n) => [relative(root, join(testsDir, n)), readFileSync(join(testsDir, n), 'utf8')])),
      };
    });
}
