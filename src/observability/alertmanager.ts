import {
  AlertmanagerConfigSpecInhibitRulesSourceMatchMatchType as InhibitSourceMatch,
  AlertmanagerConfigSpecInhibitRulesTargetMatchMatchType as InhibitTargetMatch,
  AlertmanagerConfigSpecRouteMatchersMatchType as RouteMatch,
  type AlertmanagerConfigSpec,
  type AlertmanagerConfigSpecReceivers,
} from '../../imports/alertmanagerconfigs-monitoring.coreos.com.ts';
import type { Priority } from './alerts.ts';
import { generatedYaml, WATCHDOG_ALERT } from './rule-set.ts';

/** Secret holding the receivers' credentials; referenced, never rendered. */
export const RECEIVER_SECRET = {
  name: 'alertmanager-receivers',
  pagerdutyRoutingKey: 'pagerduty-routing-key',
  slackWebhookUrl: 'slack-webhook-url',
  /** Bearer token the heartbeat receiver's webhook sends. */
  heartbeatToken: 'heartbeat-token',
  /** Where the plain Alertmanager config expects the secret mounted (`*_file` settings). */
  mountPath: '/etc/alertmanager/secrets/alertmanager-receivers',
} as const;

/** A notification target. */
export type Receiver =
  | { readonly name: string; readonly kind: 'pagerduty'; readonly severity: 'critical' | 'error' }
  | { readonly name: string; readonly kind: 'chat'; readonly channel: string; readonly email: string }
  /** A dead-man's switch service: it raises its own alarm when the Watchdog stops arriving. */
  | { readonly name: string; readonly kind: 'heartbeat'; readonly url: string };

/** How alerts reach people (spec section 8): P1/P2 to PagerDuty, P3 to Slack and email. */
export interface AlertRouting {
  readonly receivers: readonly Receiver[];
  /** Receiver of each priority. */
  readonly routes: Readonly<Record<Priority, string>>;
  /**
   * The receiver of the Watchdog, and how often it is sent again; the model adds the Watchdog
   * alert when this is given.
   * @default - no Watchdog, no heartbeat
   */
  readonly heartbeat?: { readonly receiver: string; readonly repeatInterval: string };
  /** Alerts of one notification share these labels. */
  readonly groupBy: readonly string[];
  readonly groupWait: string;
  readonly groupInterval: string;
  readonly repeatInterval: string;
  /** Sender and relay of the email notifications (an unauthenticated in-cluster relay). */
  readonly email: { readonly from: string; readonly smarthost: string };
}

/** Every priority, the most urgent first. */
export const PRIORITIES: readonly Priority[] = ['P1', 'P2', 'P3'];

/** Each priority with the lower ones it inhibits. */
export function inhibitions(): { readonly source: Priority; readonly targets: readonly Priority[] }[] {
  return PRIORITIES.slice(0, -1).map((p, i) => ({ source: p, targets: PRIORITIES.slice(i + 1) }));
}

/**
 * What every notification says, as Alertmanager templates: a title with status, priority, alert
 * and namespace, and for each alert its summary, description and runbook link.
 */
export const NOTIFICATION = {
  title: '[{{ .Status | toUpper }}] {{ .CommonLabels.priority }} {{ .CommonLabels.alertname }}{{ with .CommonLabels.namespace }} in {{ . }}{{ end }}',
  text: '{{ range .Alerts }}{{ .Annotations.summary }}\n{{ .Annotations.description }}\nRunbook: {{ .Annotations.runbook_url }}\n\n{{ end }}',
  html: '{{ range .Alerts }}<p><b>{{ .Annotations.summary }}</b><br>{{ .Annotations.description }}<br><a href="{{ .Annotations.runbook_url }}">Runbook</a></p>{{ end }}',
  summary: '{{ range .Alerts }}{{ .Annotations.summary }} {{ end }}',
  description: '{{ range .Alerts }}{{ .Annotations.description }} {{ end }}',
  runbook: '{{ (index .Alerts 0).Annotations.runbook_url }}',
} as const;

/** The PagerDuty incident's custom details: summary, description and runbook of its alerts. */
export const PAGERDUTY_DETAILS: Readonly<Record<string, string>> = {
  summary: NOTIFICATION.summary,
  description: NOTIFICATION.description,
  runbook_url: NOTIFICATION.runbook,
};

/** The Watchdog's route: straight to the heartbeat receiver, sent again every `repeatInterval`. */
export function heartbeatRoute(r: AlertRouting): { readonly matcher: string; readonly receiver: string; readonly groupWait: string; readonly repeatInterval: string } | undefined {
  return r.heartbeat && { matcher: `alertname="${WATCHDOG_ALERT}"`, receiver: r.heartbeat.receiver, groupWait: '0s', repeatInterval: r.heartbeat.repeatInterval };
}

/**
 * `ops/alertmanager/alertmanager.yaml`: a plain Alertmanager configuration, secrets read from
 * files. A higher priority inhibits the lower ones only of the same scope: `scopeLabels` (the
 * namespace, service, SLO and the labels alerts keep from their series, such as language or
 * volume) must all be equal.
 */
