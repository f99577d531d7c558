import { Construct } from 'constructs';
import type { PlatformConfig } from './model/index.ts';
import { DisruptionBudget, ImageReference, MetricsMonitor, StatelessService, type AppLabels } from '../../lib/index.ts';
import { HEALTH_PATH, PORTS } from './ports.ts';

/** Props of {@link Watcher}. */
export interface WatcherProps {
  readonly config: PlatformConfig;
  readonly labels: AppLabels;
}

/** The Secret holding the watcher's ed25519 attestation key (rotated quarterly, spec section 6). */
export const WATCHER_SIGNING_KEY_SECRET = 'watcher-signing-key';

/**
 * Watchers: uptime probes and committee attestations, 0.5 vCPU and 256 MB (spec section 12). The
 * ed25519 key is mounted read-only from a Secret that the secrets provider materializes; the
 * manifests only reference it.
 */
export class Watcher extends Construct {
  public readonly workload: StatelessService;

  public constructor(scope: Construct, id: string, props: WatcherProps) {
    super(scope, id);
    const { image, replicas, resources } = props.config.components.watcher;
    this.workload = new StatelessService(this, 'Workload', {
      name: 'watcher',
      labels: props.labels.withComponent({ name: 'watcher', component: 'watcher', version: image.tag }),
      replicas,
      container: {
        image: ImageReference.of(image),
        ports: [PORTS.watcher],
        resources,
        health: { path: HEALTH_PATH, port: PORTS.watcher.name },
        env: [{ name: 'WATCHER_KEY_FILE', value: '/var/run/secrets/crumpet/signing-key/ed25519.key' }],
        mounts: [{ volume: 'signing-key', path: '/var/run/secrets/crumpet/signing-key' }],
      },
      volumes: [{ name: 'signing-key', secret: { secretName: WATCHER_SIGNING_KEY_SECRET, defaultMode: 0o440 } }],
    });
    if (props.config.features.podDisruptionBudget) new DisruptionBudget(this, 'Budget', { target: this.workload });
    if (props.config.features.serviceMonitor) new MetricsMonitor(this, 'Monitor', { workload: this.workload, port: PORTS.watcher.name });
  }
}
