import type { RuleGroup } from '../../src/observability/index.ts';
import { RECEIVER_SECRET } from '../../src/observability/index.ts';
import { distObjects } from '../stacks/crumpet/_output.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

/** Stand-ins for the Secret's values, as the operator would copy them into the configuration. */
export const SECRET_VALUES: Readonly<Record<string, string>> = {
  [`${RECEIVER_SECRET.name}/${RECEIVER_SECRET.pagerdutyRoutingKey}`]: 'routing-key',
  [`${RECEIVER_SECRET.name}/${RECEIVER_SECRET.slackWebhookUrl}`]: 'https://hooks.slack.example/T0/B0/x',
  [`${RECEIVER_SECRET.name}/${RECEIVER_SECRET.heartbeatToken}`]: 'heartbeat-token',
};

/** The environment's monitoring objects as committed: its PrometheusRule groups and AlertmanagerConfig. */
export function deployed(env: string): { readonly groups: RuleGroup[]; readonly alerting: Obj } {
  const objects = distObjects(env) as Obj[];
  const rule = objects.find((o) => o.kind === 'PrometheusRule' && o.metadata.name === 'crumpet-rules')!;
  const alerting = objects.find((o) => o.kind === 'AlertmanagerConfig')!;
  return { groups: rule.spec.groups, alerting };
}