export function alertmanagerFile(r: AlertRouting, scopeLabels: readonly string[]): string {
  const file = (key: string): string => `${RECEIVER_SECRET.mountPath}/${key}`;
  const heartbeat = heartbeatRoute(r);
  return generatedYaml({
    route: {
      receiver: r.routes.P3,
      group_by: [...r.groupBy],
      group_wait: r.groupWait,
      group_interval: r.groupInterval,
      repeat_interval: r.repeatInterval,
      routes: [
        ...(heartbeat ? [{ receiver: heartbeat.receiver, matchers: [heartbeat.matcher], group_wait: heartbeat.groupWait, repeat_interval: heartbeat.repeatInterval }] : []),
        ...PRIORITIES.map((p) => ({ receiver: r.routes[p], matchers: [`priority="${p}"`] })),
      ],
    },
    receivers: r.receivers.map((rc) => {
      switch (rc.kind) {
        case 'pagerduty':
          return {
            name: rc.name,
            pagerduty_configs: [
              {
                routing_key_file: file(RECEIVER_SECRET.pagerdutyRoutingKey),
                severity: rc.severity,
                description: NOTIFICATION.title,
                details: { ...PAGERDUTY_DETAILS },
                links: [{ href: NOTIFICATION.runbook, text: 'Runbook' }],
                send_resolved: true,
              },
            ],
          };
        case 'chat':
          return {
            name: rc.name,
            slack_configs: [
              { api_url_file: file(RECEIVER_SECRET.slackWebhookUrl), channel: rc.channel, title: NOTIFICATION.title, title_link: NOTIFICATION.runbook, text: NOTIFICATION.text, send_resolved: true },
            ],
            email_configs: [
              {
                to: rc.email,
                from: r.email.from,
                smarthost: r.email.smarthost,
                require_tls: false,
                headers: { Subject: NOTIFICATION.title },
                text: NOTIFICATION.text,
                html: NOTIFICATION.html,
                send_resolved: true,
              },
            ],
          };
        case 'heartbeat':
          return {
            name: rc.name,
            webhook_configs: [{ url: rc.url, http_config: { authorization: { credentials_file: file(RECEIVER_SECRET.heartbeatToken) } }, send_resolved: false }],
          };
      }
    }),
    inhibit_rules: inhibitions().map((i) => ({
      source_matchers: [`priority="${i.source}"`],
      target_matchers: [`priority=~"${i.targets.join('|')}"`],
      equal: [...scopeLabels],
    })),
  });
}

/**
 * The routing as prometheus-operator's AlertmanagerConfig spec, the same routes, receivers and
 * inhibitions as {@link alertmanagerFile}; credentials stay in their Secret. The operator matches
 * only alerts of the object's namespace (its default `OnNamespace` strategy), which every alert
 * carries: from its series, or as a static label for the Watchdog.
 */
export function alertmanagerConfigSpec(r: AlertRouting, scopeLabels: readonly string[]): AlertmanagerConfigSpec {
  const secret = (key: string) => ({ name: RECEIVER_SECRET.name, key });
  const receivers: AlertmanagerConfigSpecReceivers[] = r.receivers.map((rc) => {
    switch (rc.kind) {
      case 'pagerduty':
        return {
          name: rc.name,
          pagerdutyConfigs: [
            {
              routingKey: secret(RECEIVER_SECRET.pagerdutyRoutingKey),
              severity: rc.severity,
              description: NOTIFICATION.title,
              details: Object.entries(PAGERDUTY_DETAILS).map(([key, value]) => ({ key, value })),
              pagerDutyLinkConfigs: [{ href: NOTIFICATION.runbook, alt: 'Runbook' }],
              sendResolved: true,
            },
          ],
        };
      case 'chat':
        return {
          name: rc.name,
          slackConfigs: [
            { apiUrl: secret(RECEIVER_SECRET.slackWebhookUrl), channel: rc.channel, title: NOTIFICATION.title, titleLink: NOTIFICATION.runbook, text: NOTIFICATION.text, sendResolved: true },
          ],
          emailConfigs: [
            {
              to: rc.email,
              from: r.email.from,
              smarthost: r.email.smarthost,
              requireTls: false,
              headers: [{ key: 'Subject', value: NOTIFICATION.title }],
              text: NOTIFICATION.text,
              html: NOTIFICATION.html,
              sendResolved: true,
            },
          ],
        };
      case 'heartbeat':
        return {
          name: rc.name,
          webhookConfigs: [{ url: rc.url, httpConfig: { authorization: { credentials: secret(RECEIVER_SECRET.heartbeatToken) } }, sendResolved: false }],
        };
    }
  });
  const heartbeat = heartbeatRoute(r);
  return {
    route: {
      receiver: r.routes.P3,
      groupBy: [...r.groupBy],
      groupWait: r.groupWait,
      groupInterval: r.groupInterval,
      repeatInterval: r.repeatInterval,
      routes: [
        ...(heartbeat
          ? [
              {
                receiver: heartbeat.receiver,
                matchers: [{ name: 'alertname', value: WATCHDOG_ALERT, matchType: RouteMatch.VALUE_EQUALS }],
                groupWait: heartbeat.groupWait,
                repeatInterval: heartbeat.repeatInterval,
              },
            ]
          : []),
        ...PRIORITIES.map((p) => ({ receiver: r.routes[p], matchers: [{ name: 'priority', value: p, matchType: RouteMatch.VALUE_EQUALS }] })),
      ],
    },
    receivers,
    inhibitRules: inhibitions().map((i) => ({
      sourceMatch: [{ name: 'priority', value: i.source, matchType: InhibitSourceMatch.VALUE_EQUALS }],
      targetMatch: [{ name: 'priority', value: i.targets.join('|'), matchType: InhibitTargetMatch.VALUE_EQUAL_TILDE }],
      equal: [...scopeLabels],
    })),
  };
}
