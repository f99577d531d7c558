import type { Priority } from './alerts.ts';
import { generatedYaml } from './rule-set.ts';

/** Secret holding the receivers' credentials; referenced, never rendered. */
export const RECEIVER_SECRET = {
  name: 'alertmanager-receivers',
  pagerdutyRoutingKey: 'pagerduty-routing-key',
  slackWebhookUrl: 'slack-webhook-url',
  /** Where the plain Alertmanager config expects the secret mounted (`*_file` settings). */
  mountPath: '/etc/alertmanager/secrets/alertmanager-receivers',
} as const;

/** A notification target. */
export type Receiver =
  | { readonly name: string; readonly kind: 'pagerduty'; readonly severity: 'critical' | 'error' }
  | { readonly name: string; readonly kind: 'chat'; readonly channel: string; readonly email: string };

/** How alerts reach people (spec section 8): P1/P2 to PagerDuty, P3 to Slack and email. */
export interface AlertRouting {
  readonly receivers: readonly Receiver[];
  /** Receiver of each priority. */
  readonly routes: Readonly<Record<Priority, string>>;
  /** Alerts of one notification share these labels. */
  readonly groupBy: readonly string[];
  readonly groupWait: string;
  readonly groupInterval: string;
  readonly repeatInterval: string;
  /** A firing alert silences lower priorities that share these labels. */
  readonly inhibitEqual: readonly string[];
  /** Sender and relay of the email notifications (an unauthenticated in-cluster relay). */
  readonly email: { readonly from: string; readonly smarthost: string };
}

/** Every priority, the most urgent first. */
export const PRIORITIES: readonly Priority[] = ['P1', 'P2', 'P3'];

/** Each priority with the lower ones it inhibits. */
export function inhibitions(): { readonly source: Priority; readonly targets: readonly Priority[] }[] {
  return PRIORITIES.slice(0, -1).map((p, i) => ({ source: p, targets: PRIORITIES.slice(i + 1) }));
}

/** `ops/alertmanager/alertmanager.yaml`: a plain Alertmanager configuration, secrets read from files. */
export function alertmanagerFile(r: AlertRouting): string {
  const file = (key: string): string => `${RECEIVER_SECRET.mountPath}/${key}`;
  return generatedYaml({
    route: {
      receiver: r.routes.P3,
      group_by: [...r.groupBy],
      group_wait: r.groupWait,
      group_interval: r.groupInterval,
      repeat_interval: r.repeatInterval,
      routes: PRIORITIES.map((p) => ({ receiver: r.routes[p], matchers: [`priority="${p}"`] })),
    },
    receivers: r.receivers.map((rc) =>
      rc.kind === 'pagerduty'
        ? { name: rc.name, pagerduty_configs: [{ routing_key_file: file(RECEIVER_SECRET.pagerdutyRoutingKey), severity: rc.severity, send_resolved: true }] }
        : {
            name: rc.name,
            slack_configs: [{ api_url_file: file(RECEIVER_SECRET.slackWebhookUrl), channel: rc.channel, send_resolved: true }],
            email_configs: [{ to: rc.email, from: r.email.from, smarthost: r.email.smarthost, require_tls: false, send_resolved: true }],
          },
    ),
    inhibit_rules: inhibitions().map((i) => ({
      source_matchers: [`priority="${i.source}"`],
      target_matchers: [`priority=~"${i.targets.join('|')}"`],
      equal: [...r.inhibitEqual],
    })),
  });
}
