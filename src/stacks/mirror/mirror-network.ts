import { Construct } from 'constructs';
import { componentFlows, NetworkPolicyMatrix, Peer, type AppLabels, type PlacedComponent } from '../../lib/index.ts';
import { MIRROR_COMPONENTS, type MirrorConfig } from './model/index.ts';

/** Props of {@link MirrorNetwork}. */
export interface MirrorNetworkProps {
  readonly config: MirrorConfig;
  readonly labels: AppLabels;
  /** The declared components as built; every flow comes from their declarations. */
  readonly components: readonly PlacedComponent[];
}

/**
 * The mirror's network: deny by default, DNS for every pod, and only what the components declare:
 * the CDN's ranges to the gateway's TLS port, Prometheus (in the monitoring namespace) to the
 * exporter's metrics port, the sync job to the object store's ranges on 443. The chart's smoke
 * test brings its own two policies (src/render/helm/chart-files.ts).
 */
export class MirrorNetwork extends Construct {
  public readonly matrix: NetworkPolicyMatrix;

  public constructor(scope: Construct, id: string, props: MirrorNetworkProps) {
    super(scope, id);
    const net = props.config.network;
    this.matrix = new NetworkPolicyMatrix(this, 'Matrix', { labels: props.labels });
    componentFlows(
      this.matrix,
      props.components,
      {
        scraper: Peer.namespace(net.monitoringNamespace, { 'app.kubernetes.io/name': 'prometheus' }),
        cidrs: (name, component) => {
          const list = (net as unknown as Record<string, unknown>)[name];
          if (!Array.isArray(list)) throw new Error(`component "${component}" names network.${name}, which is not a CIDR set of the mirror's model`);
          return Peer.cidrs(list as string[]);
        },
      },
      MIRROR_COMPONENTS.components,
    );
  }
}
