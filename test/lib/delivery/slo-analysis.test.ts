import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdk8s';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { AppLabels, SloAnalysisTemplate } from '../../../src/lib/index.ts';
import { BURN_RATE_WINDOWS, num, PAGING_BURN_RATE_WINDOWS, type ObservabilityModel, type SloDefinition } from '../../../src/observability/index.ts';
import { CrumpetApp, crumpetObservability, loadEnvironment, SPEC_SLOS } from '../../../src/stacks/crumpet/index.ts';
import { requireTool } from '../../_analysis/promtool.ts';
import { tempDir, testChart } from '../../_helpers.ts';

/*
 * A rollout's analysis and the SLO alerts read the same burn rates: the analysis queries are
 * built from the rule set's burn-rate checks, the objects the alerts are built from, so an SLO
 * change moves both, and the input that fires a burn-rate alert fails the analysis.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

const labels = new AppLabels({ name: 'analysis', instance: 'test', component: 'monitoring', partOf: 'test', version: 'v1' });
const PAGING = PAGING_BURN_RATE_WINDOWS;

/** The AnalysisTemplate a model's paging burn-rate checks make. */
function templateOf(model: ObservabilityModel): Obj {
  const chart = testChart();
  new SloAnalysisTemplate(chart, 'Analysis', {
    name: 'slo',
    labels,
    prometheusAddress: 'http://prometheus:9090',
    checks: model.rules.slos.flatMap((s) => PAGING.map((w) => model.rules.burnRate(s, w))),
  });
  return Testing.synth(chart)[0] as Obj;
}

/** The Crumpet model with one of the spec's SLOs given another objective. */
function withObjective(name: string, objective: number): ObservabilityModel {
  return crumpetObservability([], [], SPEC_SLOS.map((s): SloDefinition => (s.name === name ? { ...s, objective } : s)));
}

