/*
 * Kubernetes NetworkPolicy (networking.k8s.io/v1) semantics, evaluated over parsed manifests, so
 * tests can assert reachability ("the edge reaches CIN on 8080 and nothing else does") instead of
 * the shape of policy YAML, and `npm run diff` can report the flows a change opens or closes.
 *
 * The model is static: one endpoint per workload pod template, standing for all of its pods, plus
 * endpoints the caller declares for pods that live outside the manifests (Prometheus in
 * `monitoring`, CoreDNS in `kube-system`) and bare IP addresses. Policies outside the manifests are
 * unknown and therefore assumed absent: an external endpoint is never isolated unless its namespace
 * has policies among the objects.
 *
 * Deliberate simplifications, all in the direction of the spec's own wording:
 * - `ipBlock` peers match only IP endpoints; pod IPs are not known statically and the spec leaves
 *   ipBlock-to-pod matching to the implementation.
 * - IPv4 and IPv6 addresses are evaluated apart: a block of one family never contains an address
 *   of the other (IPv4-mapped IPv6 addresses are IPv6 addresses here, as on the wire).
 * - A named port matches when the destination pod declares a container port with that name and
 *   protocol whose number is the one asked for.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
import { BlockList, isIP } from 'node:net';
import { list, matchesSelector, podSpecsOf, type KubeObject, type LabelSelector, type StringMap } from './kube-objects.ts';

export type { KubeObject, StringMap } from './kube-objects.ts';

/** Transport protocols NetworkPolicy can filter. */
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** A port a pod listens on, as its containers declare it. */
export interface DeclaredPort {
  readonly name?: string;
  readonly containerPort: number;
  /** @default 'TCP' */
  readonly protocol?: Protocol;
}

/**
 * A pod that is not in the manifests but that traffic comes from or goes to, such as Prometheus
 * in `monitoring`. It is referred to by `{ namespace, name }` like a workload.
 */
export interface ExternalEndpoint {
  readonly namespace: string;
  /** Id within the namespace, used only to refer to the endpoint. */
  readonly name: string;
  readonly podLabels: StringMap;
  /**
   * Labels of its namespace. `kubernetes.io/metadata.name` is always added, as the API server does;
   * a Namespace object in the manifests contributes its labels too.
   * @default {}
   */
  readonly namespaceLabels?: StringMap;
  /** Ports it listens on, needed only to resolve named ports. @default [] */
  readonly ports?: readonly DeclaredPort[];
}

/** A pod group the model knows: one workload template, or one external endpoint. */
export interface Endpoint {
  /** `namespace/name`. */
  readonly id: string;
  /** Workload kind, or `External` for caller-declared endpoints. */
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly podLabels: StringMap;
  readonly namespaceLabels: StringMap;
  /** Declared container ports, protocol defaulted; `name` is empty for unnamed ports. */
  readonly ports: readonly Required<DeclaredPort>[];
}

/**
 * How tests name an endpoint: `'namespace/name'`, or `{ namespace, name }` with an optional
 * `kind` to pick one of two workloads that share a name.
 */
export type EndpointRef = string | { readonly namespace: string; readonly name: string; readonly kind?: string };

/** A bare IP address, for traffic to or from outside the cluster: IPv4 dotted quad or IPv6 hex groups. */
export interface IpRef {
  readonly ip: string;
}

/** One direction's view of a connection: the source's egress or the destination's ingress. */
export interface SideVerdict {
  /** False when this end is an IP address, which no NetworkPolicy governs. */
  readonly governed: boolean;
  /** `namespace/name` of the policies that select this end for this direction. */
  readonly isolatedBy: readonly string[];
  /** `namespace/name ingress[i]` (or `egress[i]`) of every rule that admits the connection. */
  readonly allowedBy: readonly string[];
  readonly allowed: boolean;
}

/** The full decision for one connection, with the policies behind it. */
export interface FlowVerdict {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly protocol: Protocol;
  /** Both sides allow it: the source may send (egress) and the destination may receive (ingress). */
  readonly allowed: boolean;
  readonly egress: SideVerdict;
  readonly ingress: SideVerdict;
}

/** An allowed connection in a flow matrix. */
export interface FlowEdge {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly protocol: Protocol;
}

/** A port to probe in {@link FlowModel.matrix}: a number or a name resolved per destination. */
export interface PortQuery {
  readonly port: number | string;
  /** @default 'TCP' */
  readonly protocol?: Protocol;
}

