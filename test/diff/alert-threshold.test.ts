import { describe, expect, it } from 'vitest';
import { assessRisks, diffOutputs, formatText, readCommittedOutputs } from '../../src/diff/index.ts';
import { num } from '../../src/observability/index.ts';
import { crumpetObservability } from '../../src/stacks/crumpet/index.ts';
import { PROJECT_ROOT } from '../_helpers.ts';

/*
 * A changed alert threshold is reported as that rule only, its move named (loosened or
 * tightened), and only a loosened one is a risk. The rule and its threshold come from the
 * observability model; the base is the committed rule file.
 */

const RULES = 'ops/prometheus/alerts.yaml';

describe('diff | an alert threshold changed', () => {
  const model = crumpetObservability();
  // A threshold alert of the model: `<query> > N`, firing above its threshold.
  const alert = model.rules.alerts.find((a) => !a.rule.labels['slo'] && / > [\d.]+$/.test(a.rule.expr))!;
  const threshold = Number(/ > ([\d.]+)$/.exec(alert.rule.expr)![1]);
  const base = readCommittedOutputs(PROJECT_ROOT, 'HEAD', ['ops']);

  const withThreshold = (to: number): Map<string, string> => {
    const head = new Map(base);
    const text = base.get(RULES)!;
    const line = `expr: ${alert.rule.expr}`;
    expect(text).toContain(line);
    head.set(RULES, text.replace(line, `expr: ${alert.rule.expr.replace(/ > [\d.]+$/, ` > ${num(to)}`)}`));
    return head;
  };

  it.each([
    ['raised (loosened: it fires later)', 2, 'loosened'],
    ['lowered (tightened: it fires sooner)', 0.5, 'tightened'],
  ] as const)('GIVEN the threshold %s THEN exactly that rule is reported with its move, and only loosening is a risk', (_name, factor, move) => {
    const to = threshold * factor;
    const changes = diffOutputs(base, withThreshold(to));
    expect(changes.map((c) => `${c.group} ${c.change} ${c.unit}`)).toEqual([`${RULES} changed alert:${alert.rule.alert}`]);
    const risks = assessRisks(changes);
    const text = formatText({ base: 'HEAD', changes, risks });
    expect(text).toContain(`threshold ${move}: ${threshold} → ${to}`);
    expect(risks.map((r) => r.rule)).toEqual(move === 'loosened' ? ['alert threshold loosened'] : []);
  });
});
