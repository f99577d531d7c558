import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { SEVERITY } from '../../src/observability/index.ts';
import { CRUMPET_COMPONENTS, crumpetObservability, loadEnvironment } from '../../src/stacks/crumpet/index.ts';
import { CLUSTER_DEFAULT_RECEIVER, operatorAlertmanagerConfig } from '../_analysis/alertmanager-operator.ts';
import { firedAlerts } from '../_analysis/fired-alerts.ts';
import { requireTool } from '../_analysis/promtool.ts';
import { tempDir } from '../_helpers.ts';
import { ENVIRONMENTS } from '../stacks/crumpet/_output.ts';
import { deployed, SECRET_VALUES } from './_deployed.ts';

/*
 * Acceptance 1 of issue 16, end to end on the committed dist/: the PrometheusRule's rules fire
 * (promtool, on the model's test input scraped in the environment's namespace) with real label
 * sets, and the Alertmanager configuration prometheus-operator generates from the
 * AlertmanagerConfig (OnNamespace) routes each to the receiver its priority asks for.
 */

function routesTo(configFile: string, labels: Readonly<Record<string, string>>): string {
  const args = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  return execFileSync('amtool', ['config', 'routes', 'test', `--config.file=${configFile}`, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

describe.each(ENVIRONMENTS)('Alert routing as deployed | %s', (env) => {
  it('GIVEN every alert as Prometheus fires it from the PrometheusRule THEN the operator-generated routing sends P1/P2 to PagerDuty, P3 to Slack and email, the Watchdog to the heartbeat', async () => {
    requireTool('amtool');
    // GIVEN
    const { namespace } = await loadEnvironment(env);
    const model = crumpetObservability();
    const routing = model.routing!;
    const { groups, alerting } = deployed(env);
    const dir = tempDir(`routing-${env}`);
    const fired = await firedAlerts(model, groups, namespace);
    const file = join(dir, 'alertmanager.yml');
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, yaml.dump(operatorAlertmanagerConfig([alerting], SECRET_VALUES)));
    expect(execFileSync('amtool', ['check-config', file], { encoding: 'utf8' })).toMatch(/SUCCESS/);
    const prefix = `${namespace}/${alerting.metadata.name}`;
    const kind = (receiver: string): string | undefined => routing.receivers.find((r) => `${prefix}/${r.name}` === receiver)?.kind;
    // WHEN
    const routed = fired.map((f) => ({ alert: f.alert.rule.alert, labels: f.labels, receiver: routesTo(file, f.labels) }));
    // THEN every alert deployed carries the namespace and reaches the receiver of its severity in
    // the model; only the alerts of components that do not run in the environment are left out.
    const absent = CRUMPET_COMPONENTS.notRunningIn(await loadEnvironment(env));
    expect(model.rules.alerts.filter((a) => !routed.some((r) => r.alert === a.rule.alert)).filter((a) => !absent.has(a.rule.labels['service'] ?? ''))).toEqual([]);
    for (const r of routed) {
      const a = model.rules.alerts.find((x) => x.rule.alert === r.alert)!;
      expect(r.labels['namespace'], r.alert).toBe(namespace);
      const priority = a.rule.labels['priority'];
      if (!priority) {
        expect(a.constant, `${r.alert} has no priority: only the Watchdog may`).toBe(true);
        expect([r.alert, kind(r.receiver)]).toEqual([r.alert, 'heartbeat']);
        continue;
      }
      const severity = a.rule.labels['severity'];
      expect(severity, r.alert).toBe(SEVERITY[priority as keyof typeof SEVERITY]);
      const expected = severity === 'critical' || severity === 'warning' ? 'pagerduty' : 'chat';
      expect([r.alert, r.receiver, kind(r.receiver)]).toEqual([r.alert, `${prefix}/${routing.routes[priority as keyof typeof routing.routes]}`, expected]);
    }
    const counts = [...new Set(routed.map((r) => r.receiver))].sort().map((rc) => `${rc}: ${routed.filter((r) => r.receiver === rc).length}`);
    console.log(`${env}: ${routed.length} alerts routed (${counts.join(', ')})`);
    // The routing test can fail: without the namespace an alert falls to the cluster's empty default.
    const { namespace: _ns, ...unscoped } = fired.find((f) => f.labels['priority'] === 'P1')!.labels;
    expect(routesTo(file, unscoped)).toBe(CLUSTER_DEFAULT_RECEIVER);
    // promtool fires every alert first, the burn-rate window tests with up to 3 days of samples.
  }, 300_000);
});
