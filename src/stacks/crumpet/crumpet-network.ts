import { Construct } from 'constructs';
import type { PlatformConfig } from './model/index.ts';
import { componentFlows, edgeFlows, NetworkPolicyMatrix, Peer, type AppLabels, type EdgeUpstream, type FlowPort, type PlacedComponent, type Workload } from '../../lib/index.ts';
import { CRUMPET_COMPONENTS } from './model/index.ts';
import { PORTS } from './ports.ts';

/** The workloads whose flows the platform declares. */
export interface CrumpetWorkloads {
  readonly edge: Workload;
  /** The Services the edge's routes lead to, with their ports: the edge may reach these only. */
  readonly edgeUpstreams: readonly EdgeUpstream[];
  /** Every CIN pod: its telemetry sidecars' backends, the snapshot job's calls. */
  readonly cin: Workload;
  /** The declared components, whose flows come from their declarations. */
  readonly components: readonly PlacedComponent[];
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

/**
 * What a pod can reach that is not the internet, per the IANA special-purpose address registries
 * (RFC 6890): excluded from the "internet" peer, so a flow open to the internet never opens the
 * cluster's own networks, the node, or the cloud's metadata service.
 */
const NON_PUBLIC_IPV4 = [
  '0.0.0.0/8', // "this network" (RFC 1122)
  '10.0.0.0/8', // private (RFC 1918)
  '100.64.0.0/10', // shared address space of carrier-grade NAT, used for pod networks by some clusters (RFC 6598)
  '127.0.0.0/8', // loopback (RFC 1122)
  '169.254.0.0/16', // link-local, with the cloud metadata service 169.254.169.254 (RFC 3927)
  '172.16.0.0/12', // private (RFC 1918)
  '192.168.0.0/16', // private (RFC 1918)
  '224.0.0.0/4', // multicast (RFC 5771): no internet peer a pod talks to over TCP or QUIC
  '240.0.0.0/4', // reserved, with the limited broadcast address (RFC 1112, RFC 919)
];

/**
 * The same for IPv6, in dual-stack clusters. Besides the local ranges, the prefixes that embed an
 * IPv4 address (NAT64, 6to4, Teredo) go too: through a translator they reach the IPv4 ranges above.
 */
const NON_PUBLIC_IPV6 = [
  '::/128', // unspecified (RFC 4291)
  '::1/128', // loopback (RFC 4291)
  '::ffff:0:0/96', // IPv4-mapped (RFC 4291)
  '64:ff9b::/96', // NAT64 well-known prefix (RFC 6052)
  '64:ff9b:1::/48', // NAT64 local use (RFC 8215)
  '100::/64', // discard-only (RFC 6666)
  '2001::/32', // Teredo (RFC 4380)
  '2002::/16', // 6to4 (RFC 3056)
  'fc00::/7', // unique local, with cloud metadata services such as fd00:ec2::254 (RFC 4193)
  'fe80::/10', // link-local (RFC 4291)
  'fec0::/10', // site-local, deprecated but still routed by some networks (RFC 3879)
  'ff00::/8', // multicast (RFC 4291)
];

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
    const internet = Peer.cidrs(['0.0.0.0/0', '::/0'], [...NON_PUBLIC_IPV4, ...NON_PUBLIC_IPV6]);

    // The edge, and only the edge, reaches the components its routes lead to.
    edgeFlows(m, w.edge, w.edgeUpstreams, w.components);

    // What the components declare: Prometheus scraping their metrics ports (and no API port), the
    // CIDR sets they admit, their calls of each other and of the model's CIDR sets.
    componentFlows(m, w.components, {
      scraper: prometheus,
      cidrs: (name, component) => {
        if (name === 'internet') return internet;
        const list = (net as unknown as Record<string, unknown>)[name];
        if (!Array.isArray(list)) throw new Error(`component "${component}" calls network.${name}, which is not a CIDR set of the model`);
        return Peer.cidrs(list as string[]);
      },
    }, CRUMPET_COMPONENTS.components);

    // CIN's telemetry sidecars send to Tempo and Loki.
    m.allow(Peer.workload(w.cin), Peer.namespace(net.monitoringNamespace, { 'app.kubernetes.io/name': 'tempo' }), [tcp(config.telemetry.traces.port)]);
    m.allow(Peer.workload(w.cin), Peer.namespace(net.monitoringNamespace, { 'app.kubernetes.io/name': 'loki' }), [tcp(config.telemetry.logs.port)]);

    // Backups: the Kubernetes API (443 on the Service VIP, 6443 once DNAT'ed) and the object store.
    for (const job of w.backupJobs) {
      m.allow(Peer.workload(job), Peer.cidrs(net.apiServerCidrs), [HTTPS, tcp(6443)]);
      m.allow(Peer.workload(job), Peer.cidrs(net.objectStoreCidrs), [HTTPS]);
    }
    m.allow(Peer.workload(w.snapshotJob), Peer.workload(w.cin), [asFlow(PORTS.cinGrpc)]);
  }
}