/**
 * The cluster DNS, present in every model unless the caller declares `kube-system/kube-dns`
 * itself. Labels and port names are CoreDNS's as kubeadm and most distributions deploy it.
 */
export const KUBE_DNS: ExternalEndpoint = {
  namespace: 'kube-system',
  name: 'kube-dns',
  podLabels: { 'k8s-app': 'kube-dns' },
  ports: [
    { name: 'dns', containerPort: 53, protocol: 'UDP' },
    { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
  ],
};

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

interface PolicyPeer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
}

interface PolicyPort {
  readonly port?: number | string;
  readonly endPort?: number;
  readonly protocol?: Protocol;
}

interface PolicyRule {
  readonly from?: readonly PolicyPeer[];
  readonly to?: readonly PolicyPeer[];
  readonly ports?: readonly PolicyPort[];
}

interface NetworkPolicySpec {
  readonly podSelector?: LabelSelector;
  readonly policyTypes?: readonly string[];
  readonly ingress?: readonly PolicyRule[];
  readonly egress?: readonly PolicyRule[];
}

type Direction = 'ingress' | 'egress';

/** A policy with its defaults applied. */
interface Policy {
  readonly id: string;
  readonly namespace: string;
  readonly podSelector: LabelSelector;
  /** Rules per direction the policy isolates; absent when it does not isolate that direction. */
  readonly rules: { readonly [D in Direction]?: readonly PolicyRule[] };
}

/** A resolved end of a connection: a known pod group or an IP address. */
type Party = { readonly endpoint: Endpoint } | { readonly ip: Address; readonly text: string };

/** An IP address with its family. */
interface Address {
  readonly family: 4 | 6;
  readonly text: string;
}

