import { Construct } from 'constructs';
import type { PlatformConfig } from './model/index.ts';
import { DisruptionBudget, ImageReference, StatefulService, type AppLabels } from '../../lib/index.ts';
import { PORTS } from './ports.ts';

/** Props of {@link Kubo}. */
export interface KuboProps {
  readonly config: PlatformConfig;
  readonly labels: AppLabels;
}

/**
 * An in-cluster IPFS Kubo node (optional, `features.kubo`): RPC API on 5001 for this namespace
 * only, swarm on 4001 over TCP and QUIC, its repository on a per-pod volume.
 */
export class Kubo extends Construct {
  public readonly workload: StatefulService;

  public constructor(scope: Construct, id: string, props: KuboProps) {
    super(scope, id);
    const { config } = props;
    const kubo = config.components.kubo;
    this.workload = new StatefulService(this, 'Workload', {
      name: 'kubo',
      labels: props.labels.withComponent({ name: 'kubo', component: 'ipfs', version: kubo.image.tag }),
      replicas: kubo.replicas,
      container: {
        image: ImageReference.of(kubo.image),
        ports: [PORTS.kuboApi, PORTS.kuboSwarmTcp, PORTS.kuboSwarmUdp],
        resources: kubo.resources,
        // Kubo has no GET health endpoint: its API accepting connections is the signal. A first
        // start initialises the repository, and an upgrade may migrate it: allow five minutes.
        health: { port: PORTS.kuboApi.name, startupSeconds: 300 },
        env: [
          { name: 'IPFS_PATH', value: '/data/ipfs' },
          { name: 'IPFS_PROFILE', value: 'server' },
        ],
      },
      volumeClaims: [{ name: 'repo', size: kubo.storage, storageClassName: config.storage.storageClassName, mountPath: '/data/ipfs' }],
    });
    if (config.features.podDisruptionBudget) new DisruptionBudget(this, 'Budget', { target: this.workload });
  }
}
