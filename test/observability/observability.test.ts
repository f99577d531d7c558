import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { CRUMPET_COMPONENTS, CrumpetApp, crumpetObservability, loadEnvironment, SPEC_ALERTS } from '../../src/stacks/crumpet/index.ts';
import { bucketMatcher, checkPromql } from '../../src/observability/index.ts';
import { renderApp, type KubeObject } from '../../src/render/index.ts';
import { PLATFORM_FILES_URL } from '../../src/stacks/repository.ts';
import { promtoolFailures, requireTool } from '../_analysis/promtool.ts';
import { writtenTree } from '../_helpers.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = KubeObject & Record<string, any>;


/** The model's ops/ files written to a fresh folder. */
function writeOps(): string {
  return writtenTree('crumpet-ops', crumpetObservability().files());
}

async function objects(env: string, sets: string[] = []): Promise<Obj[]> {
  const rendered = await renderApp(new CrumpetApp(await loadEnvironment(env, { files: [], sets })), env);
  return rendered.charts.flatMap((c) => c.objects) as Obj[];
}

describe('Observability | PromQL and the catalogue', () => {
  const catalogue = crumpetObservability().catalogue;

  it('GIVEN catalogued metrics, histogram series and bad input THEN only the good parse clean', () => {
    expect(checkPromql('sum(rate(cin_query_latency_ms_bucket[$__rate_interval])) by (le)', catalogue)).toEqual([]);
    expect(checkPromql('snapshot_ag_seconds > 1800', catalogue)).toEqual(['unknown metric "snapshot_ag_seconds"']);
    expect(checkPromql('cin_query_latency_ms > 1', catalogue)).toEqual(['unknown metric "cin_query_latency_ms"']);
    expect(checkPromql('rate(pin_jobs_total[5m]', catalogue)[0]).toMatch(/^does not parse at offset/);
  });

  it('GIVEN an alert on an uncatalogued metric WHEN synthesized THEN synth fails naming environment, construct and alert', async () => {
    const app = new CrumpetApp(await loadEnvironment('prod', { files: [], sets: [] }));
    app.monitoring.model.rules.addAlert({ ...SPEC_ALERTS[2]!, name: 'SnapshotStaleTypo', query: 'max by (lang) (snapshot_ag_seconds)' });
    app.monitoring.model.rules.addAlert({ ...SPEC_ALERTS[3]!, name: 'Unbalanced', query: 'sum(rate(pin_jobs_total[5m])' });
    const failure = renderApp(app, 'prod');
    await expect(failure).rejects.toThrow(/\[prod\] monitoring\/Monitoring: alerts\/SnapshotStaleTypo expr: unknown metric "snapshot_ag_seconds"/);
    await expect(failure).rejects.toThrow(/\[prod\] monitoring\/Monitoring: alerts\/Unbalanced expr: does not parse/);
  });

  it('GIVEN the model THEN it has no problems', () => {
    expect(crumpetObservability().check()).toEqual([]);
  });
});

