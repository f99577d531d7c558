import { Construct } from 'constructs';
import type { PlatformConfig } from '../config/index.ts';
import { NetworkPolicyMatrix, Peer, type AppLabels, type FlowPort, type Workload } from '../lib/index.ts';
import type { EdgeUpstream } from './edge-routes.ts';
import { PORTS } from './ports.ts';

/** The workloads whose flows the platform declares. */
export interface CrumpetWorkloads {
  readonly edge: Workload;
  /** The Services the edge's routes lead to, with their ports: the edge may reach these only. */
  readonly edgeUpstreams: readonly EdgeUpstream[];
  readonly web: Workload;
  readonly cin: Workload;
  readonly orchestrator: Workload;
  readonly watcher: Workload;
  /** Present when `features.kubo` is on. */
  readonly kubo?: Workload;
  /** Jobs that talk to the Kubernetes API and the object store. */
  readonly backupJobs: readonly Workload[];
  /** The index snapshot job, which asks each CIN node over gRPC to upload its snapshot. */
  readonly snapshotJob: Workload;
}

/** Props of {@link CrumpetNetwork}. */
export interface CrumpetNetworkProps {
  readonly config: PlatformConfig;
  readonly labels: AppLabels;
  readonly workloads: CrumpetWorkloads;
}

/** Private address ranges, excluded from "the internet" peers. */
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];
const HTTPS: FlowPort = { port: 443 };

const tcp = (port: number): FlowPort => ({ port });
const asFlow = (p: { port: number; protocol?: 'TCP' | 'UDP' }): FlowPort => ({ port: p.port, protocol: p.protocol ?? 'TCP' });

/**
 * Crumpet's network (spec section 11): deny by default, DNS for everyone, only the Envoy edge
 * reaches the backends, CIN egress limited to RPC endpoints, IPFS gateways and known peers,
 * Prometheus in the monitoring namespace scrapes the metrics ports.
 */
export class CrumpetNetwork extends Construct {
  public readonly matrix: NetworkPolicyMatrix;

  public constructor(scope: Construct, id: string, props: CrumpetNetworkProps) {
    super(scope, id);
    const { config, workloads: w } = props;
    const net = config.network;
    const m = (this.matrix = new NetworkPolicyMatrix(this, 'Matrix', { labels: props.labels }));
    const prometheus = Peer.namespace(net.monitoringNamespace, { 'app.kubernetes.io/name': 'prometheus' });
    const internet = Peer.cidrs(['0.0.0.0/0'], PRIVATE_RANGES);

    // The public edge, and only the edge, reaches the backends its routes lead to.
    m.allow(internet, Peer.workload(w.edge), [asFlow(PORTS.edgeHttps), asFlow(PORTS.edgeQuic)]);
    // CIN as a whole: every language serves the same ports, and a language added changes no policy.
    const backends = new Map<string, { workload: Workload; ports: Map<number, FlowPort> }>();
    for (const u of w.edgeUpstreams) {
      const workload = u.backend === 'cin-http' || u.backend === 'cin-grpc' ? w.cin : u.workload;
      const entry = backends.get(workload.name) ?? { workload, ports: new Map<number, FlowPort>() };
      entry.ports.set(u.containerPort.port, asFlow(u.containerPort));
      backends.set(workload.name, entry);
    }
    for (const b of backends.values()) m.allow(Peer.workload(w.edge), Peer.workload(b.workload), [...b.ports.values()]);

    // Prometheus scrapes every metrics port.
    m.allow(prometheus, Peer.workload(w.cin), [asFlow(PORTS.cinHttp)]);
    m.allow(prometheus, Peer.workload(w.orchestrator), [asFlow(PORTS.orchestrator)]);
    m.allow(prometheus, Peer.workload(w.watcher), [asFlow(PORTS.watcher)]);
    m.allow(prometheus, Peer.workload(w.edge), [asFlow(PORTS.edgeStats)]);

    // CIN: chain RPC, IPFS gateways, libp2p peers both ways, its telemetry sidecars' backends.
    m.allow(Peer.workload(w.cin), Peer.cidrs(net.rpcEndpointCidrs), [HTTPS]);
    m.allow(Peer.workload(w.cin), Peer.cidrs(net.ipfsGatewayCidrs), [HTTPS]);
    m.allow(Peer.workload(w.cin), Peer.cidrs(net.peerCidrs), [asFlow(PORTS.cinP2p)]);
    m.allow(Peer.cidrs(net.peerCidrs), Peer.workload(w.cin), [asFlow(PORTS.cinP2p)]);
    m.allow(Peer.workload(w.cin), Peer.namespace(net.monitoringNamespace, { 'app.kubernetes.io/name': 'tempo' }), [tcp(config.telemetry.traces.port)]);
    m.allow(Peer.workload(w.cin), Peer.namespace(net.monitoringNamespace, { 'app.kubernetes.io/name': 'loki' }), [tcp(config.telemetry.logs.port)]);

    // The orchestrator pins to the remote pinning services; the watchers read the chain and probe
    // public nodes over HTTPS.
    m.allow(Peer.workload(w.orchestrator), Peer.cidrs(net.pinningServiceCidrs), [HTTPS]);
    m.allow(Peer.workload(w.watcher), Peer.cidrs(net.rpcEndpointCidrs), [HTTPS]);
    m.allow(Peer.workload(w.watcher), internet, [HTTPS]);

    if (w.kubo) {
      const swarm = [asFlow(PORTS.kuboSwarmTcp), asFlow(PORTS.kuboSwarmUdp)];
      // Kubo is optional: its clients' egress to it is Kubo's, so their own policies do not change.
      m.allow(Peer.workload(w.cin), Peer.workload(w.kubo), [asFlow(PORTS.kuboApi)], { egressOwner: w.kubo });
      m.allow(Peer.workload(w.orchestrator), Peer.workload(w.kubo), [asFlow(PORTS.kuboApi)], { egressOwner: w.kubo });
      m.allow(Peer.cidrs(net.peerCidrs), Peer.workload(w.kubo), swarm);
      m.allow(Peer.workload(w.kubo), internet, swarm);
    }

    // Backups: the Kubernetes API (443 on the Service VIP, 6443 once DNAT'ed) and the object store.
    for (const job of w.backupJobs) {
      m.allow(Peer.workload(job), Peer.cidrs(net.apiServerCidrs), [HTTPS, tcp(6443)]);
      m.allow(Peer.workload(job), Peer.cidrs(net.objectStoreCidrs), [HTTPS]);
    }
    m.allow(Peer.workload(w.snapshotJob), Peer.workload(w.cin), [asFlow(PORTS.cinGrpc)]);
  }
}
