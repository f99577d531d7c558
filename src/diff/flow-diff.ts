import { list, type KubeObject, type StringMap } from '../analysis/kube-objects.ts';
import { matchesSelector } from '../analysis/kube-objects.ts';
import { FlowModel, type ExternalEndpoint, type Protocol } from '../analysis/network-flows.ts';
import { diffUnits, type UnitChange } from './unit-change.ts';

const NAMESPACE_NAME = 'kubernetes.io/metadata.name';

interface Peer {
  readonly podSelector?: { readonly matchLabels?: StringMap };
  readonly namespaceSelector?: { readonly matchLabels?: StringMap };
  readonly ipBlock?: { readonly cidr?: string };
}

interface Rule {
  readonly from?: readonly Peer[];
  readonly to?: readonly Peer[];
  readonly ports?: readonly { readonly port?: number | string; readonly protocol?: Protocol }[];
}

interface Probe {
  readonly port: number;
  readonly protocol: Protocol;
}

/** Every rule of every NetworkPolicy with the peers it names. */
function policyRules(objects: readonly KubeObject[]): { rule: Rule; peers: readonly Peer[] }[] {
  return objects
    .filter((o) => o.kind === 'NetworkPolicy')
    .flatMap((o) => {
      const spec = (o['spec'] ?? {}) as { ingress?: readonly Rule[]; egress?: readonly Rule[] };
      return [...list(spec.ingress).map((rule) => ({ rule, peers: list(rule.from) })), ...list(spec.egress).map((rule) => ({ rule, peers: list(rule.to) }))];
    });
}

const numericPorts = (rule: Rule): Probe[] =>
  list(rule.ports).flatMap((p) => (typeof p.port === 'number' ? [{ port: p.port, protocol: p.protocol ?? 'TCP' }] : []));

const labelText = (labels: StringMap): string =>
  Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');

/**
 * Pods outside the manifests that the policies name (Prometheus in `monitoring`, an ingress
 * controller), one per namespace and pod selector that matches no pod of the model, plus one pod of a namespace no policy names,
 * so a rule admitting "anyone" shows as a flow from it.
 */
function outsidePeers(objects: readonly KubeObject[]): ExternalEndpoint[] {
  const modelled = new FlowModel(objects).endpoints();
  const peers = new Map<string, ExternalEndpoint>();
  for (const { rule, peers: named } of policyRules(objects)) {
    for (const peer of named) {
      if (peer.namespaceSelector === undefined) continue;
      const nsLabels = peer.namespaceSelector.matchLabels ?? {};
      const namespace = nsLabels[NAMESPACE_NAME] ?? `(${labelText(nsLabels) || 'any namespace'})`;
      const podLabels = peer.podSelector?.matchLabels ?? {};
      // Pods the model already has (the workloads, the cluster DNS) are not outside pods.
      if (modelled.some((e) => e.namespace === namespace && matchesSelector({ matchLabels: podLabels }, e.podLabels))) continue;
      const name = labelText(podLabels) || 'any pod';
      const known = peers.get(`${namespace}/${name}`);
      const ports = [...(known?.ports ?? []), ...numericPorts(rule).map((p) => ({ containerPort: p.port, protocol: p.protocol }))];
      peers.set(`${namespace}/${name}`, { namespace, name, podLabels, namespaceLabels: nsLabels, ports });
    }
  }
  peers.set('(other)/any pod', { namespace: '(other)', name: 'any pod', podLabels: {} });
  return [...peers.values()];
}

/** Every `ipBlock` CIDR the policies name. */
function cidrsOf(objects: readonly KubeObject[]): string[] {
  return policyRules(objects).flatMap(({ peers }) => peers.flatMap((p) => (p.ipBlock?.cidr ? [p.ipBlock.cidr] : [])));
}

/** Every port a policy rule names or a container declares: the ports flows are probed on. */
function probesOf(objects: readonly KubeObject[], model: FlowModel): Probe[] {
  return [
    ...policyRules(objects).flatMap(({ rule }) => numericPorts(rule)),
    ...model.endpoints().flatMap((e) => e.ports.map((p) => ({ port: p.containerPort, protocol: p.protocol }))),
  ];
}

const unique = <T>(items: readonly T[], key: (t: T) => string): T[] => [...new Map(items.map((i) => [key(i), i])).values()];

/**
 * The connections the NetworkPolicies of one folder allow, as `from -> to port/protocol`: between
 * workloads, to and from the outside pods the policies name, and to and from every `ipBlock`
 * they name (probed at the block's first address). Computed by {@link FlowModel}, the same
 * NetworkPolicy semantics the tests assert with.
 */
function flows(objects: readonly KubeObject[], outside: readonly ExternalEndpoint[], cidrs: readonly string[], probes: readonly Probe[]): Map<string, string> {
  const model = new FlowModel(objects, outside);
  const out = new Map<string, string>();
  const add = (from: string, to: string, p: Probe): void => {
    const line = `${from} -> ${to} ${p.port}/${p.protocol}`;
    out.set(line, line);
  };
  for (const edge of model.matrix(probes)) add(edge.from, edge.to, edge);
  for (const w of model.workloads()) {
    const ref = { namespace: w.namespace, name: w.name, kind: w.kind };
    for (const cidr of cidrs) {
      const ip = { ip: cidr.split('/')[0]! };
      for (const p of probes) {
        if (model.allows(ref, ip, p.port, p.protocol)) add(w.id, cidr, p);
        if (model.allows(ip, ref, p.port, p.protocol)) add(cidr, w.id, p);
      }
    }
  }
  return out;
}

/**
 * The network flows opened and closed between two versions of one folder's objects. Both sides
 * are probed with the same outside pods, CIDRs and ports (those either version names), so a flow
 * is reported only when the policies' verdict on it changed, or its workload came or went.
 */
export function diffFlows(group: string, base: readonly KubeObject[], head: readonly KubeObject[]): UnitChange[] {
  const both = [...base, ...head];
  if (!both.some((o) => o.kind === 'NetworkPolicy')) return [];
  const outside = outsidePeers(both);
  const cidrs = [...new Set(cidrsOf(both))].sort();
  const probes = unique(probesOf(both, new FlowModel(both, outside)), (p) => `${p.port}/${p.protocol}`).sort(
    (a, b) => a.port - b.port || (a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0),
  );
  return diffUnits(group, 'flow', flows(base, outside, cidrs, probes), flows(head, outside, cidrs, probes));
}