describe('Observability | alerts of spec section 8', () => {
  const rules = crumpetObservability().rules.groups.flatMap((g) => g.rules).filter((r) => 'alert' in r) as any[];
  const rule = (name: string): any => rules.find((r) => r.alert === name);

  it.each([
    ['EdgeHigh5xxRate', '> 0.05', '10m', 'P1'],
    ['SearchLatencyHigh', '> 1500', '15m', 'P1'],
    ['SnapshotStale', '> 1800', undefined, 'P1'],
    ['PinJobTimeouts', '> 0.2', '15m', 'P1'],
    ['WatcherProbeSuccessLow', '< 0.8', '30m', 'P2'],
    ['IndexVolumeUsageHigh', '> 0.8', undefined, 'P2'],
    ['CertificateExpiringSoon', '< 7', undefined, 'P3'],
  ])('GIVEN %s THEN its threshold is %s for %s at %s', (name, threshold, duration, priority) => {
    const r = rule(name);
    expect(r.expr.endsWith(` ${threshold}`)).toBe(true);
    expect(r.for).toBe(duration);
    expect(r.labels.priority).toBe(priority);
    expect(Object.keys(r.annotations).sort()).toEqual(['description', 'runbook_url', 'summary']);
  });

  it('GIVEN each SLO THEN it pages at 14.4x (1h/5m) and 6x (6h/30m) and tickets at 3x (1d/2h) and 1x (3d/6h)', () => {
    expect(rule('AvailabilityErrorBudgetBurnFast').expr).toBe(
      'crumpet_slo:error_ratio:rate1h{slo="availability"} > 0.0144 and crumpet_slo:error_ratio:rate5m{slo="availability"} > 0.0144',
    );
    expect(rule('ReadLatencyErrorBudgetBurnMedium').expr).toContain('rate6h{slo="read-latency"} > 0.3');
    expect(rule('FreshnessErrorBudgetBurnSlow').expr).toContain('rate2h{slo="freshness"} > 0.03');
    expect(rule('AvailabilityErrorBudgetBurnGradual').expr).toContain('rate3d{slo="availability"} > 0.001');
    const slos = crumpetObservability().rules.slos.length;
    expect(rules.filter((r) => r.alert.includes('ErrorBudgetBurn')).map((r) => r.labels.priority).sort()).toEqual([
      ...Array(2 * slos).fill('P2'),
      ...Array(2 * slos).fill('P3'),
    ]);
  });

  it('GIVEN every alert THEN its runbook_url is an absolute URL of a runbook file in the repository, and every runbook is linked or one of R1-R5', () => {
    const files = crumpetObservability().files();
    const base = `${PLATFORM_FILES_URL}/`;
    for (const r of rules) expect(new URL(r.annotations.runbook_url).protocol, r.alert).toBe('https:');
    for (const r of rules) expect(r.annotations.runbook_url.startsWith(base), r.alert).toBe(true);
    const paths = rules.map((r) => r.annotations.runbook_url.slice(base.length));
    for (const p of paths) expect(files.has(p), p).toBe(true);
    for (const p of paths) expect(existsSync(join(process.cwd(), p)), `${p} in the committed ops/`).toBe(true);
    const runbooks = [...files.keys()].filter((p) => p.startsWith('ops/runbooks/'));
    const linked = new Set(paths);
    expect(runbooks.filter((p) => !linked.has(p))).toEqual(['ops/runbooks/r4-watcher-attest-failures.md', 'ops/runbooks/r5-index-discrepancy.md']);
  });
});

