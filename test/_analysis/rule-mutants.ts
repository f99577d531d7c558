import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { BURN_RATE_WINDOWS, generatedYaml, num, unitTestFile, type AlertingRule, type ObservabilityModel, type RecordingRule, type RuleGroup } from '../../src/observability/index.ts';
import { promtoolTests } from './promtool.ts';
import { ruleSlice } from './rule-slices.ts';
import { durationSeconds } from './prometheus-duration.ts';

/*
 * Realistic mistakes in a rule set, each made in one rule: a window of a multi-window alert
 * dropped, its window pair swapped with its partner's (fast with medium, slow with gradual), a
 * threshold moved by 10%, a `for` removed, doubled or added, the namespace aggregated away, a
 * bucket bound pinned to one spelling. The promtool suite must fail on every one.
 */

type Rule = AlertingRule | RecordingRule;

/** One mistake: the rule groups with one rule changed, and the alerts whose tests can see it. */
export interface Mutant {
  readonly name: string;
  readonly group: RuleGroup;
  /** The alerts of the group the change can affect: the changed alert, or every alert reading a changed recording. */
  readonly alerts: readonly string[];
}

const COMPARISON = / ([<>]) (\d+(?:\.\d+)?)(?= and |$)/g;
const BURN = /^(.+ > \S+) and (.+ > \S+)$/;
const PINNED_BOUND = /le=~"(\d+)\(\\\\\.0\+\)\?"/g;

