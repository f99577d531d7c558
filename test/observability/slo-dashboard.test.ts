import { describe, expect, it } from 'vitest';
import { DEFAULT_SLO_WINDOW, errorRatioRecord, num, sloDashboardUid, type ObservabilityModel, type SloDefinition } from '../../src/observability/index.ts';
import { crumpetObservability, SPEC_SLOS } from '../../src/stacks/crumpet/index.ts';

/*
 * The SLO dashboards the observability model adds, one per SLO: what they show follows from the
 * SLO (objective, window) and from the burn-rate alerts the rules have for it.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = Record<string, any>;

/** The rendered dashboard of `slo` in `model`. */
function sloJson(model: ObservabilityModel, slo: string): Json {
  const d = model.dashboards.find((x) => x.uid === sloDashboardUid(model.dashboardContext.stack, slo));
  expect(d, slo).toBeDefined();
  return JSON.parse(d!.render(model.dashboardContext)) as Json;
}

const panel = (d: Json, title: string): Json => d.panels.find((p: Json) => p.title === title);
const steps = (p: Json): Json[] => p.fieldConfig.defaults.thresholds.steps;

describe('SLO dashboards |', () => {
  const model = crumpetObservability();

  it('GIVEN every SLO of the model THEN its dashboard shows the SLI and the error budget remaining over its window, against its objective', () => {
    expect(model.rules.slos.length).toBeGreaterThan(0);
    for (const slo of model.rules.slos) {
      const d = sloJson(model, slo.name);
      const window = slo.window ?? DEFAULT_SLO_WINDOW;
      const budget = num(1 - slo.objective);
      const sli = panel(d, `SLI over ${window} (objective ${num(slo.objective * 100)}%)`);
      expect(steps(sli), slo.name).toEqual([{ color: 'red', value: null }, { color: 'green', value: slo.objective }]);
      expect(steps(panel(d, 'SLI'))).toEqual(steps(sli));
      for (const title of [`Error budget remaining over ${window}`, 'Error budget remaining']) {
        const expr: string = panel(d, title).targets[0].expr;
        expect(expr, `${slo.name}/${title}`).toMatch(new RegExp(`^1 - avg_over_time\\(${errorRatioRecord('crumpet', '5m')}\\{slo="${slo.name}",[^}]*\\}\\[${window}\\]\\) / ${budget.replace('.', '\\.')}$`));
      }
      expect(d.tags).toEqual(expect.arrayContaining(['crumpet', 'slo']));
    }
  });

  it('GIVEN each SLO THEN one burn-rate panel per window of its burn-rate alerts: the long and short ratios over the budget, red from the factor the alert fires at, linking the alert runbook', () => {
    for (const slo of model.rules.slos) {
      const d = sloJson(model, slo.name);
      const alerts = model.rules.alerts.filter((a) => a.burn?.slo.name === slo.name);
      const burns = d.panels.filter((p: Json) => p.title.startsWith('Burn rate'));
      expect(burns.length, slo.name).toBe(alerts.length);
      for (const a of alerts) {
        const w = a.burn!.window;
        const p = burns.find((b: Json) => b.links.some((l: Json) => l.title === `Runbook: ${a.rule.alert}`));
        expect(p, a.rule.alert).toBeDefined();
        expect(p.links).toContainEqual({ targetBlank: true, title: `Runbook: ${a.rule.alert}`, url: a.rule.annotations['runbook_url'] });
        expect(steps(p).at(-1)).toEqual({ color: 'red', value: w.factor });
        const exprs = p.targets.map((t: Json) => t.expr);
        expect(exprs).toEqual(
          [w.long, w.short].map((window) => `${errorRatioRecord('crumpet', window)}{slo="${slo.name}",cluster=~"$cluster",namespace=~"$namespace"} / ${num(1 - slo.objective)}`),
        );
      }
    }
  });

  it('GIVEN an SLO objective changed in the model THEN its dashboard changes with it, and no other dashboard does', () => {
    const changed: SloDefinition[] = SPEC_SLOS.map((s) => (s.name === 'availability' ? { ...s, objective: 0.995 } : s));
    const other = crumpetObservability([], [], changed);
    const [before, after] = [sloJson(model, 'availability'), sloJson(other, 'availability')];
    expect(after).not.toEqual(before);
    expect(steps(panel(after, 'SLI over 30d (objective 99.5%)'))).toContainEqual({ color: 'green', value: 0.995 });
    expect(panel(after, 'Error budget remaining').targets[0].expr).toMatch(/ \/ 0\.005$/);
    for (const p of after.panels.filter((q: Json) => q.title.startsWith('Burn rate'))) for (const t of p.targets) expect(t.expr).toMatch(/ \/ 0\.005$/);
    const unchanged = (m: ObservabilityModel): string[] => m.dashboards.filter((d) => d.uid !== sloDashboardUid('crumpet', 'availability')).map((d) => d.render(m.dashboardContext));
    expect(unchanged(other)).toEqual(unchanged(model));
  });

  it('GIVEN an SLO with its own window THEN its error budget is counted over that window', () => {
    const weekly: SloDefinition[] = SPEC_SLOS.map((s) => (s.name === 'freshness' ? { ...s, window: '7d' } : s));
    const d = sloJson(crumpetObservability([], [], weekly), 'freshness');
    expect(panel(d, 'Error budget remaining over 7d').targets[0].expr).toContain('[7d]');
    expect(d.description).toContain('over 7d');
  });
});
