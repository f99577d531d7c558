import type { ChaosScenario } from '../../lib/index.ts';
import type { Duration } from '../../observability/index.ts';
import { INDEX_SNAPSHOT_JOB } from './backups.ts';
import cinNode from './components/cin-node.ts';

/** The window over which every chaos experiment's steady state (an SLO's error ratio) is taken. */
export const STEADY_STATE_WINDOW: Duration = '5m';

/**
 * The chaos experiments of spec section 14, each rehearsing a runbook of section 13 in a game day
 * (section 16). Their target is the CIN component as declared; their network faults hit the CIDR
 * sets its declaration calls, so each experiment breaks a flow the NetworkPolicy allows.
 *
 * The IPFS gateway errors are packet loss on the way to the gateways (NetworkChaos): the nodes
 * reach the gateways over HTTPS, which HTTPChaos cannot alter (it rewrites plain HTTP served by
 * the selected pods), and HTTPChaos has no "share of requests" setting.
 */
export const CHAOS_SCENARIOS: readonly ChaosScenario[] = [
  {
    name: 'cin-pod-kill-during-snapshot',
    title: 'Kill a CIN pod during a snapshot',
    target: cinNode.name,
    fault: { kind: 'pod-kill' },
    duration: '2m',
    recoverWithin: '2m',
    slo: 'availability',
    runbook: 'r2-elevated-5xx-at-edge',
    prepare: [
      `Start a snapshot: \`kubectl create job --namespace <namespace> --from=cronjob/${INDEX_SNAPSHOT_JOB} ${INDEX_SNAPSHOT_JOB}-game-day\`, and wait until its pod is Running.`,
    ],
    expect: [
      `The snapshot job \`${INDEX_SNAPSHOT_JOB}-game-day\` completes (a Job retries a failed pod), or a rerun of it does; then \`snapshot_age_seconds\` of every language drops (R1).`,
    ],
  },
  {
    name: 'ipfs-gateway-errors',
    title: '10% of the packets to the IPFS gateways lost',
    target: cinNode.name,
    fault: { kind: 'network-loss', percent: 10, to: 'ipfsGatewayCidrs' },
    duration: '15m',
    slo: 'freshness',
    runbook: 'r1-snapshot-stale',
    expect: ['`ipfs_fetch_ms` rises but ingestion continues: no language\'s `snapshot_age_seconds` passes the freshness bound.'],
  },
  {
    name: 'rpc-latency',
    title: '500 ms of latency to the RPC endpoints',
    target: cinNode.name,
    fault: { kind: 'network-delay', latency: '500ms', to: 'rpcEndpointCidrs' },
    duration: '30m',
    slo: 'freshness',
    runbook: 'r1-snapshot-stale',
    expect: ['`ingest_lag_seconds` grows and then holds (the ingest backlog stays bounded), and falls back within 15 minutes of the end.'],
  },
];