describe('Observability | issue 16: what the alerts say and watch', () => {
  const model = crumpetObservability();

  /** Runs one promtool test over the model's rule file; returns what promtool printed. */
  function promtool(test: object): string {
    requireTool('promtool');
    const root = writeOps();
    const dir = join(root, 'ops/prometheus/tests');
    writeFileSync(join(dir, 'case.yaml'), yaml.dump({ rule_files: ['../alerts.yaml'], evaluation_interval: '1m', tests: [test] }));
    return execFileSync('promtool', ['test', 'rules', 'case.yaml'], { cwd: dir, encoding: 'utf8' });
  }

  it('GIVEN clients writing the latency bounds as le="400" and le="400.0" THEN the SLIs count both: the error ratio is the same as with one spelling', () => {
    const groups = model.rules.groups.flatMap((g) => g.rules);
    const rate5m = (slo: string): string => (groups.find((r: any) => r.labels?.slo === slo && r.record.endsWith('rate5m')) as any).expr;
    expect(rate5m('read-latency')).toContain(bucketMatcher(400));
    expect(rate5m('websocket-uptime')).toContain(bucketMatcher(3600));
    // 1000 searches a minute, 900 under 400 ms, reported half as "400" and half as "400.0".
    const series = [
      { series: 'cin_query_latency_ms_bucket{namespace="crumpet",pod="a",le="400"}', values: '0+450x10' },
      { series: 'cin_query_latency_ms_bucket{namespace="crumpet",pod="b",le="400.0"}', values: '0+450x10' },
      { series: 'cin_query_latency_ms_count{namespace="crumpet",pod="a"}', values: '0+500x10' },
      { series: 'cin_query_latency_ms_count{namespace="crumpet",pod="b"}', values: '0+500x10' },
    ];
    expect(
      promtool({
        interval: '1m',
        input_series: series,
        // The ratio in thousandths: 100 of 1000 searches slow.
        promql_expr_test: [{ expr: 'round(1000 * crumpet_slo:error_ratio:rate5m{slo="read-latency"})', eval_time: '10m', exp_samples: [{ labels: '{namespace="crumpet",slo="read-latency"}', value: 100 }] }],
      }),
    ).toMatch(/SUCCESS/);
  });

  it('GIVEN one probed node answering no probe among nodes answering all THEN the watcher alert fires for that node only', () => {
    const alert = model.rules.alerts.find((a) => a.rule.alert === 'WatcherProbeSuccessLow')!;
    const nodes = ['cin-a', 'cin-b', 'cin-c', 'cin-d', 'cin-e'];
    const series = nodes.flatMap((n) => [
      { series: `probe_success_total{namespace="crumpet",node="${n}"}`, values: n === 'cin-a' ? '0+0x40' : '0+100x40' },
      { series: `probe_total{namespace="crumpet",node="${n}"}`, values: '0+100x40' },
    ]);
    const labels = { ...alert.rule.labels, namespace: 'crumpet', node: 'cin-a' };
    const annotations = Object.fromEntries(Object.entries(alert.rule.annotations).map(([k, v]) => [k, v.replace('{{ $labels.node }}', 'cin-a')]));
    expect(
      promtool({
        interval: '1m',
        input_series: series,
        alert_rule_test: [{ alertname: alert.rule.alert, eval_time: '35m', exp_alerts: [{ exp_labels: labels, exp_annotations: annotations }] }],
      }),
    ).toMatch(/SUCCESS/);
  });

  it('GIVEN spec section 8 THEN the WebSocket-uptime SLO (> 99% of sessions not dropped by the server within an hour) has its four burn-rate alerts', () => {
    const ws = model.rules.slos.find((s) => s.name === 'websocket-uptime')!;
    expect([ws.objective, ws.service]).toEqual([0.99, 'cin-node']);
    expect(model.rules.alerts.filter((a) => a.burn?.slo.name === 'websocket-uptime').map((a) => a.rule.alert)).toEqual(
      ['Fast', 'Medium', 'Slow', 'Gradual'].map((s) => `WebSocketUptimeErrorBudgetBurn${s}`),
    );
  });

  it('GIVEN the routing THEN the Watchdog is vector(1), routed first to the heartbeat receiver, and every receiver but the heartbeat carries summary, description and runbook', () => {
    const watchdog = model.rules.alerts.find((a) => a.constant)!;
    expect([watchdog.rule.alert, watchdog.rule.expr]).toEqual(['Watchdog', 'vector(1)']);
    const config = yaml.load(model.files().get(model.paths.alertmanager)!) as any;
    expect(config.route.routes[0]).toMatchObject({ matchers: ['alertname="Watchdog"'], receiver: model.routing!.heartbeat!.receiver });
    for (const r of config.receivers.filter((x: any) => !x.webhook_configs)) {
      const text = JSON.stringify(r);
      for (const field of ['.Annotations.summary', '.Annotations.description', '.Annotations.runbook_url']) expect(text, `${r.name} ${field}`).toContain(field);
    }
  });
});

describe('Observability | promtool', () => {
  it('GIVEN the rule file THEN promtool check rules accepts it', () => {
    requireTool('promtool');
    const root = writeOps();
    const out = execFileSync('promtool', ['check', 'rules', join(root, 'ops/prometheus/alerts.yaml')], { encoding: 'utf8' });
    const rules = crumpetObservability().rules.groups.reduce((n, g) => n + g.rules.length, 0);
    expect(out).toMatch(new RegExp(`SUCCESS: ${rules} rules found`));
  });

  it('GIVEN one unit test per alert THEN each fires past its threshold after its for and stays silent just under', async () => {
    requireTool('promtool');
    const root = writeOps();
    const dir = join(root, 'ops/prometheus/tests');
    const model = crumpetObservability();
    expect(readdirSync(dir)).toHaveLength(model.rules.alerts.length + model.rules.slos.length);
    expect(await promtoolFailures(model, dir)).toEqual([]);
    // The burn-rate alerts' window tests span their long window (up to 3 days of samples).
  }, 300_000);
});

