import { Construct } from 'constructs';
import type { PlatformConfig } from './model/index.ts';
import { DisruptionBudget, HorizontalAutoscaler, ImageReference, StatelessService, type AppLabels } from '../../lib/index.ts';
import { PORTS, WEB_HEALTH_PATH } from './ports.ts';

/** Props of {@link Web}. */
export interface WebProps {
  readonly config: PlatformConfig;
  readonly labels: AppLabels;
}

/** CPU utilisation (of the request) the web autoscaler keeps replicas near. */
export const WEB_CPU_TARGET = 70;

/** The Next.js dApp (SSR/ISR), scaled on CPU. Next.js writes its ISR cache under `.next/cache`. */
export class Web extends Construct {
  public readonly workload: StatelessService;

  public constructor(scope: Construct, id: string, props: WebProps) {
    super(scope, id);
    const { config } = props;
    const { image, replicas, maxReplicas, resources } = config.components.web;
    this.workload = new StatelessService(this, 'Workload', {
      name: 'web',
      labels: props.labels.withComponent({ name: 'web', component: 'frontend', version: image.tag }),
      replicas,
      container: {
        image: ImageReference.of(image),
        ports: [PORTS.web],
        resources,
        health: { path: WEB_HEALTH_PATH, port: PORTS.web.name },
        env: [
          { name: 'PORT', value: String(PORTS.web.port) },
          { name: 'NEXT_TELEMETRY_DISABLED', value: '1' },
        ],
        writablePaths: ['/tmp', '/app/.next/cache'],
      },
    });
    if (config.features.autoscaling) {
      new HorizontalAutoscaler(this, 'Autoscaler', {
        target: this.workload,
        minReplicas: replicas,
        maxReplicas,
        metrics: [{ kind: 'cpu', utilization: WEB_CPU_TARGET }],
      });
    }
    if (config.features.podDisruptionBudget) new DisruptionBudget(this, 'Budget', { target: this.workload });
  }
}