/** Code-unit order: the same in every locale, so a matrix sorts the same everywhere. */
const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The family of an address or block base, 0 when `text` is neither (Node's `isIP`). */
const familyOf = (text: string): 0 | 4 | 6 => isIP(text) as 0 | 4 | 6;

function parseAddress(text: string): Address | undefined {
  const family = familyOf(text);
  return family === 0 ? undefined : { family, text };
}

/** Node's own matcher, one per block, so the model does not share its arithmetic with the code under test. */
const blocks = new Map<string, { family: 4 | 6; list: BlockList } | null>();

function blockOf(cidr: string): { family: 4 | 6; list: BlockList } | null {
  const known = blocks.get(cidr);
  if (known !== undefined) return known;
  const [base = '', bits] = cidr.split('/');
  const family = familyOf(base);
  const width = family === 4 ? 32 : 128;
  const prefix = Number(bits ?? width);
  let block: { family: 4 | 6; list: BlockList } | null = null;
  if (family !== 0 && Number.isInteger(prefix) && prefix >= 0 && prefix <= width) {
    const list = new BlockList();
    list.addSubnet(base, prefix, family === 4 ? 'ipv4' : 'ipv6');
    block = { family, list };
  }
  blocks.set(cidr, block);
  return block;
}

function cidrContains(cidr: string, ip: Address): boolean {
  const block = blockOf(cidr);
  // A block of the other family cannot contain the address (BlockList would match IPv4-mapped
  // IPv6 addresses against IPv4 blocks; on the wire they are IPv6).
  return block !== null && block.family === ip.family && block.list.check(ip.text, ip.family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Whether the address `ip` (IPv4 or IPv6 text) lies in `cidr`, with the semantics the model gives
 * ipBlocks; throws when `ip` is not an address.
 */
export function addressInCidr(ip: string, cidr: string): boolean {
  const address = parseAddress(ip);
  if (address === undefined) throw new Error(`not an IPv4 or IPv6 address: ${JSON.stringify(ip)}`);
  return cidrContains(cidr, address);
}

function endpointOf(party: Party): Endpoint | undefined {
  return 'endpoint' in party ? party.endpoint : undefined;
}

function partyName(party: Party): string {
  return 'endpoint' in party ? party.endpoint.id : party.text;
}

/**
 * NetworkPolicy semantics over a set of manifests.
 *
 * A connection from A to B on a port is allowed iff B's ingress admits it (B is not selected by
 * any Ingress policy of its namespace, or some ingress rule of such a policy matches A and the
 * port) and A's egress admits it (the same, with Egress policies of A's namespace and B).
 */
export class FlowModel {
  private readonly workloadList: readonly Endpoint[];
  private readonly endpointList: readonly Endpoint[];
  private readonly policies: readonly Policy[];

  /**
   * @param objects every object of the output: workloads, Namespaces and NetworkPolicies are used,
   *   the rest is ignored.
   * @param external pods outside the manifests; {@link KUBE_DNS} is added unless overridden.
   */
  constructor(objects: readonly KubeObject[], external: readonly ExternalEndpoint[] = []) {
    const withDns = external.some((e) => e.namespace === KUBE_DNS.namespace && e.name === KUBE_DNS.name)
      ? external
      : [...external, KUBE_DNS];
    const namespaceLabels = FlowModel.namespaceLabels(objects, withDns);
    const labelsOf = (ns: string): StringMap => ({ ...namespaceLabels.get(ns), [NAMESPACE_NAME_LABEL]: ns });

    const workloads: Endpoint[] = objects.flatMap((obj) =>
      podSpecsOf(obj).map((template) => {
        const namespace = obj.metadata?.namespace ?? 'default';
        const containers = [...list(template.spec.containers), ...list(template.spec.initContainers)];
        return {
          id: `${namespace}/${obj.metadata?.name ?? '?'}`,
          kind: obj.kind ?? '?',
          namespace,
          name: obj.metadata?.name ?? '?',
          podLabels: template.labels,
          namespaceLabels: labelsOf(namespace),
          ports: containers.flatMap((c) =>
            list(c.ports).flatMap((p) =>
              typeof p.containerPort === 'number'
                ? [{ name: p.name ?? '', containerPort: p.containerPort, protocol: (p.protocol ?? 'TCP') as Protocol }]
                : [],
            ),
          ),
        };
      }),
    );
    const externals: Endpoint[] = withDns.map((e) => ({
      id: `${e.namespace}/${e.name}`,
      kind: 'External',
      namespace: e.namespace,
      name: e.name,
      podLabels: e.podLabels,
      namespaceLabels: labelsOf(e.namespace),
      ports: list(e.ports).map((p) => ({ name: p.name ?? '', containerPort: p.containerPort, protocol: p.protocol ?? 'TCP' })),
    }));
    this.workloadList = workloads;
    this.endpointList = [...workloads, ...externals];
    this.policies = objects.filter((o) => o.kind === 'NetworkPolicy').map((o) => FlowModel.parsePolicy(o));
  }

  /** Labels per namespace: Namespace objects first, then what external endpoints declare. */
  private static namespaceLabels(objects: readonly KubeObject[], external: readonly ExternalEndpoint[]): Map<string, StringMap> {
    const labels = new Map<string, StringMap>();
    const add = (ns: string, more: StringMap | undefined): void => {
      labels.set(ns, { ...labels.get(ns), ...more });
    };
    for (const obj of objects) {
      if (obj.kind === 'Namespace' && obj.metadata?.name) add(obj.metadata.name, obj.metadata.labels);
    }
    for (const e of external) add(e.namespace, e.namespaceLabels);
    return labels;
  }

  /** Applies the API server's defaults: policyTypes is Ingress, plus Egress when egress rules exist. */
  private static parsePolicy(obj: KubeObject): Policy {
    const spec = (obj['spec'] ?? {}) as NetworkPolicySpec;
    const egressRules = list(spec.egress);
    const types = spec.policyTypes ?? (egressRules.length > 0 ? ['Ingress', 'Egress'] : ['Ingress']);
    return {
      id: `${obj.metadata?.namespace ?? 'default'}/${obj.metadata?.name ?? '?'}`,
      namespace: obj.metadata?.namespace ?? 'default',
      // The field is required by the API; treating a missing one as empty selects every pod.
      podSelector: spec.podSelector ?? {},
      rules: {
        ...(types.includes('Ingress') ? { ingress: list(spec.ingress) } : {}),
        ...(types.includes('Egress') ? { egress: egressRules } : {}),
      },
    };
  }

  /** Every workload pod template in the manifests. */
  workloads(): Endpoint[] {
    return [...this.workloadList];
  }

  /** Workloads plus external endpoints (including {@link KUBE_DNS}). */
  endpoints(): Endpoint[] {
    return [...this.endpointList];
  }

  /** The endpoint a reference names; throws listing the known ids when there is none or several. */
  endpoint(ref: EndpointRef): Endpoint {
    const { namespace, name, kind } = typeof ref === 'string' ? FlowModel.splitId(ref) : ref;
    const found = this.endpointList.filter((e) => e.namespace === namespace && e.name === name && (kind === undefined || e.kind === kind));
    if (found.length === 1) return found[0]!;
    const known = this.endpointList.map((e) => `${e.kind} ${e.id}`).join(', ');
    throw new Error(
      found.length === 0
        ? `no endpoint ${namespace}/${name}${kind ? ` of kind ${kind}` : ''}; known: ${known}`
        : `${namespace}/${name} is ambiguous (${found.map((e) => e.kind).join(', ')}); pass a kind`,
    );
  }

  private static splitId(id: string): { namespace: string; name: string; kind?: string } {
    const slash = id.indexOf('/');
    if (slash < 0) throw new Error(`endpoint id must be "namespace/name", got ${JSON.stringify(id)}`);
    return { namespace: id.slice(0, slash), name: id.slice(slash + 1) };
  }

  private party(ref: EndpointRef | IpRef): Party {
    if (typeof ref === 'object' && 'ip' in ref) {
      const ip = parseAddress(ref.ip);
      if (ip === undefined) throw new Error(`not an IPv4 or IPv6 address: ${JSON.stringify(ref.ip)}`);
      return { ip, text: ref.ip };
    }
    return { endpoint: this.endpoint(ref) };
  }

  /**
   * Whether `from` may open a connection to `to` on `port`.
   * @param port a number, or a port name declared by the destination's containers
   * @param protocol @default 'TCP'
   */
  allows(from: EndpointRef | IpRef, to: EndpointRef | IpRef, port: number | string, protocol: Protocol = 'TCP'): boolean {
    return this.verdict(from, to, port, protocol).allowed;
  }

  /** Whether `from` can resolve names: UDP and TCP 53 to the cluster DNS. */
  allowsDns(from: EndpointRef): boolean {
    const dns = `${KUBE_DNS.namespace}/${KUBE_DNS.name}`;
    return this.allows(from, dns, 53, 'UDP') && this.allows(from, dns, 53, 'TCP');
  }

  /** The decision for one connection and the policies and rules that made it. */
  verdict(from: EndpointRef | IpRef, to: EndpointRef | IpRef, port: number | string, protocol: Protocol = 'TCP'): FlowVerdict {
    const dst = this.party(to);
    const portNumber = typeof port === 'number' ? port : FlowModel.resolveNamedPort(dst, port, protocol);
    return this.decide(this.party(from), dst, portNumber, protocol);
  }

  private decide(src: Party, dst: Party, port: number, protocol: Protocol): FlowVerdict {
    const egress = this.side('egress', src, dst, dst, port, protocol);
    const ingress = this.side('ingress', dst, src, dst, port, protocol);
    return { from: partyName(src), to: partyName(dst), port, protocol, allowed: egress.allowed && ingress.allowed, egress, ingress };
  }

  /** A readable account of {@link verdict}, for assertion messages. */
  explain(from: EndpointRef | IpRef, to: EndpointRef | IpRef, port: number | string, protocol: Protocol = 'TCP'): string {
    const v = this.verdict(from, to, port, protocol);
    const side = (label: string, s: SideVerdict): string => {
      if (!s.governed) return `  ${label}: not a pod, no policy applies`;
      if (s.isolatedBy.length === 0) return `  ${label}: not isolated, allowed`;
      const by = s.allowedBy.length > 0 ? `allowed by ${s.allowedBy.join(', ')}` : 'no rule allows it';
      return `  ${label}: isolated by ${s.isolatedBy.join(', ')}; ${by}`;
    };
    return [
      `${v.from} -> ${v.to} ${v.port}/${v.protocol}: ${v.allowed ? 'ALLOWED' : 'DENIED'}`,
      side(`egress of ${v.from}`, v.egress),
      side(`ingress of ${v.to}`, v.ingress),
    ].join('\n');
  }

  /**
   * Every allowed connection with a workload on at least one end (self included: replicas of one
   * workload talk to each other), sorted. Pairs of two external endpoints are left out, since the
   * manifests say nothing about them. Without `ports`, each destination is probed on the ports
   * its containers declare; named ports a destination does not declare are skipped for it.
   */
  matrix(ports?: readonly PortQuery[]): FlowEdge[] {
    const edges: FlowEdge[] = [];
    for (const to of this.endpointList) {
      const queries: readonly { port: number; protocol: Protocol }[] = (
        ports ?? to.ports.map((p) => ({ port: p.containerPort, protocol: p.protocol }))
      ).flatMap((q) => {
        const protocol = q.protocol ?? 'TCP';
        if (typeof q.port === 'number') return [{ port: q.port, protocol }];
        const declared = to.ports.find((p) => p.name === q.port && p.protocol === protocol);
        return declared ? [{ port: declared.containerPort, protocol }] : [];
      });
      const unique = [...new Map(queries.map((q) => [`${q.port}/${q.protocol}`, q])).values()];
      const toWorkload = this.workloadList.includes(to);
      for (const from of this.endpointList) {
        if (!toWorkload && !this.workloadList.includes(from)) continue;
        for (const q of unique) {
          if (this.decide({ endpoint: from }, { endpoint: to }, q.port, q.protocol).allowed) edges.push({ from: from.id, to: to.id, ...q });
        }
      }
    }
    return edges.sort(
      (a, b) => order(a.from, b.from) || order(a.to, b.to) || a.port - b.port || order(a.protocol, b.protocol),
    );
  }

  private static resolveNamedPort(dst: Party, name: string, protocol: Protocol): number {
    const declared = endpointOf(dst)?.ports.find((p) => p.name === name && p.protocol === protocol);
    if (!declared) throw new Error(`${partyName(dst)} declares no ${protocol} port named ${JSON.stringify(name)}`);
    return declared.containerPort;
  }

  /**
   * One end's view: `subject` is the pod whose policies apply (source for egress, destination for
   * ingress), `peer` the other end; `dst` is always the destination, since named ports in both
   * directions refer to the destination's ports.
   */
  private side(direction: Direction, subject: Party, peer: Party, dst: Party, port: number, protocol: Protocol): SideVerdict {
    const pod = endpointOf(subject);
    if (!pod) return { governed: false, isolatedBy: [], allowedBy: [], allowed: true };
    const isolating = this.policies.filter(
      (p) => p.namespace === pod.namespace && p.rules[direction] !== undefined && matchesSelector(p.podSelector, pod.podLabels),
    );
    const allowedBy = isolating.flatMap((policy) =>
      (policy.rules[direction] ?? []).flatMap((rule, i) => {
        const peers = direction === 'ingress' ? rule.from : rule.to;
        const peerOk = list(peers).length === 0 || list(peers).some((p) => FlowModel.peerMatches(p, policy.namespace, peer));
        const portOk = list(rule.ports).length === 0 || list(rule.ports).some((p) => FlowModel.portMatches(p, dst, port, protocol));
        return peerOk && portOk ? [`${policy.id} ${direction}[${i}]`] : [];
      }),
    );
    return {
      governed: true,
      isolatedBy: isolating.map((p) => p.id),
      allowedBy,
      allowed: isolating.length === 0 || allowedBy.length > 0,
    };
  }

  private static peerMatches(peer: PolicyPeer, policyNamespace: string, party: Party): boolean {
    if ('ip' in party) {
      const { ip } = party;
      return peer.ipBlock !== undefined && cidrContains(peer.ipBlock.cidr, ip) && !list(peer.ipBlock.except).some((c) => cidrContains(c, ip));
    }
    const pod = party.endpoint;
    if (peer.podSelector === undefined && peer.namespaceSelector === undefined) return false;
    // Without a namespaceSelector a podSelector is scoped to the policy's own namespace.
    const namespaceOk = peer.namespaceSelector
      ? matchesSelector(peer.namespaceSelector, pod.namespaceLabels)
      : pod.namespace === policyNamespace;
    return namespaceOk && matchesSelector(peer.podSelector ?? {}, pod.podLabels);
  }

  private static portMatches(rule: PolicyPort, dst: Party, port: number, protocol: Protocol): boolean {
    if ((rule.protocol ?? 'TCP') !== protocol) return false;
    if (rule.port === undefined) return true;
    if (typeof rule.port === 'string') {
      const declared = endpointOf(dst)?.ports.find((p) => p.name === rule.port && p.protocol === protocol);
      return declared?.containerPort === port;
    }
    return rule.endPort === undefined ? rule.port === port : port >= rule.port && port <= rule.endPort;
  }
}

/** One line per edge, `from -> to port/protocol`, for readable matrix assertions and diffs. */
export function formatFlows(edges: readonly FlowEdge[]): string[] {
  return edges.map((e) => `${e.from} -> ${e.to} ${e.port}/${e.protocol}`);
}
