import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/index.ts';
import { componentEnvironments, componentObservability, ComponentRegistry } from '../../src/lib/index.ts';
import { ObservabilityModel } from '../../src/observability/index.ts';
import { CRUMPET_COMPONENTS, CRUMPET_MODEL, CrumpetApp, crumpetObservability, loadEnvironment } from '../../src/stacks/crumpet/index.ts';
import { tempDir } from '../_helpers.ts';
import { ENVIRONMENTS } from '../stacks/crumpet/_output.ts';

/*
 * An optional component that does not run in an environment has no alerts in that environment's
 * rules: its missing-data alert would otherwise fire there for good, since nothing is meant to
 * serve its series. The plain rule file and its promtool tests keep every alert. Likewise the
 * environment deploys neither its dashboards nor its panels in the others (ops/grafana keeps them
 * all), and the runbooks give no commands about it for that environment.
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

/* eslint-disable @typescript-eslint/no-explicit-any */

describe('Dashboards of an environment | components that do not run there', () => {
  it('GIVEN a service absent THEN the dashboards about it and its panels in the others are left out, and nothing else; every panel kept keeps its id', async () => {
    const model = crumpetObservability(new CrumpetApp(await loadEnvironment('prod')).envoyEdge.routes.backendGroups);
    const all = model.dashboards;
    const panelIds = (d: (typeof all)[number]): Map<string, number> => new Map((JSON.parse(model.dashboardJson(d)).panels as any[]).map((p) => [p.title, p.id]));
    const services = [...new Set(all.flatMap((d) => [d.component, ...d.panels.map((p) => p.component)]).filter((s): s is string => s !== undefined))].sort();
    // The component dashboards, the SLO dashboards and the Edge dashboard's backend panels each name theirs.
    expect(services.length).toBeGreaterThan(2);
    for (const service of services) {
      const deployed = model.dashboardsIn(new Set([service]));
      expect(deployed.map((d) => d.uid), service).toEqual(all.filter((d) => d.component !== service).map((d) => d.uid));
      for (const d of deployed) {
        const whole = all.find((w) => w.uid === d.uid)!;
        expect(d.panels.map((p) => p.title), `${service}: ${d.uid}`).toEqual(whole.panels.filter((p) => p.component !== service).map((p) => p.title));
        const ids = panelIds(whole);
        for (const [title, id] of panelIds(d)) expect(id, `${service}: ${d.uid} "${title}"`).toBe(ids.get(title));
      }
    }
    expect(model.dashboardsIn(new Set())).toEqual(all);
  });
});

describe('Runbooks | components that do not run in an environment', () => {
  const stack = (environments: ConstructorParameters<typeof ObservabilityModel>[0]['environments']) => {
    const parts = componentObservability('crumpet', [CRUMPET_COMPONENTS.get('pin-orchestrator'), CRUMPET_COMPONENTS.get('watcher')]);
    return new ObservabilityModel({
      name: 'crumpet',
      opsRoot: 'ops',
      runbookBaseUrl: 'https://git.example.org/crumpet/blob/main',
      metrics: parts.metrics,
      alerts: parts.alerts,
      runbooks: parts.runbooks,
      workloads: ['pin-orchestrator', 'watcher'],
      ...(environments ? { environments } : {}),
    });
  };
  const sections = (md: string): string[] => [...md.matchAll(/^### (\S+) \(namespace `([^`]+)`\)$/gm)].map((m) => `${m[1]}:${m[2]}`);

  it('GIVEN pin-orchestrator not running in prod THEN its runbooks give commands for staging only, and the watcher\'s for both', () => {
    const model = stack([
      { name: 'prod', namespace: 'crumpet', absent: ['pin-orchestrator'] },
      { name: 'staging', namespace: 'crumpet-staging', absent: [] },
    ]);
    const runbooks = [...model.files()].filter(([path]) => path.startsWith('ops/runbooks/'));
    const about = (service: string) => runbooks.filter(([, md]) => md.includes(`app.kubernetes.io/name=${service}`));
    expect(about('pin-orchestrator').length).toBeGreaterThan(0);
    expect(about('watcher').length).toBeGreaterThan(0);
    for (const [path, md] of about('pin-orchestrator')) expect(sections(md), path).toEqual(['staging:crumpet-staging']);
    for (const [path, md] of about('watcher')) expect(sections(md), path).toEqual(['prod:crumpet', 'staging:crumpet-staging']);
  });

  it('GIVEN pin-orchestrator running in no environment THEN its runbooks give no commands, and the text stays', () => {
    const model = stack([
      { name: 'prod', namespace: 'crumpet', absent: ['pin-orchestrator'] },
      { name: 'staging', namespace: 'crumpet-staging', absent: ['pin-orchestrator'] },
    ]);
    const runbooks = [...model.files()].filter(([path]) => path.startsWith('ops/runbooks/'));
    const about = runbooks.filter(([, md]) => md.includes('pin_jobs_total'));
    expect(about.length).toBeGreaterThan(0);
    for (const [path, md] of about) {
      expect(md, path).not.toContain('## Commands');
      expect(md, path).toContain('## Mitigation');
    }
    for (const [path, md] of runbooks.filter(([, md]) => md.includes('app.kubernetes.io/name=watcher'))) expect(sections(md), path).toEqual(['prod:crumpet', 'staging:crumpet-staging']);
  });

  it('GIVEN the stack\'s environment files THEN each lists the optional components its model turns off, and a file that fails validation is reported when the files are read, not when the list is made', async () => {
    const list = componentEnvironments(CRUMPET_MODEL, CRUMPET_COMPONENTS);
    expect(await list.load()).toEqual([]);
    for (const e of list.list()) expect(e.absent, e.name).toEqual([...CRUMPET_COMPONENTS.notRunningIn(await loadEnvironment(e.name))].sort());
    // An environment folder with one bad file, the same components.
    const dir = tempDir('component-environments');
    writeFileSync(join(dir, 'qa.ts'), `export default { namespace: 'crumpet-qa', features: { kubo: 'yes' } };\n`);
    const bad = componentEnvironments({ ...CRUMPET_MODEL, environmentsDir: dir }, CRUMPET_COMPONENTS);
    const problems = await bad.load();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toBeInstanceOf(ConfigError);
    expect(problems[0]!.message).toMatch(/^\[qa\] config /);
    expect(() => bad.list()).toThrow(problems[0]!);
    // With no optional component, nothing is validated: every component runs everywhere.
    const fixed = componentEnvironments({ ...CRUMPET_MODEL, environmentsDir: dir }, ComponentRegistry.of(CRUMPET_COMPONENTS.components.filter((c) => c.enabled === undefined)));
    expect(await fixed.load()).toEqual([]);
    expect(fixed.list()).toEqual([{ name: 'qa', namespace: 'crumpet-qa' }]);
  });
});
