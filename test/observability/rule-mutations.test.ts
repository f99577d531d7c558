import { describe, expect, it } from 'vitest';
import { crumpetObservability } from '../../src/stacks/crumpet/index.ts';
import { killed, mutants } from '../_analysis/rule-mutants.ts';
import { tempDir } from '../_helpers.ts';

describe('Rule mutations | the promtool suite pins every alert', () => {
  const model = crumpetObservability();

  it('GIVEN every rule group unchanged THEN its alerts\' tests pass against the rules of it they depend on', async () => {
    const groups = model.rules.groups.map((g) => ({
      name: `${g.name}: unchanged`,
      group: g,
      alerts: g.rules.flatMap((r) => ('alert' in r ? [r.alert] : [])),
    }));
    expect(await killed(model, groups, tempDir('mutants-baseline'))).toEqual(groups.map(() => false));
  }, 300_000);

  it('GIVEN each realistic mistake in one rule (a window dropped or swapped, a threshold or for changed, the namespace aggregated away, a bound pinned) THEN promtool fails', async () => {
    // GIVEN
    const list = mutants(model);
    // Every multi-window alert gets both window mutants, every alert a threshold and a for mutant.
    const burn = model.rules.alerts.filter((a) => a.burn).map((a) => a.rule.alert);
    for (const a of burn) {
      for (const what of ['long window dropped', 'short window dropped', 'threshold x1.1', 'threshold x0.9', 'for 15m added']) {
        expect(list.map((m) => m.name), a).toContain(`${a}: ${what}`);
      }
    }
    // WHEN
    const outcome = await killed(model, list, tempDir('mutants'));
    // THEN
    const survivors = list.filter((_, i) => !outcome[i]).map((m) => m.name);
    console.log(`rule mutants: ${list.length}, killed: ${list.length - survivors.length}`);
    expect(survivors).toEqual([]);
  }, 600_000);
});
