import { Construct } from 'constructs';
import { componentFlows, NetworkPolicyMatrix, Peer, type AppLabels, type PlacedComponent, type Workload } from '../../lib/index.ts';
import type { NetworkConfig } from './model/index.ts';
import { STEMEDB_COMPONENTS } from './model/index.ts';
import { HTTP_PORT } from './names.ts';

/** Props of {@link StemedbNetwork}. */
export interface StemedbNetworkProps {
  readonly labels: AppLabels;
  readonly network: NetworkConfig;
  readonly components: readonly PlacedComponent[];
  /** The members, which the ingress controller and the backups reach. */
  readonly members: Workload;
  readonly backupJob: Workload;
}

const HTTPS = { port: 443, protocol: 'TCP' } as const;

/**
 * Deny by default, then exactly the flows StemeDB needs: DNS for every pod, the ingress
 * controller and Prometheus to the members' HTTP port (scraping follows from the declared
 * metrics), the backup job to the members and to the object store over HTTPS.
 */
export class StemedbNetwork extends Construct {
  public readonly matrix: NetworkPolicyMatrix;

  public constructor(scope: Construct, id: string, props: StemedbNetworkProps) {
    super(scope, id);
    const net = props.network;
    const objectStore = Peer.cidrs(net.objectStoreCidrs);
    const m = (this.matrix = new NetworkPolicyMatrix(this, 'Matrix', { labels: props.labels }));
    componentFlows(
      m,
      props.components,
      {
        scraper: Peer.namespace(net.monitoringNamespace, { 'app.kubernetes.io/name': 'prometheus' }),
        cidrs: (name, component) => {
          if (name === 'objectStoreCidrs') return objectStore;
          throw new Error(`component "${component}" names CIDR set "${name}", which the StemeDB model has not (objectStoreCidrs)`);
        },
      },
      STEMEDB_COMPONENTS.components,
    );
    const http = { port: HTTP_PORT.port, protocol: 'TCP' } as const;
    m.allow(Peer.namespace(net.ingressNamespace, net.ingressPodLabels), Peer.workload(props.members), [http]);
    m.allow(Peer.workload(props.backupJob), Peer.workload(props.members), [http]);
    m.allow(Peer.workload(props.backupJob), objectStore, [HTTPS]);
  }
}
