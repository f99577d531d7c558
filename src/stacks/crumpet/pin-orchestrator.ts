import { Construct } from 'constructs';
import type { PlatformConfig } from './model/index.ts';
import { DisruptionBudget, HorizontalAutoscaler, ImageReference, MetricsMonitor, StatelessService, type AppLabels } from '../../lib/index.ts';
import { HEALTH_PATH, METRICS_ADDRESS_ENV, PORTS } from './ports.ts';

/** Props of {@link PinOrchestrator}. */
export interface PinOrchestratorProps {
  readonly config: PlatformConfig;
  /** Standard labels of the installation; name and component are set here. */
  readonly labels: AppLabels;
}

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
 * sections 2 and 12).
 */
export class PinOrchestrator extends Construct {
  public readonly workload: StatelessService;
  public readonly autoscaler?: HorizontalAutoscaler;

  public constructor(scope: Construct, id: string, props: PinOrchestratorProps) {
    super(scope, id);
    const { config } = props;
    const { image, replicas, maxReplicas, resources } = config.components.pinOrchestrator;
    this.workload = new StatelessService(this, 'Workload', {
      name: 'pin-orchestrator',
      labels: props.labels.withComponent({ name: 'pin-orchestrator', component: 'orchestrator', version: image.tag }),
      replicas,
      container: {
        image: ImageReference.of(image),
        ports: [PORTS.orchestrator, PORTS.metrics],
        resources,
        health: { path: HEALTH_PATH, port: PORTS.orchestrator.name },
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
      // The Service publishes the API only: Prometheus scrapes the metrics port per pod.
      servicePorts: [{ ...PORTS.orchestrator, targetPort: PORTS.orchestrator.name }],
    });
    if (config.features.autoscaling) {
      this.autoscaler = new HorizontalAutoscaler(this, 'Autoscaler', {
        target: this.workload,
        minReplicas: replicas,
        maxReplicas,
        metrics: [{ kind: 'pods', metric: 'pin_jobs_inflight', averageValue: String(INFLIGHT_JOBS_TARGET) }],
      });
    }
    if (config.features.podDisruptionBudget) new DisruptionBudget(this, 'Budget', { target: this.workload });
    if (config.features.serviceMonitor) new MetricsMonitor(this, 'Monitor', { workload: this.workload, port: PORTS.metrics.name, target: 'pod' });
  }
}