function ruleMutations(r: Rule): { readonly what: string; readonly rule: Rule }[] {
  const out: { what: string; rule: Rule }[] = [];
  const expr = (what: string, e: string): void => {
    if (e !== r.expr) out.push({ what, rule: { ...r, expr: e } });
  };
  if ('record' in r) {
    expr('bucket bound pinned to its integer spelling', r.expr.replace(PINNED_BOUND, 'le="$1"'));
    return out;
  }
  if (r.expr === 'vector(1)') return out;
  for (const f of [1.1, 0.9]) expr(`threshold x${f}`, r.expr.replace(COMPARISON, (_m, op: string, n: string) => ` ${op} ${num(Number(n) * f)}`));
  const burn = BURN.exec(r.expr);
  if (burn) {
    expr('long window dropped', burn[2]!);
    expr('short window dropped', burn[1]!);
    const i = BURN_RATE_WINDOWS.findIndex((w) => r.expr.includes(`:rate${w.long}{`) && r.expr.includes(`:rate${w.short}{`));
    const partner = BURN_RATE_WINDOWS[i ^ 1]!;
    const own = BURN_RATE_WINDOWS[i]!;
    expr(
      `windows of ${partner.speed} (${partner.long}/${partner.short})`,
      r.expr.replace(`:rate${own.long}{`, '@LONG@').replace(`:rate${own.short}{`, '@SHORT@').replace('@LONG@', `:rate${partner.long}{`).replace('@SHORT@', `:rate${partner.short}{`),
    );
  }
  expr('namespace aggregated away', r.expr.replace(/ by \(namespace\)/g, '').replace(/by \(namespace, /g, 'by ('));
  if (r.for) {
    const { for: _dropped, ...rest } = r;
    out.push({ what: `for ${r.for} removed`, rule: rest });
    const n = Number(r.for.slice(0, -1));
    out.push({ what: `for ${r.for} doubled`, rule: { ...r, for: `${2 * n}${r.for.slice(-1)}` as AlertingRule['for'] & string } });
  } else {
    out.push({ what: 'for 15m added', rule: { ...r, for: '15m' } });
  }
  return out;
}

/** Every mutant of the model's rules. */
export function mutants(model: ObservabilityModel): Mutant[] {
  return model.rules.groups.flatMap((g) => {
    const alerts = g.rules.filter((r): r is AlertingRule => 'alert' in r).map((r) => r.alert);
    return g.rules.flatMap((r, j) =>
      ruleMutations(r).map((m) => ({
        name: `${'alert' in r ? r.alert : r.record}: ${m.what}`,
        group: { ...g, rules: g.rules.map((x, k) => (k === j ? m.rule : x)) },
        alerts: 'alert' in r ? [r.alert] : alerts.filter((a) => g.rules.some((x) => 'alert' in x && x.alert === a && x.expr.includes(r.record))),
      })),
    );
  });
}

/* eslint-disable @typescript-eslint/no-explicit-any */

/** One test case of a promtool test file, with its file's other keys (rule files, evaluation interval). */
interface TestCase {
  readonly header: object;
  readonly test: object;
  /** The evaluations promtool runs for it: one per evaluation interval up to its last eval_time. */
  readonly evaluations: number;
}

/**
 * A promtool test file's test cases. promtool runs every case on its own storage, so a case fails
 * in a file of its own (or with any others) exactly when it fails among its file's.
 */
function testCases(text: string): TestCase[] {
  const { tests, ...header } = yaml.load(text) as { tests: any[]; evaluation_interval?: string };
  const interval = durationSeconds(header.evaluation_interval ?? '1m');
  return tests.map((test) => {
    const times = [...(test.alert_rule_test ?? []), ...(test.promql_expr_test ?? [])].map((c: any) => durationSeconds(c.eval_time ?? '0s'));
    return { header, test, evaluations: Math.max(0, ...times) / interval + 1 };
  });
}

/**
 * Runs the model's promtool tests of each mutant's alerts, each alert's against the rules of the
 * mutant's group it depends on (ruleSlice; groups share no rules: each alert reads only
 * recordings of its own group, so the other groups change nothing), and returns whether each
 * mutant failed at least one test.
 *
 * A mutant is killed by its first failing test case, so the cases run cheapest first (fewest
 * evaluations), in rounds of doubling size (one case, then two, four, ...): a round tests every
 * surviving mutant's next cases, all mutants' in one batch of promtool processes (promtoolTests),
 * and a killed mutant runs no further cases. A mutant that survives has had every case of its
 * alerts run.
 */
export async function killed(model: ObservabilityModel, list: readonly Mutant[], dir: string): Promise<boolean[]> {
  const tests = model.rules.unitTests('../alerts.yaml');
  const cost = new Map<string, number>();
  const rounds = list.map((m, i) => {
    const root = join(dir, String(i));
    mkdirSync(join(root, 'tests'), { recursive: true });
    const cases = m.alerts
      .flatMap((a, k) => {
        const slice = ruleSlice(m.group, new Set([a]))!;
        writeFileSync(join(root, `rules-${k}.yaml`), generatedYaml({ groups: [slice] }));
        return testCases(tests.get(unitTestFile(a))!).map((c) => ({ ...c, header: { ...c.header, rule_files: [`../rules-${k}.yaml`] }, rules: slice.rules.length }));
      })
      .sort((a, b) => a.evaluations - b.evaluations);
    const rounds: string[][] = [];
    for (let from = 0, size = 1; from < cases.length; from += size, size *= 2) {
      const round = cases.slice(from, from + size);
      // One file per header among the round's cases: alerts evaluate at intervals of their own.
      const byHeader = new Map<string, (typeof cases)[number][]>();
      for (const c of round) byHeader.set(JSON.stringify(c.header), [...(byHeader.get(JSON.stringify(c.header)) ?? []), c]);
      rounds.push(
        [...byHeader.values()].map((same, k) => {
          const file = join(String(i), 'tests', `round-${rounds.length}-${k}.yaml`);
          writeFileSync(join(dir, file), generatedYaml({ ...same[0]!.header, tests: same.map((c) => c.test) }));
          // What promtool evaluates: every rule of the slice at each evaluation of each case.
          cost.set(file, same.reduce((n, c) => n + c.rules * c.evaluations, 0));
          return file;
        }),
      );
    }
    return rounds;
  });
  const outcome = list.map(() => false);
  for (let r = 0; ; r++) {
    const batch = list.flatMap((_, i) => (!outcome[i] && r < rounds[i]!.length ? rounds[i]![r]!.map((file) => ({ i, file })) : []));
    if (batch.length === 0) return outcome;
    const said = await promtoolTests(
      batch.map((b) => b.file),
      dir,
      (f) => cost.get(f)!,
    );
    for (const [k, { i }] of batch.entries()) if (said[k] !== undefined) outcome[i] = true;
  }
}
