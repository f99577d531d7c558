import { Construct } from 'constructs';
import type { WorkloadConfig } from '../config/index.ts';
import { ImageReference, StatelessService, type AppLabels } from '../lib/index.ts';

/** Props of {@link PinOrchestrator}. */
export interface PinOrchestratorProps {
  /** Image, replicas and resources from the environment's model. */
  readonly config: WorkloadConfig;
  /** Standard labels of the installation; name and component are set here. */
  readonly labels: AppLabels;
}

/** REST port of the orchestrator (spec section 2). */
export const PIN_ORCHESTRATOR_PORT = 7070;

/**
 * The pinning orchestrator (multi-pin quorum): REST on 7070, health on `/v1/health`, 1 vCPU and
 * 512 MB per replica (spec sections 2 and 12).
 */
export class PinOrchestrator extends Construct {
  public readonly workload: StatelessService;

  public constructor(scope: Construct, id: string, props: PinOrchestratorProps) {
    super(scope, id);
    const { image, replicas, resources } = props.config;
    this.workload = new StatelessService(this, 'Workload', {
      name: 'pin-orchestrator',
      labels: props.labels.withComponent({ name: 'pin-orchestrator', component: 'orchestrator', version: image.tag }),
      image: ImageReference.of(image),
      replicas,
      ports: [{ name: 'http', port: PIN_ORCHESTRATOR_PORT }],
      resources: { requests: { ...resources.requests }, limits: { ...resources.limits } },
      health: { path: '/v1/health', port: 'http' },
    });
  }
}
