import { statelessComponent } from '../../../lib/index.ts';
import { counterRatio, Dashboard, Panel, perSecond, quantileBy, Target } from '../../../observability/index.ts';
import { SPEC_RESOURCES } from '../model/defaults.ts';
import type { PlatformConfig } from '../model/types.ts';
import { HEALTH_PATH, METRICS_ADDRESS_ENV, PORTS } from '../ports.ts';

/** Secrets the orchestrator reads: its ed25519 signing key and the pinning services' tokens. */
export const PIN_ORCHESTRATOR_SECRETS = {
  signingKey: 'pin-orchestrator-signing-key',
  psaTokens: 'pin-orchestrator-psa-tokens',
} as const;

/**
 * Jobs in flight per replica the autoscaler aims for: a replica handles about 20 concurrent
 * jobs (spec section 12), so scale out at 15 to keep headroom.
 */
export const INFLIGHT_JOBS_TARGET = 15;

/**
 * The pinning orchestrator (multi-pin quorum): REST on 7070, `/metrics` on a port of its own,
 * health on `/v1/health`, 1 vCPU and 512 MB per replica, scaled on `pin_jobs_inflight` (spec
 * sections 2, 7, 8 and 12).
 */
export default statelessComponent<PlatformConfig>({
  name: 'pin-orchestrator',
  role: 'orchestrator',
  ports: { http: { port: PORTS.orchestrator.port, healthPath: HEALTH_PATH }, metrics: { port: PORTS.metrics.port } },
  defaults: { replicas: 2, maxReplicas: 6, resources: SPEC_RESOURCES.pinOrchestrator },
  autoscaling: { metrics: [{ kind: 'pods', metric: 'pin_jobs_inflight', averageValue: INFLIGHT_JOBS_TARGET }] },
  container: {
    health: { path: HEALTH_PATH, port: 'http' },
    env: [
      { name: 'PSA_TOKENS_DIR', value: '/var/run/secrets/crumpet/psa' },
      { name: METRICS_ADDRESS_ENV, value: `:${PORTS.metrics.port}` },
    ],
    mounts: [
      { volume: 'signing-key', path: '/var/run/secrets/crumpet/signing-key' },
      { volume: 'psa-tokens', path: '/var/run/secrets/crumpet/psa' },
    ],
  },
  volumes: [
    { name: 'signing-key', secret: { secretName: PIN_ORCHESTRATOR_SECRETS.signingKey, defaultMode: 0o440 } },
    { name: 'psa-tokens', secret: { secretName: PIN_ORCHESTRATOR_SECRETS.psaTokens, defaultMode: 0o440 } },
  ],
  secrets: [
    { name: PIN_ORCHESTRATOR_SECRETS.psaTokens, keys: ['tokens.json'] },
    { name: PIN_ORCHESTRATOR_SECRETS.signingKey, keys: ['ed25519.key'] },
  ],
  routes: [{ name: 'pins', prefix: '/v1/pins', port: 'http', timeout: '30s' }],
  calls: [
    { cidrs: 'pinningServiceCidrs', ports: [{ port: 443 }] },
    { component: 'kubo', port: 'api', whileItRuns: true },
  ],
  metrics: {
    port: 'metrics',
    catalogue: [
      { name: 'pin_jobs_total', type: 'counter', labels: ['result'], help: 'Finished pin jobs by result (success, failure, timeout).' },
      { name: 'pin_jobs_inflight', type: 'gauge', labels: [], help: 'Pin jobs in progress.' },
      { name: 'pin_ack_count', type: 'histogram', labels: [], help: 'Pinning service acknowledgements per finished job.' },
      { name: 'backend_latency_ms', type: 'histogram', labels: ['backend'], help: 'Pinning service call latency in milliseconds, by backend.' },
      { name: 'backend_errors_total', type: 'counter', labels: ['backend'], help: 'Failed pinning service calls, by backend.' },
    ],
  },
  alerts: [
    {
      name: 'PinJobTimeouts',
      query: 'sum by (namespace) (rate(pin_jobs_total{result="timeout"}[5m])) / sum by (namespace) (rate(pin_jobs_total[5m]))',
      op: '>',
      threshold: 0.2,
      for: '15m',
      priority: 'P1',
      summary: 'More than 20% of pin jobs time out',
      description: 'Over the last 15 minutes more than 20% of the orchestrator pin jobs ended in a timeout.',
      runbook: 'r3-pinning-timeouts',
      series: (v, _t, steps) => counterRatio('pin_jobs_total{result="timeout"}', 'pin_jobs_total{result="success"}', v, steps),
      warmupSeconds: 60,
    },
  ],
  dashboard: {
    uid: 'crumpet-orchestrator',
    build: (uid) =>
      new Dashboard({ uid, title: 'Crumpet / Orchestrator', tags: ['crumpet', 'pin-orchestrator'] }).add(
        new Panel({
          title: 'Job success rate',
          type: 'stat',
          unit: 'percentunit',
          targets: [Target.query(`sum(${perSecond('pin_jobs_total{result="success"}')}) / sum(${perSecond('pin_jobs_total')})`)],
        }),
        new Panel({ title: 'Jobs by result', type: 'timeseries', unit: 'ops', alerts: ['PinJobTimeouts'], targets: [Target.query(`sum by (result) (${perSecond('pin_jobs_total')})`, '{{result}}')] }),
        new Panel({ title: 'Acks histogram', type: 'heatmap', width: 24, targets: [Target.buckets(`sum by (le) (increase(pin_ack_count_bucket[$__rate_interval]))`)] }),
        new Panel({ title: 'Backend latency p95', type: 'timeseries', unit: 'ms', targets: [Target.query(quantileBy(0.95, 'backend_latency_ms', 'backend'), '{{backend}}')] }),
        new Panel({ title: 'Backend errors', type: 'timeseries', unit: 'ops', targets: [Target.query(`sum by (backend) (${perSecond('backend_errors_total')})`, '{{backend}}')] }),
      ),
  },
  chart: {
    description: 'Crumpet pinning orchestrator: multi-pin quorum over remote pinning services',
    smokeTest: { port: 'http', path: HEALTH_PATH },
  },
});
