import type { AlertRouting } from '../../../observability/index.ts';

/**
 * Crumpet's routing (spec section 8): P1 and P2 page through PagerDuty, P3 goes to Slack and
 * email; the Watchdog goes to a dead-man's switch service every 5 minutes, which pages when it
 * stops hearing it.
 */
export const ALERT_ROUTING: AlertRouting = {
  receivers: [
    { name: 'pagerduty-p1', kind: 'pagerduty', severity: 'critical' },
    { name: 'pagerduty-p2', kind: 'pagerduty', severity: 'error' },
    { name: 'slack-email', kind: 'chat', channel: '#crumpet-alerts', email: 'sre@crumpet.dev' },
    { name: 'heartbeat', kind: 'heartbeat', url: 'https://heartbeat.crumpet.dev/alertmanager' },
  ],
  heartbeat: { receiver: 'heartbeat', repeatInterval: '5m' },
  routes: { P1: 'pagerduty-p1', P2: 'pagerduty-p2', P3: 'slack-email' },
  groupBy: ['alertname', 'namespace', 'service', 'priority'],
  groupWait: '30s',
  groupInterval: '5m',
  repeatInterval: '4h',
  email: { from: 'alertmanager@crumpet.dev', smarthost: 'smtp-relay.monitoring.svc:25' },
};