describe('SLO analysis of rollouts |', () => {
  const model = crumpetObservability();
  const alerts = new Map(model.rules.alerts.map((a) => [a.rule.alert, a]));

  it('GIVEN the analysis template THEN each metric is a paging burn-rate alert\'s windows and limit, for every SLO', () => {
    const metrics = templateOf(model).spec.metrics as Obj[];
    expect(metrics).toHaveLength(model.rules.slos.length * PAGING.length);
    for (const slo of model.rules.slos) {
      for (const w of PAGING) {
        const check = model.rules.burnRate(slo, w);
        const alert = alerts.get(`${slo.title}ErrorBudgetBurn${w.speed}`)!;
        // The alert is built from the same check: same recorded windows, same limit.
        expect(alert.rule.expr).toBe(check.alertExpr);
        const metric = metrics.find((m) => m.name === SloAnalysisTemplate.metricName(check))!;
        expect(metric.provider.prometheus.query).toBe(check.lowerRatio);
        expect(metric.failureCondition).toBe(`len(result) == 1 && result[0] > ${num(check.limit)}`);
        expect(alert.rule.expr).toContain(`> ${num(check.limit)} and`);
      }
    }
  });

  it('GIVEN an SLO objective changed in the model THEN the analysis and the alert move together', () => {
    const slo = SPEC_SLOS[0]!;
    const changed = withObjective(slo.name, 1 - (1 - slo.objective) / 2);
    const fast = PAGING[0]!;
    const before = model.rules.burnRate(slo, fast);
    const after = changed.rules.burnRate(changed.rules.slos[0]!, fast);
    expect(after.limit).toBeCloseTo(before.limit / 2, 12);
    const metric = (templateOf(changed).spec.metrics as Obj[]).find((m) => m.name === SloAnalysisTemplate.metricName(after))!;
    expect(metric.failureCondition).toContain(`> ${num(after.limit)}`);
    expect(after.alertExpr).toContain(`> ${num(after.limit)} and`);
    expect(changed.rules.alerts.find((a) => a.rule.alert === `${slo.title}ErrorBudgetBurn${fast.speed}`)!.rule.expr).toBe(after.alertExpr);
  });

  it('GIVEN the input that fires each fast-burn alert THEN promtool shows the analysis query past its failure limit, and not on the healthy input', () => {
    requireTool('promtool');
    const dir = tempDir('slo-analysis');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'rules.yaml'), model.rules.ruleFile());
    const fast = BURN_RATE_WINDOWS.find((w) => w.speed === 'Fast')!;
    const tests = model.rules.slos.flatMap((slo) => {
      const check = model.rules.burnRate(slo, fast);
      const alert = alerts.get(`${slo.title}ErrorBudgetBurn${fast.speed}`)!;
      const fireAt = alert.warmupSeconds + 60;
      const steps = fireAt / 60 + 5;
      const failing = { expr: `${check.lowerRatio} > bool ${num(check.limit)}`, eval_time: `${fireAt / 60}m` };
      return [
        {
          name: `${slo.name}: the fast-burn alert fires and the analysis fails`,
          interval: '1m',
          input_series: alert.breaching(fireAt, steps, ''),
          alert_rule_test: [{ alertname: alert.rule.alert, eval_time: failing.eval_time, exp_alerts: [{ exp_labels: alert.rule.labels, exp_annotations: alert.rule.annotations }] }],
          promql_expr_test: [{ ...failing, exp_samples: [{ labels: `{slo="${slo.name}"}`, value: 1 }] }],
        },
        {
          name: `${slo.name}: healthy input passes the analysis`,
          interval: '1m',
          input_series: alert.healthy(fireAt, steps, ''),
          promql_expr_test: [{ ...failing, exp_samples: [{ labels: `{slo="${slo.name}"}`, value: 0 }] }],
        },
      ];
    });
    expect(tests.length).toBe(2 * model.rules.slos.length);
    writeFileSync(join(dir, 'analysis-test.yaml'), yaml.dump({ rule_files: ['rules.yaml'], evaluation_interval: '1m', tests }));
    const out = execFileSync('promtool', ['test', 'rules', 'analysis-test.yaml'], { cwd: dir, encoding: 'utf8' });
    expect(out).toMatch(/SUCCESS/);
  });

  it('GIVEN features.rollouts THEN the stateless components run canaries and the edge blue/green, each analysed by the SLO template', async () => {
    const config = await loadEnvironment('prod');
    const app = new CrumpetApp({ ...config, features: { ...config.features, rollouts: true } });
    const objects = app.charts.flatMap((c) => c.toJson() as Obj[]);
    const rollouts = objects.filter((o) => o.kind === 'Rollout');
    const templates = objects.filter((o) => o.kind === 'AnalysisTemplate');
    expect(templates.map((t) => t.metadata.name).sort()).toEqual(rollouts.map((r) => `${r.metadata.name}-slo-analysis`).sort());
    const model = crumpetObservability();
    for (const r of rollouts) {
      // Every rollout takes over its Deployment, which no longer sets replicas.
      const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === r.spec.workloadRef.name)!;
      expect(deployment.spec.replicas, r.metadata.name).toBeUndefined();
      expect(JSON.stringify(r.spec.strategy)).toContain(`"templateName":"${r.metadata.name}-slo-analysis"`);
      // Its analysis checks every SLO's paging burn rates.
      const template = templates.find((t) => t.metadata.name === `${r.metadata.name}-slo-analysis`)!;
      // Of this environment's namespace only: every environment burns its own budget.
      expect(template.spec.metrics.map((m: Obj) => m.provider.prometheus.query)).toEqual(
        model.rules.slos.flatMap((s) => PAGING.map((w) => model.rules.burnRate(s, w, config.namespace).lowerRatio)),
      );
    }
    const kinds = Object.fromEntries(rollouts.map((r) => [r.metadata.name, Object.keys(r.spec.strategy)[0]]));
    expect(kinds['envoy-edge']).toBe('blueGreen');
    const deployments = objects.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name);
    for (const d of deployments) expect(kinds[d], d).toBeDefined();
    // Autoscalers scale the rollouts.
    for (const h of objects.filter((o) => o.kind === 'HorizontalPodAutoscaler')) expect(h.spec.scaleTargetRef.kind).toBe('Rollout');
    // Prod's canary: 10, 25, 50 with the analysis after each, then promotion.
    const web = rollouts.find((r) => r.metadata.name === 'web')!;
    expect(web.spec.strategy.canary.steps.map((s: Obj) => s.setWeight ?? Object.keys(s)[0])).toEqual([10, 'analysis', 25, 'analysis', 50, 'analysis']);
  });
});