describe('Observability | Alertmanager', () => {
  it('GIVEN the config THEN amtool accepts it and routes P1/P2 to PagerDuty and P3 to Slack and email', () => {
    requireTool('amtool');
    const file = join(writeOps(), 'ops/alertmanager/alertmanager.yaml');
    expect(execFileSync('amtool', ['check-config', file], { encoding: 'utf8' })).toMatch(/SUCCESS/);
    const route = (...labels: string[]): string =>
      execFileSync('amtool', ['config', 'routes', 'test', `--config.file=${file}`, ...labels], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    expect(route('priority=P1', 'service=cin-node')).toBe('pagerduty-p1');
    expect(route('priority=P2', 'service=watcher')).toBe('pagerduty-p2');
    expect(route('priority=P3', 'service=cert-manager')).toBe('slack-email');
  });

  it('GIVEN the AlertmanagerConfig in dist THEN credentials are Secret references only and lower priorities are inhibited', async () => {
    const config = (await objects('prod')).find((o) => o.kind === 'AlertmanagerConfig')!;
    const receivers = JSON.stringify(config.spec.receivers);
    expect(receivers).toContain('"routingKey":{"key":"pagerduty-routing-key","name":"alertmanager-receivers"}');
    expect(receivers).toContain('"apiURL":{"key":"slack-webhook-url","name":"alertmanager-receivers"}');
    expect(config.spec.inhibitRules.map((r: any) => [r.sourceMatch[0].value, r.targetMatch[0].value])).toEqual([
      ['P1', 'P2|P3'],
      ['P2', 'P3'],
    ]);
  });
});

describe('Observability | scraping', () => {
  it('GIVEN serviceMonitor on THEN CIN and the orchestrator are scraped on their metrics-only port, the watcher and Envoy on their own', async () => {
    const objs = await objects('prod');
    const monitors = objs.filter((o) => o.kind === 'ServiceMonitor' || o.kind === 'PodMonitor');
    const endpoints = monitors.map((m) => [m.kind, m.metadata.name, ...(m.spec.endpoints ?? m.spec.podMetricsEndpoints).map((e: any) => `${e.port} ${e.path}`)]);
    const spec = [
      ['PodMonitor', 'cin-node', 'metrics /metrics'],
      ['PodMonitor', 'envoy-edge', 'stats /stats/prometheus'],
      ['PodMonitor', 'pin-orchestrator', 'metrics /metrics'],
      ['ServiceMonitor', 'watcher', 'http /metrics'],
    ];
    expect(endpoints).toEqual(expect.arrayContaining(spec));
    // Any other monitor is a component's, scraping the metrics port its declaration names.
    for (const [kind, name, endpoint] of endpoints.filter((e) => !spec.some((s) => s[1] === e[1]))) {
      const metrics = CRUMPET_COMPONENTS.get(name!).metrics!;
      expect([kind, endpoint]).toEqual(['PodMonitor', `${metrics.port} ${metrics.path ?? '/metrics'}`]);
    }
    // The metrics port is the orchestrator pods' own, told to the app, and not on its Service (the API).
    const deployment = objs.find((o) => o.kind === 'Deployment' && o.metadata.name === 'pin-orchestrator')!;
    const container = deployment.spec.template.spec.containers[0];
    const monitor = monitors.find((m) => m.metadata.name === 'pin-orchestrator')!;
    for (const [k, v] of Object.entries(monitor.spec.selector.matchLabels)) expect(deployment.spec.template.metadata.labels[k]).toBe(v);
    const metrics = container.ports.find((p: any) => p.name === 'metrics');
    expect(container.env).toContainEqual({ name: 'METRICS_LISTEN_ADDRESS', value: `:${metrics.containerPort}` });
    const orchestrator = objs.find((o) => o.kind === 'Service' && o.metadata.name === 'pin-orchestrator')!;
    expect(orchestrator.spec.ports.map((p: any) => `${p.name}:${p.port}`)).toEqual(['http:7070']);
  });

  it('GIVEN serviceMonitor off THEN no monitor is rendered, the rules still are', async () => {
    const objs = await objects('prod', ['features.serviceMonitor=false']);
    expect(objs.filter((o) => o.kind === 'ServiceMonitor' || o.kind === 'PodMonitor')).toEqual([]);
    expect(objs.some((o) => o.kind === 'PrometheusRule')).toBe(true);
  });
});
