import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyEgressRule } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyEgressRule';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort';
import type { AppLabels } from './labels.ts';
import { typedApiObject } from './_api-object.ts';
import { Cidr } from './values/index.ts';
import type { Workload } from './_workload-parts.ts';

/** One end of an allowed flow. */
export type Peer =
  | { readonly kind: 'workload'; readonly workload: Workload }
  | { readonly kind: 'namespace'; readonly namespace: string; readonly podLabels?: Readonly<Record<string, string>> }
  | { readonly kind: 'cidrs'; readonly cidrs: readonly string[]; readonly except?: readonly string[] };

export const Peer = {
  /** The pods of a workload in the policy's namespace. */
  workload: (workload: Workload): Peer => ({ kind: 'workload', workload }),
  /** Pods of another namespace, optionally only those with the given labels. */
  namespace: (namespace: string, podLabels?: Readonly<Record<string, string>>): Peer => ({
    kind: 'namespace',
    namespace,
    ...(podLabels ? { podLabels } : {}),
  }),
  /**
   * Addresses outside the cluster, IPv4 or IPv6, minus the `except` ranges. Each CIDR is one
   * ipBlock whose `except` holds the ranges that lie inside it, so one list of exclusions serves
   * blocks of both families.
   */
  cidrs: (cidrs: readonly string[], except?: readonly string[]): Peer => ({ kind: 'cidrs', cidrs, ...(except ? { except } : {}) }),
};

/** A destination port. */
export interface FlowPort {
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
}

/** The cluster DNS as kubeadm and most distributions run it: CoreDNS pods `k8s-app: kube-dns` in kube-system, port 53. */
const CLUSTER_DNS = {
  namespace: 'kube-system',
  podLabels: { 'k8s-app': 'kube-dns' },
  ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
} as const;

/** A NetworkPolicy egress rule to {@link CLUSTER_DNS}. */
export function clusterDnsEgress(): INetworkPolicyEgressRule {
  return {
    to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': CLUSTER_DNS.namespace } }, podSelector: { matchLabels: { ...CLUSTER_DNS.podLabels } } }],
    ports: CLUSTER_DNS.ports.map((p) => ({ ...p })),
  };
}

/** Props of {@link NetworkPolicyMatrix}. */
export interface NetworkPolicyMatrixProps {
  /** Labels of the installation, put on the namespace-wide policies. */
  readonly labels: AppLabels;
  /**
   * Let every pod resolve names through the cluster DNS (kube-dns in kube-system, port 53).
   * @default true
   */
  readonly allowDns?: boolean;
}

interface Rule {
  readonly peer: Peer;
  readonly ports: readonly FlowPort[];
}

/** Options of {@link NetworkPolicyMatrix.allow}. */
export interface AllowOptions {
  /**
   * The workload whose chart holds the egress rule of `from`, in a policy of its own
   * (`<from>-to-<owner>`), for a flow that exists only while `owner` does (an optional component
   * its clients may use): its clients' own policies stay the same with or without it.
   * @default - the egress rule is in `from`'s own policy
   */
  readonly egressOwner?: Workload;
}

/** A NetworkPolicy being filled: the pods it selects and its rules. */
interface PolicyRules {
  readonly workload: Workload;
  readonly ingress: Rule[];
  readonly egress: Rule[];
}

