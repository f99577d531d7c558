import { statelessComponent } from '../../../lib/index.ts';
import { Dashboard, num, Panel, perSecond, sloRecord, Target } from '../../../observability/index.ts';
import { FRESHNESS_BOUND_SECONDS, SNAPSHOT_STALE_RECORD } from '../observability/slos.ts';
import { SPEC_RESOURCES } from '../model/defaults.ts';
import type { PlatformConfig } from '../model/types.ts';
import { HEALTH_PATH, PORTS } from '../ports.ts';

/** The Secret holding the watcher's ed25519 attestation key (rotated quarterly, spec section 6). */
export const WATCHER_SIGNING_KEY_SECRET = 'watcher-signing-key';

/** Below this share of answered probes of a node, for 30 minutes, the watcher alert fires for it (spec section 8, P2). */
const PROBE_SUCCESS_FLOOR = 0.8;

/**
 * Watchers: uptime probes and committee attestations, 0.5 vCPU and 256 MB (spec section 12). The
 * ed25519 key is mounted read-only from a Secret that the secrets provider materializes; the
 * manifests only reference it. Health and metrics share its one port.
 */
export default statelessComponent<PlatformConfig>({
  name: 'watcher',
  role: 'watcher',
  ports: { http: { port: PORTS.watcher.port, healthPath: HEALTH_PATH } },
  defaults: { replicas: 2, resources: SPEC_RESOURCES.watcher },
  container: {
    health: { path: HEALTH_PATH, port: 'http' },
    env: [{ name: 'WATCHER_KEY_FILE', value: '/var/run/secrets/crumpet/signing-key/ed25519.key' }],
    mounts: [{ volume: 'signing-key', path: '/var/run/secrets/crumpet/signing-key' }],
  },
  volumes: [{ name: 'signing-key', secret: { secretName: WATCHER_SIGNING_KEY_SECRET, defaultMode: 0o440 } }],
  secrets: [{ name: WATCHER_SIGNING_KEY_SECRET, keys: ['ed25519.key'] }],
  // It reads the chain and probes public nodes over HTTPS.
  calls: [
    { cidrs: 'rpcEndpointCidrs', ports: [{ port: 443 }] },
    { cidrs: 'internet', ports: [{ port: 443 }] },
  ],
  metrics: {
    port: 'http',
    catalogue: [
      { name: 'probe_total', type: 'counter', labels: ['node'], help: 'Uptime probes sent, by probed node.' },
      { name: 'probe_success_total', type: 'counter', labels: ['node'], help: 'Uptime probes answered correctly, by probed node.' },
      { name: 'attest_uptime_submissions_total', type: 'counter', labels: ['status'], help: 'Uptime attestation transactions, by chain status.' },
      { name: 'attest_freshness_submissions_total', type: 'counter', labels: ['status'], help: 'Freshness attestation transactions, by chain status.' },
      { name: 'epoch_end_timestamp_seconds', type: 'gauge', labels: [], help: 'Unix time at which the current reward epoch ends.' },
    ],
  },
  alerts: [
    {
      name: 'WatcherProbeSuccessLow',
      // Per probed node: one node down among many healthy ones fires for that node.
      query: 'sum by (namespace, node) (rate(probe_success_total[5m])) / sum by (namespace, node) (rate(probe_total[5m]))',
      op: '<',
      threshold: PROBE_SUCCESS_FLOOR,
      for: '30m',
      priority: 'P2',
      summary: 'Watcher probes of node {{ $labels.node }} succeed less than 80% of the time',
      description: 'For 30 minutes fewer than 80% of the uptime probes the watchers sent to node {{ $labels.node }} were answered correctly.',
      runbook: {
        name: 'watcher-probe-success-low',
        title: 'WatcherProbeSuccessLow',
        meaning: 'Fewer than 80% of the watchers\' uptime probes of one node have succeeded for 30 minutes.',
        impact: 'Nodes are unreachable or failing for watchers; uptime attestations record them as down.',
        diagnosis: ['Open the node (the alert\'s `node` label) and its own dashboards; compare with the other nodes\' pass rate.', 'Check the edge and the network path from the watchers.'],
        mitigation: ['Restore the failing nodes (see R2 for edge errors).', 'If only the watcher is at fault, restart it.'],
        escalation: 'Page the platform on-call during business hours (P2).',
      },
      outputLabels: { node: 'cin-a' },
      // cin-a at the value asked for, probed by two watchers; cin-b answers every probe.
      series: (v, _t, steps) => [
        ...['watcher-0', 'watcher-1'].flatMap((pod) => [
          { series: `probe_success_total{node="cin-a",pod="${pod}"}`, values: `0+${num(1000 * v)}x${steps}` },
          { series: `probe_total{node="cin-a",pod="${pod}"}`, values: `0+1000x${steps}` },
        ]),
        { series: 'probe_success_total{node="cin-b",pod="watcher-0"}', values: `0+1000x${steps}` },
        { series: 'probe_total{node="cin-b",pod="watcher-0"}', values: `0+1000x${steps}` },
      ],
      warmupSeconds: 60,
    },
  ],
  dashboard: {
    uid: 'crumpet-watcher',
    build: (uid) =>
      new Dashboard({ uid, title: 'Crumpet / Watcher', tags: ['crumpet', 'watcher'] }).add(
        new Panel({
          title: 'Probe pass rate',
          type: 'timeseries',
          unit: 'percentunit',
          thresholds: [{ value: PROBE_SUCCESS_FLOOR }],
          alerts: ['WatcherProbeSuccessLow'],
          targets: [Target.query(`sum by (node) (${perSecond('probe_success_total')}) / sum by (node) (${perSecond('probe_total')})`, '{{node}}')],
        }),
        new Panel({
          title: 'Freshness compliance',
          type: 'timeseries',
          unit: 'percentunit',
          description: `Share of languages whose snapshot is at most ${FRESHNESS_BOUND_SECONDS} s old (the freshness SLO).`,
          slos: ['freshness'],
          targets: [Target.query(`1 - ${sloRecord('crumpet', SNAPSHOT_STALE_RECORD)}`, 'compliant')],
        }),
        new Panel({
          title: 'Chain tx status',
          type: 'timeseries',
          unit: 'ops',
          width: 24,
          targets: [
            Target.query(`sum by (status) (${perSecond('attest_uptime_submissions_total')})`, 'uptime {{status}}'),
            Target.query(`sum by (status) (${perSecond('attest_freshness_submissions_total')})`, 'freshness {{status}}'),
          ],
        }),
      ),
  },
  chart: { description: 'Crumpet watcher: uptime probes and committee attestations', smokeTest: { port: 'http', path: HEALTH_PATH } },
});
