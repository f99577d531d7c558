import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inhibitions, type Priority } from '../../src/observability/index.ts';
import { crumpetObservability, loadEnvironment } from '../../src/stacks/crumpet/index.ts';
import { operatorAlertmanagerConfig } from '../_analysis/alertmanager-operator.ts';
import { firedAlerts, type FiredAlert } from '../_analysis/fired-alerts.ts';
import { decodeQuotedPrintable, LiveAlertmanager, Receivers, type ListedAlert } from '../_analysis/live-alertmanager.ts';
import { tempDir } from '../_helpers.ts';
import { deployed, SECRET_VALUES } from './_deployed.ts';

/*
 * Acceptance 2 and the notifications of acceptance 4 of issue 16, on a real Alertmanager fed
 * prod's AlertmanagerConfig as prometheus-operator renders it: every alert of the model as
 * Prometheus fires it, plus probes around each scoped source alert, are posted through API v2;
 * the Alertmanager's own view of which alerts are inhibited must be the model's scoping, and the
 * notifications it sends must carry summary, description and runbook.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;
type Labels = Readonly<Record<string, string>>;

const ENV = 'prod';
const model = crumpetObservability();
const scope = model.scopeLabels;

/** Whether the model's inhibitions mute `target` while `firing` fire: a higher priority of the same scope in the same namespace. */
function mutedByModel(target: Labels, firing: readonly Labels[], namespace: string): boolean {
  return firing.some(
    (s) =>
      s !== target &&
      s['namespace'] === namespace &&
      target['namespace'] === namespace &&
      inhibitions().some((i) => i.source === s['priority'] && i.targets.includes(target['priority'] as Priority)) &&
      scope.every((l) => (s[l] ?? '') === (target[l] ?? '')),
  );
}

/** The test's receivers in place of the real ones, and notifications sent within a second. */
function forTest(config: Obj, receivers: Receivers): Obj {
  const local = `http://127.0.0.1:${receivers.httpPort}`;
  const fast = (r: Obj): Obj => ({ ...r, group_wait: '1s', group_interval: '1s', ...(r.routes ? { routes: r.routes.map(fast) } : {}) });
  return {
    ...config,
    route: fast(config['route']),
    receivers: config['receivers'].map((r: Obj) => ({
      ...r,
      ...(r.pagerduty_configs ? { pagerduty_configs: r.pagerduty_configs.map((c: Obj) => ({ ...c, url: `${local}/pagerduty` })) } : {}),
      ...(r.slack_configs ? { slack_configs: r.slack_configs.map((c: Obj) => ({ ...c, api_url: `${local}/slack` })) } : {}),
      ...(r.email_configs ? { email_configs: r.email_configs.map((c: Obj) => ({ ...c, smarthost: `127.0.0.1:${receivers.smtpPort}` })) } : {}),
      ...(r.webhook_configs ? { webhook_configs: r.webhook_configs.map((c: Obj) => ({ ...c, url: `${local}/heartbeat` })) } : {}),
    })),
  };
}

/**
 * For each firing P1/P2 alert with scope labels beyond namespace and service: a lower-priority
 * probe of the same scope (muted), one differing in each scope label (not muted) and one in
 * another namespace (not muted).
 */
function probes(fired: readonly FiredAlert[]): Labels[] {
  const out: Labels[] = [];
  for (const f of fired.filter((x) => x.labels['priority'] === 'P1' || x.labels['priority'] === 'P2')) {
    const own = Object.fromEntries(scope.filter((l) => f.labels[l] !== undefined).map((l) => [l, f.labels[l]!]));
    const base = { ...own, priority: 'P3', severity: 'info' };
    const name = (what: string): string => `ScopeProbe${out.length}${what}`;
    out.push({ ...base, alertname: name('Same') });
    for (const l of Object.keys(own).filter((k) => k !== 'namespace' && k !== 'service')) out.push({ ...base, [l]: `${own[l]}-other`, alertname: name(`Other_${l}`) });
    out.push({ ...base, namespace: `${own['namespace']}-elsewhere`, alertname: name('OtherNamespace') });
  }
  return out;
}

