import { describe, expect, it } from 'vitest';
import { CRUMPET_COMPONENTS, crumpetObservability, loadEnvironment } from '../../src/stacks/crumpet/index.ts';
import { ENVIRONMENTS } from '../stacks/crumpet/_output.ts';

/*
 * An optional component that does not run in an environment has no alerts in that environment's
 * rules: its missing-data alert would otherwise fire there for good, since nothing is meant to
 * serve its series. The plain rule file and its promtool tests keep every alert.
 */

const model = crumpetObservability();
const alertsOf = (groups: ReturnType<typeof model.rules.groupsIn>): { alert: string; service: string }[] =>
  groups.flatMap((g) => g.rules.flatMap((r) => ('alert' in r ? [{ alert: r.alert, service: r.labels?.['service'] ?? '' }] : [])));

describe('Rules of an environment | components that do not run there', () => {
  it.each(ENVIRONMENTS)('GIVEN %s THEN the components not running are exactly the optional ones its model turns off', async (env) => {
    const config = await loadEnvironment(env);
    const off = CRUMPET_COMPONENTS.components.filter((c) => c.enabled !== undefined && !c.enabled(config)).map((c) => c.name);
    expect([...CRUMPET_COMPONENTS.notRunningIn(config)].sort()).toEqual(off.sort());
  });

  it('GIVEN a service absent THEN every alert of it, and each of its SLOs with its recordings and burn-rate alerts, is left out and nothing else', () => {
    const all = alertsOf(model.rules.groupsIn('crumpet'));
    const slo = model.rules.slos[0]!;
    for (const service of [...new Set(all.map((a) => a.service))].filter((s) => s !== '')) {
      const groups = model.rules.groupsIn('crumpet', new Set([service]));
      const kept = alertsOf(groups);
      expect(kept.filter((a) => a.service === service), service).toEqual([]);
      expect(kept, service).toEqual(all.filter((a) => a.service !== service));
    }
    const withoutSlo = model.rules.groupsIn('crumpet', new Set([slo.service]));
    expect(withoutSlo.map((g) => g.name)).not.toContain(`crumpet.slo.${slo.name}`);
    expect(model.rules.groupsIn('crumpet').map((g) => g.name)).toContain(`crumpet.slo.${slo.name}`);
  });
});
