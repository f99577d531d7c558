/*
 * What prometheus-operator makes of an AlertmanagerConfig object in the Alertmanager's own
 * configuration, with its default matcher strategy `OnNamespace`: receivers renamed
 * `<namespace>/<name>/<receiver>`, the object's route a child of the cluster's root route with
 * the matcher `namespace="<namespace>"` added and `continue: true`, and that matcher added to
 * both sides of each inhibit rule (the object "only applies to alerts for which the `namespace`
 * label is equal to the namespace of the AlertmanagerConfig resource"). Secret references are
 * replaced by the values given, as the operator reads them from the Secret.
 * @see https://prometheus-operator.dev/docs/developer/alerting/
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

/** The cluster's root receiver in kube-prometheus: no notification at all. */
export const CLUSTER_DEFAULT_RECEIVER = 'null';

const MATCH_TYPES = new Set(['=', '!=', '=~', '!~']);

function matcher(m: Obj): string {
  const type = m.matchType ?? '=';
  if (!MATCH_TYPES.has(type)) throw new Error(`unknown matchType ${type}`);
  return `${m.name}${type}${JSON.stringify(m.value)}`;
}

function secretValue(ref: Obj | undefined, secrets: Readonly<Record<string, string>>): string | undefined {
  if (!ref) return undefined;
  const value = secrets[`${ref.name}/${ref.key}`];
  if (value === undefined) throw new Error(`no value for Secret ${ref.name} key ${ref.key}`);
  return value;
}

function compact(o: Obj): Obj {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

function receiver(r: Obj, prefix: string, secrets: Readonly<Record<string, string>>): Obj {
  const out: Obj = { name: `${prefix}/${r.name}` };
  if (r.pagerdutyConfigs) {
    out.pagerduty_configs = r.pagerdutyConfigs.map((c: Obj) =>
      compact({
        routing_key: secretValue(c.routingKey, secrets),
        url: c.url,
        severity: c.severity,
        description: c.description,
        details: c.details && Object.fromEntries(c.details.map((d: Obj) => [d.key, d.value])),
        links: c.pagerDutyLinkConfigs?.map((l: Obj) => ({ href: l.href, text: l.alt })),
        send_resolved: c.sendResolved,
      }),
    );
  }
  if (r.slackConfigs) {
    out.slack_configs = r.slackConfigs.map((c: Obj) =>
      compact({ api_url: secretValue(c.apiURL ?? c.apiUrl, secrets), channel: c.channel, title: c.title, title_link: c.titleLink, text: c.text, send_resolved: c.sendResolved }),
    );
  }
  if (r.emailConfigs) {
    out.email_configs = r.emailConfigs.map((c: Obj) =>
      compact({
        to: c.to,
        from: c.from,
        smarthost: c.smarthost,
        require_tls: c.requireTLS ?? c.requireTls,
        headers: c.headers && Object.fromEntries(c.headers.map((h: Obj) => [h.key, h.value])),
        text: c.text,
        html: c.html,
        send_resolved: c.sendResolved,
      }),
    );
  }
  if (r.webhookConfigs) {
    out.webhook_configs = r.webhookConfigs.map((c: Obj) =>
      compact({
        url: c.url ?? secretValue(c.urlSecret, secrets),
        http_config: c.httpConfig?.authorization
          ? { authorization: compact({ type: c.httpConfig.authorization.type, credentials: secretValue(c.httpConfig.authorization.credentials, secrets) }) }
          : undefined,
        send_resolved: c.sendResolved,
      }),
    );
  }
  return out;
}

function route(r: Obj, prefix: string): Obj {
  return compact({
    receiver: r.receiver ? `${prefix}/${r.receiver}` : undefined,
    matchers: (r.matchers ?? []).map(matcher),
    group_by: r.groupBy,
    group_wait: r.groupWait,
    group_interval: r.groupInterval,
    repeat_interval: r.repeatInterval,
    continue: r.continue,
    routes: r.routes?.map((c: Obj) => route(c, prefix)),
  });
}

/**
 * The Alertmanager configuration the operator generates from `configs` (AlertmanagerConfig
 * objects) on top of kube-prometheus' root route, whose receiver notifies no one.
 */
export function operatorAlertmanagerConfig(configs: readonly Obj[], secrets: Readonly<Record<string, string>>): Obj {
  const routes: Obj[] = [];
  const receivers: Obj[] = [{ name: CLUSTER_DEFAULT_RECEIVER }];
  const inhibit: Obj[] = [];
  for (const c of configs) {
    const ns = c.metadata.namespace as string;
    const prefix = `${ns}/${c.metadata.name}`;
    const nsMatcher = `namespace=${JSON.stringify(ns)}`;
    const top = route(c.spec.route, prefix);
    routes.push({ ...top, matchers: [nsMatcher, ...(top.matchers ?? [])], continue: true });
    receivers.push(...c.spec.receivers.map((r: Obj) => receiver(r, prefix, secrets)));
    for (const i of c.spec.inhibitRules ?? []) {
      inhibit.push({
        source_matchers: [...i.sourceMatch.map(matcher), nsMatcher],
        target_matchers: [...i.targetMatch.map(matcher), nsMatcher],
        equal: i.equal,
      });
    }
  }
  return {
    route: { receiver: CLUSTER_DEFAULT_RECEIVER, group_by: ['namespace'], routes },
    receivers,
    inhibit_rules: inhibit,
  };
}