describe('Alertmanager as deployed | inhibition and notifications (real Alertmanager)', () => {
  const receivers = new Receivers();
  let am: LiveAlertmanager;
  let fired: FiredAlert[];
  let posted: Labels[];
  let listed: ListedAlert[];
  let namespace: string;

  beforeAll(async () => {
    namespace = (await loadEnvironment(ENV)).namespace;
    const { groups, alerting } = deployed(ENV);
    const dir = tempDir('alertmanager-live');
    fired = await firedAlerts(model, groups, namespace);
    await receivers.start();
    am = new LiveAlertmanager(forTest(operatorAlertmanagerConfig([alerting], SECRET_VALUES), receivers), dir);
    await am.start();
    posted = [...fired.map((f) => f.labels), ...probes(fired)];
    await am.post([...fired.map((f) => ({ labels: f.labels, annotations: f.annotations })), ...probes(fired).map((labels) => ({ labels }))]);
    // Wait for the notifications of every receiver kind (group_wait 1s).
    for (let i = 0; i < 100 && !(receivers.mails.length > 0 && ['/slack', '/pagerduty', '/heartbeat'].every((p) => receivers.http.some((r) => r.path === p))); i++) {
      await new Promise((r) => setTimeout(r, 200));
    }
    listed = await am.alerts();
  }, 180_000);

  afterAll(async () => {
    am?.stop();
    await receivers.stop();
  });

  it('GIVEN every alert and the scope probes firing THEN the Alertmanager inhibits exactly what the model\'s scoping says', () => {
    expect(listed).toHaveLength(posted.length);
    const inhibited = (l: Labels): boolean => listed.find((a) => a.labels['alertname'] === l['alertname'] && a.labels['namespace'] === l['namespace'])!.status.inhibitedBy.length > 0;
    const actual = posted.map((l) => `${l['alertname']} ${inhibited(l) ? 'muted' : 'sent'}`);
    const expected = posted.map((l) => `${l['alertname']} ${mutedByModel(l, posted, namespace) ? 'muted' : 'sent'}`);
    expect(actual).toEqual(expected);
    console.log(`inhibition: ${posted.length} alerts posted (${fired.length} of the model, ${posted.length - fired.length} probes), ${actual.filter((a) => a.endsWith('muted')).length} muted`);
  });

  it('GIVEN a P3 probe beside each scoped page THEN the one of the same scope is muted; one differing in language, volume, node or name, or in another namespace, is not', () => {
    const probesListed = listed.filter((a) => a.labels['alertname']!.startsWith('ScopeProbe'));
    const state = (a: ListedAlert): string => `${a.labels['alertname']} ${a.status.state}`;
    const differing = probesListed.filter((a) => /Other/.test(a.labels['alertname']!));
    expect(probesListed.filter((a) => a.labels['alertname']!.endsWith('Same')).map(state)).toEqual(
      probesListed.filter((a) => a.labels['alertname']!.endsWith('Same')).map((a) => `${a.labels['alertname']} suppressed`),
    );
    expect(differing.map(state)).toEqual(differing.map((a) => `${a.labels['alertname']} active`));
    for (const l of ['lang', 'persistentvolumeclaim', 'node']) expect(differing.some((a) => a.labels['alertname']!.endsWith(`Other_${l}`)), l).toBe(true);
  });

  it('GIVEN a stale snapshot of one language (P1) THEN neither the index volume (P2) nor the read-latency burns are muted; every muted alert is muted by one of its own scope', () => {
    const state = (name: string): string => listed.find((a) => a.labels['alertname'] === name)!.status.state;
    expect(fired.find((f) => f.alert.rule.alert === 'SnapshotStale')!.labels['lang']).toBeDefined();
    expect(state('IndexVolumeUsageHigh')).toBe('active');
    for (const s of ['Fast', 'Medium']) expect(state(`ReadLatencyErrorBudgetBurn${s}`), s).toBe('active');
    const byFingerprint = new Map(listed.map((a) => [a.fingerprint, a]));
    const muted = listed.filter((a) => a.status.state === 'suppressed');
    expect(muted.length).toBeGreaterThan(0);
    for (const a of muted) {
      for (const fp of a.status.inhibitedBy) {
        const source = byFingerprint.get(fp)!;
        expect(scope.map((l) => source.labels[l] ?? ''), `${a.labels['alertname']} muted by ${source.labels['alertname']}`).toEqual(scope.map((l) => a.labels[l] ?? ''));
      }
    }
  });

  it('GIVEN the notifications sent THEN PagerDuty, Slack and email carry each alert\'s summary, description and runbook, and the Watchdog reaches the heartbeat', () => {
    const byName = (name: string): FiredAlert => fired.find((f) => f.alert.rule.alert === name)!;
    const carries = (text: string, f: FiredAlert): void => {
      for (const k of ['summary', 'description', 'runbook_url']) expect(text, `${f.alert.rule.alert} ${k}`).toContain(f.annotations[k]);
    };
    // A page (P1).
    const page = byName('SnapshotStale');
    const incident = receivers.http
      .filter((r) => r.path === '/pagerduty')
      .map((r) => JSON.parse(r.body) as Obj)
      .find((b) => b.payload.summary.includes(page.alert.rule.alert))!;
    expect(incident.routing_key).toBe('routing-key');
    carries(JSON.stringify(incident.payload.custom_details), page);
    expect(incident.links).toEqual([{ href: page.annotations['runbook_url'], text: 'Runbook' }]);
    // A ticket (P3): Slack and email.
    const ticket = byName('CertificateExpiringSoon');
    const slack = receivers.http
      .filter((r) => r.path === '/slack')
      .map((r) => JSON.parse(r.body) as Obj)
      .find((b) => b.attachments[0].title.includes(ticket.alert.rule.alert))!;
    carries(slack.attachments[0].text, ticket);
    expect(slack.attachments[0].title_link).toBe(ticket.annotations['runbook_url']);
    const mail = receivers.mails.map(decodeQuotedPrintable).find((m) => m.includes(`Subject: [FIRING] P3 ${ticket.alert.rule.alert}`))!;
    expect(mail).toBeDefined();
    carries(mail, ticket);
    // The dead-man's switch, with the token of the Secret.
    const beat = receivers.http.find((r) => r.path === '/heartbeat')!;
    expect(beat.headers['authorization']).toBe('Bearer heartbeat-token');
    expect((JSON.parse(beat.body) as Obj).alerts.map((a: Obj) => a.labels.alertname)).toEqual(['Watchdog']);
  });
});
