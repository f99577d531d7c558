import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BURN_RATE_WINDOWS, generatedYaml, num, unitTestFile, type AlertingRule, type ObservabilityModel, type RecordingRule, type RuleGroup } from '../../src/observability/index.ts';
import { requireTool } from './promtool.ts';

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

const run = promisify(execFile);

/**
 * Runs the model's promtool tests of each mutant's alerts against its rule group alone (groups
 * share no rules: each alert reads only recordings of its own group, so the other groups change
 * nothing), at most one promtool per CPU. Returns whether each mutant failed at least one test.
 */
export async function killed(model: ObservabilityModel, list: readonly Mutant[], dir: string): Promise<boolean[]> {
  requireTool('promtool');
  const tests = model.rules.unitTests('../alerts.yaml');
  const outcome: boolean[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < list.length) {
      const i = next++;
      const m = list[i]!;
      const root = join(dir, String(i));
      mkdirSync(join(root, 'tests'), { recursive: true });
      writeFileSync(join(root, 'alerts.yaml'), generatedYaml({ groups: [m.group] }));
      const files = m.alerts.map((a) => unitTestFile(a));
      for (const f of files) writeFileSync(join(root, 'tests', f), tests.get(f)!);
      outcome[i] = await run('promtool', ['test', 'rules', ...files], { cwd: join(root, 'tests') }).then(
        () => false,
        () => true,
      );
    }
  };
  await Promise.all(Array.from({ length: availableParallelism() }, () => worker()));
  return outcome;
}