/**
 * The namespace's network as a deny-by-default matrix: nothing flows unless a relationship was
 * declared with {@link allow}. Renders, at synth time, a default-deny policy, the DNS egress
 * policy and one policy per workload holding both its ingress and its egress rules.
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
export class NetworkPolicyMatrix extends Construct {
  /** By policy name. */
  private readonly policies = new Map<string, PolicyRules>();
  private readonly labels: AppLabels;

  public constructor(scope: Construct, id: string, props: NetworkPolicyMatrixProps) {
    super(scope, id);
    this.labels = props.labels;
    typedApiObject<INetworkPolicy>(this, 'DefaultDeny', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny', labels: { ...this.labels.all } },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    if (props.allowDns ?? true) {
      typedApiObject<INetworkPolicy>(this, 'Dns', {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'allow-dns', labels: { ...this.labels.all } },
        spec: {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [clusterDnsEgress()],
        },
      });
    }
  }

  /**
   * Allows `from` to open connections to `to` on `ports`: an ingress rule on `to` and an egress
   * rule on `from`, for whichever of them is a workload of this namespace. A workload's policy is
   * made in its `home`'s chart.
   */
  public allow(from: Peer, to: Peer, ports: readonly FlowPort[], options: AllowOptions = {}): this {
    if (from.kind !== 'workload' && to.kind !== 'workload') {
      throw new Error(`[${this.node.path}] allow() needs a workload at one end at least, got ${from.kind} -> ${to.kind}`);
    }
    if (ports.length === 0) throw new Error(`[${this.node.path}] allow() needs at least one port`);
    for (const peer of [from, to]) if (peer.kind === 'cidrs' && peer.except) checkExcept(this.node.path, peer.cidrs, peer.except);
    if (to.kind === 'workload') this.policy(to.workload).ingress.push({ peer: from, ports });
    if (from.kind === 'workload') this.policy(from.workload, options.egressOwner).egress.push({ peer: to, ports });
    return this;
  }

  /** The policy selecting `workload`: its own, or the one `owner` holds for it. */
  private policy(workload: Workload, owner?: Workload): PolicyRules {
    const name = owner ? `${workload.name}-to-${owner.name}` : workload.name;
    let entry = this.policies.get(name);
    if (!entry) {
      entry = { workload, ingress: [], egress: [] };
      this.policies.set(name, entry);
      this.render(name, entry, owner);
    }
    return entry;
  }

  private render(name: string, rules: PolicyRules, owner: Workload | undefined): void {
    const { workload } = rules;
    const egressOnly = owner !== undefined;
    typedApiObject<INetworkPolicy>(owner?.home ?? workload.home ?? this, `NetworkPolicy-${name}`, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name, labels: { ...(owner ?? workload).labels.all } },
      spec: {
        podSelector: { matchLabels: { ...workload.labels.selector } },
        policyTypes: egressOnly ? ['Egress'] : ['Ingress', 'Egress'],
        ...(egressOnly ? {} : { ingress: Lazy.any({ produce: () => rules.ingress.map((r) => ({ from: toPeers(r.peer), ports: toPorts(r.ports) })) }) }),
        egress: Lazy.any({ produce: () => rules.egress.map((r) => ({ to: toPeers(r.peer), ports: toPorts(r.ports) })) }),
      },
    });
  }
}

function toPeers(peer: Peer): INetworkPolicyPeer[] {
  switch (peer.kind) {
    case 'workload':
      return [{ podSelector: { matchLabels: { ...peer.workload.labels.selector } } }];
    case 'namespace':
      return [
        {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': peer.namespace } },
          ...(peer.podLabels ? { podSelector: { matchLabels: { ...peer.podLabels } } } : {}),
        },
      ];
    case 'cidrs':
      // One ipBlock holds one CIDR; several CIDRs are several peers of the same rule.
      return peer.cidrs.map((cidr) => {
        const except = peer.except ? exceptWithin(cidr, peer.except) : [];
        return { ipBlock: { cidr, ...(except.length > 0 ? { except } : {}) } };
      });
  }
}

/** The `except` ranges that lie inside `cidr`: the API refuses any other in its ipBlock. */
function exceptWithin(cidr: string, except: readonly string[]): string[] {
  const block = Cidr.parse(cidr);
  return except.filter((e) => block.contains(Cidr.parse(e)));
}

/**
 * Every `except` range is a strict subset of one of `cidrs`: an exclusion that applies nowhere (or
 * removes a whole block) is a mistake in the declaration.
 */
function checkExcept(where: string, cidrs: readonly string[], except: readonly string[]): void {
  const fail = (message: string): never => {
    throw new Error(`[${where}] allow(): ${message}`);
  };
  const parse = (cidr: string) => {
    try {
      return Cidr.parse(cidr);
    } catch (e) {
      return fail((e as Error).message);
    }
  };
  const blocks = cidrs.map(parse);
  for (const e of except) {
    const range = parse(e);
    const inside = blocks.filter((b) => b.contains(range));
    if (inside.length === 0 || inside.some((b) => b.prefixLength === range.prefixLength)) {
      fail(`except "${e}" must lie strictly inside one of ${cidrs.join(', ')}`);
    }
  }
}

function toPorts(ports: readonly FlowPort[]): INetworkPolicyPort[] {
  return ports.map((p) => ({ port: p.port, protocol: p.protocol ?? 'TCP' }));
}
