import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { generatedYaml, unitTestFile, type ModelAlert, type ObservabilityModel, type RuleGroup } from '../../src/observability/index.ts';
import { requireTool } from './promtool.ts';

/** An alert as Prometheus sends it: its full label set and expanded annotations, and the model's alert. */
export interface FiredAlert {
  readonly alert: ModelAlert;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Every alert of the model as Prometheus fires it from `groups` (the rules as deployed in
 * `namespace`, e.g. a PrometheusRule's), on the model's test input scraped in that namespace:
 * promtool runs the model's unit tests against those rules and must pass, so the labels and
 * annotations each firing case expects are exactly the ones Prometheus produced.
 */
export async function firedAlerts(model: ObservabilityModel, groups: readonly RuleGroup[], namespace: string, dir: string): Promise<FiredAlert[]> {
  requireTool('promtool');
  mkdirSync(join(dir, 'tests'), { recursive: true });
  writeFileSync(join(dir, 'alerts.yaml'), generatedYaml({ groups }));
  const tests = model.rules.unitTests('../alerts.yaml', namespace);
  for (const [name, content] of tests) writeFileSync(join(dir, 'tests', name), content);
  try {
    // Awaited, not synchronous: the burn-rate tests take a minute, and the worker must keep answering vitest meanwhile.
    await promisify(execFile)('promtool', ['test', 'rules', ...tests.keys()], { cwd: join(dir, 'tests'), encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  } catch (e: any) {
    throw new Error(`promtool fails on the rules deployed in ${namespace}: ${e.stdout}${e.stderr}`);
  }
  return model.rules.alerts.map((alert) => {
    const file = yaml.load(tests.get(unitTestFile(alert.rule.alert))!) as any;
    const firing = file.tests.flatMap((t: any) => t.alert_rule_test ?? []).flatMap((c: any) => c.exp_alerts)[0];
    return { alert, labels: { alertname: alert.rule.alert, ...firing.exp_labels }, annotations: firing.exp_annotations };
  });
}
