import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CRUMPET_COMPONENTS, edgeRoutes, loadEnvironment, type PlatformConfig } from '../../../src/stacks/crumpet/index.ts';
import { ENVIRONMENTS } from './_output.ts';
import {
  addressInCidr,
  FlowModel,
  KUBE_DNS,
  loadManifests,
  type Endpoint,
  type ExternalEndpoint,
  type KubeObject,
  type Protocol,
} from '../../_analysis/index.ts';
import { PROJECT_ROOT } from '../../_helpers.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

/*
 * The network as the committed NetworkPolicies allow it: flows computed with NetworkPolicy
 * semantics (test/_analysis/network-flows.ts) over every object of dist/<env>/. Each safety
 * property is checked on its own: the ingress of every destination and the egress of every source
 * apart (a hole on one side must not hide behind the other), every declared port over TCP and UDP,
 * the internet, the isolation of a pod with no policy of its own.
 */

function objectsOf(env: string): KubeObject[] {
  const dir = join(PROJECT_ROOT, 'dist', env);
  return readdirSync(dir).sort().flatMap((f) => loadManifests(readFileSync(join(dir, f), 'utf8')));
}

const monitoring = (name: string): ExternalEndpoint => ({
  namespace: 'monitoring',
  name,
  podLabels: { 'app.kubernetes.io/name': name },
});

/** The component a workload belongs to: CIN instances `cin-node-<lang>-<n>` are all `cin-node`. */
const component = (id: string): string => id.split('/')[1]!.replace(/^cin-node-[a-z]{2}-\d+$/, 'cin-node');

/**
 * What is not the internet (IANA special-purpose address registries, RFC 6890), with addresses
 * in each: a flow open to "the internet" must reach none of them. Written here, not read from the
 * source, so that dropping a range there fails here.
 */
const NON_PUBLIC: readonly { range: string; what: string; samples: readonly string[] }[] = [
  { range: '0.0.0.0/8', what: '"this network", RFC 1122', samples: ['0.0.0.1', '0.255.255.254'] },
  { range: '10.0.0.0/8', what: 'private, RFC 1918', samples: ['10.0.0.1', '10.96.0.10', '10.255.255.254'] },
  { range: '100.64.0.0/10', what: 'carrier-grade NAT, RFC 6598', samples: ['100.64.0.1', '100.127.255.254'] },
  { range: '127.0.0.0/8', what: 'loopback, RFC 1122', samples: ['127.0.0.1', '127.255.255.254'] },
  { range: '169.254.0.0/16', what: 'link-local and cloud metadata, RFC 3927', samples: ['169.254.169.254', '169.254.20.10'] },
  { range: '172.16.0.0/12', what: 'private, RFC 1918', samples: ['172.16.0.1', '172.31.255.254'] },
  { range: '192.168.0.0/16', what: 'private, RFC 1918', samples: ['192.168.0.1', '192.168.255.254'] },
  { range: '224.0.0.0/4', what: 'multicast, RFC 5771', samples: ['224.0.0.251', '239.255.255.250'] },
  { range: '240.0.0.0/4', what: 'reserved and broadcast, RFC 1112', samples: ['240.0.0.1', '255.255.255.255'] },
  { range: '::/128', what: 'unspecified, RFC 4291', samples: ['::'] },
  { range: '::1/128', what: 'loopback, RFC 4291', samples: ['::1'] },
  { range: '::ffff:0:0/96', what: 'IPv4-mapped, RFC 4291', samples: ['::ffff:a00:1', '::ffff:a9fe:a9fe'] },
  { range: '64:ff9b::/96', what: 'NAT64 to any IPv4 address, RFC 6052', samples: ['64:ff9b::a00:1', '64:ff9b::a9fe:a9fe'] },
  { range: '64:ff9b:1::/48', what: 'local-use NAT64, RFC 8215', samples: ['64:ff9b:1::a00:1'] },
  { range: '100::/64', what: 'discard-only, RFC 6666', samples: ['100::1'] },
  { range: '2001::/32', what: 'Teredo, embeds IPv4, RFC 4380', samples: ['2001::1', '2001:0:ffff::1'] },
  { range: '2002::/16', what: '6to4, embeds IPv4, RFC 3056', samples: ['2002:a00:1::1', '2002:a9fe:a9fe::1'] },
  { range: 'fc00::/7', what: 'unique local and cloud metadata, RFC 4193', samples: ['fc00::1', 'fd00:ec2::254'] },
  { range: 'fe80::/10', what: 'link-local, RFC 4291', samples: ['fe80::1'] },
  { range: 'fec0::/10', what: 'site-local, RFC 3879', samples: ['fec0::1'] },
  { range: 'ff00::/8', what: 'multicast, RFC 4291', samples: ['ff02::1', 'ff05::1:3'] },
];

/** Addresses of the public internet, IPv4 and IPv6, from several operators' ranges. */
const PUBLIC = ['8.8.8.8', '1.1.1.1', '52.95.110.1', '151.101.1.140', '185.199.108.153', '2606:4700:4700::1111', '2a00:1450:4001:82b::200e', '2620:fe::fe'];

const isPublic = (ip: string): boolean => !NON_PUBLIC.some((n) => addressInCidr(ip, n.range));

/** A set of peers outside the namespace's workloads, as the declarations name them. */
type PeerSet =
  | { readonly kind: 'component'; readonly name: string }
  | { readonly kind: 'external'; readonly id: string }
  | { readonly kind: 'cidrs'; readonly field: string; readonly cidrs: readonly string[] }
  | { readonly kind: 'internet' };

/** A declared flow: `from` may open connections to `to` on `ports` (`8080/TCP`). */
interface Declared {
  readonly from: PeerSet;
  readonly to: PeerSet;
  readonly ports: readonly string[];
}

const pod = (name: string): PeerSet => ({ kind: 'component', name });
const external = (id: string): PeerSet => ({ kind: 'external', id });
const INTERNET: PeerSet = { kind: 'internet' };
const cidrs = (config: PlatformConfig, field: keyof PlatformConfig['network'] & `${string}Cidrs`): PeerSet => ({ kind: 'cidrs', field, cidrs: config.network[field] });

/** A route's backend: its component and the port its declaration gives the route's port name. */
function backendOf(r: { backend: string; port: string }): { component: string; port: string } {
  const port = CRUMPET_COMPONENTS.get(r.backend).ports[r.port]!;
  return { component: r.backend, port: `${port.port}/${port.protocol ?? 'TCP'}` };
}

/** A port of a component's declaration as the flows write it: `8080/TCP`. */
function portOf(component: string, name: string): string {
  const p = CRUMPET_COMPONENTS.get(component).ports[name]!;
  return `${p.port}/${p.protocol ?? 'TCP'}`;
}

/**
 * The flows each running component declares (its metrics port to Prometheus, the CIDR sets it
 * admits, its calls of other components and of CIDR sets), read from the declarations the way
 * their comments say: the policies must open these and no more.
 */
function componentFlows(config: PlatformConfig): Declared[] {
  const running = CRUMPET_COMPONENTS.components.filter((c) => !c.enabled || c.enabled(config));
  const set = (name: string): PeerSet => (name === 'internet' ? INTERNET : cidrs(config, name as keyof PlatformConfig['network'] & `${string}Cidrs`));
  return running.flatMap((c): Declared[] => [
    ...(c.metrics ? [{ from: external('monitoring/prometheus'), to: pod(c.name), ports: [portOf(c.name, c.metrics.port)] }] : []),
    ...(c.admits ?? []).map((a) => ({ from: set(a.cidrs), to: pod(c.name), ports: a.ports.map((p) => portOf(c.name, p)) })),
    ...(c.calls ?? []).flatMap((call): Declared[] => {
      if ('cidrs' in call) return [{ from: pod(c.name), to: set(call.cidrs), ports: call.ports.map((p) => `${p.port}/${p.protocol ?? 'TCP'}`) }];
      return running.some((t) => t.name === call.component) ? [{ from: pod(c.name), to: pod(call.component), ports: [portOf(call.component, call.port)] }] : [];
    }),
  ]);
}

/**
 * Every flow the platform declares (spec section 2 topology, section 11 network policies,
 * section 7 telemetry), from the model: the only flows the policies may open.
 */
function declaredFlows(config: PlatformConfig): Declared[] {
  const edgeTo = new Map<string, Set<string>>();
  // A route to an optional component is left out where it does not run.
  const absent = CRUMPET_COMPONENTS.notRunningIn(config);
  for (const r of edgeRoutes(config)) {
    const b = backendOf(r);
    if (absent.has(b.component)) continue;
    edgeTo.set(b.component, new Set([...(edgeTo.get(b.component) ?? []), b.port]));
  }
  const backups = ['config-backup', 'index-snapshot', 'index-volume-snapshots'];
  return [
    // The edge to its route table's backends.
    ...[...edgeTo].map(([c, ports]) => ({ from: pod('envoy-edge'), to: pod(c), ports: [...ports] })),
    ...componentFlows(config),
    // CIN's telemetry sidecars to Tempo and Loki.
    { from: pod('cin-node'), to: external('monitoring/tempo'), ports: [`${config.telemetry.traces.port}/TCP`] },
    { from: pod('cin-node'), to: external('monitoring/loki'), ports: [`${config.telemetry.logs.port}/TCP`] },
    // The backup jobs: the Kubernetes API and the object store; the snapshot job asks CIN over gRPC.
    ...backups.flatMap((job) => [
      { from: pod(job), to: cidrs(config, 'apiServerCidrs'), ports: ['443/TCP', '6443/TCP'] },
      { from: pod(job), to: cidrs(config, 'objectStoreCidrs'), ports: ['443/TCP'] },
    ]),
    { from: pod('index-snapshot'), to: pod('cin-node'), ports: ['8081/TCP'] },
  ];
}

/** A source or destination the checks probe: a pod group of the model, or an address. */
type Party = { readonly endpoint: Endpoint } | { readonly ip: string };

const partyName = (p: Party): string => ('endpoint' in p ? p.endpoint.id : p.ip);
const partyRef = (p: Party) => ('endpoint' in p ? { namespace: p.endpoint.namespace, name: p.endpoint.name, kind: p.endpoint.kind } : { ip: p.ip });

function inSet(set: PeerSet, party: Party): boolean {
  if ('endpoint' in party) {
    const e = party.endpoint;
    if (set.kind === 'component') return e.kind !== 'External' && component(e.id) === set.name;
    return set.kind === 'external' && e.id === set.id;
  }
  if (set.kind === 'cidrs') return set.cidrs.some((c) => addressInCidr(party.ip, c));
  return set.kind === 'internet' && isPublic(party.ip);
}

/** The first and last address of an IPv4 CIDR. */
function edges(cidr: string): string[] {
  const [base, bits] = cidr.split('/');
  const start = base!.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const last = start + 2 ** (32 - Number(bits)) - 1;
  const text = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
  return [text(start), text(last)];
}

const both = (port: number): string[] => [`${port}/TCP`, `${port}/UDP`];
const split = (p: string): [number, Protocol] => {
  const [port, protocol] = p.split('/');
  return [Number(port), protocol as Protocol];
};

describe.each(ENVIRONMENTS)('NetworkPolicies of %s |', async (env) => {
  const config = await loadEnvironment(env);
  const ns = config.namespace;
  const objects = objectsOf(env);
  const externals = [monitoring('prometheus'), monitoring('tempo'), monitoring('loki')];
  const model = new FlowModel(objects, externals);
  const cin = model.workloads().filter((w) => w.name.startsWith('cin-node-')).map((w) => ({ namespace: ns, name: w.name, kind: w.kind }));
  const at = (name: string) => ({ namespace: ns, name });
  const declared = declaredFlows(config);

  /** Addresses to probe: both ends of every configured CIDR, the public internet, every non-public range. */
  const networkCidrs = Object.entries(config.network).flatMap(([k, v]) => (k.endsWith('Cidrs') ? (v as string[]) : []));
  const addresses = [...new Set([...networkCidrs.flatMap(edges), ...PUBLIC, ...NON_PUBLIC.flatMap((n) => n.samples)])];
  /** Ports to probe: every declared container port and every declared flow's port, over TCP and UDP. */
  const declaredPorts = new Set([...model.endpoints().flatMap((e) => e.ports.map((p) => p.containerPort)), ...declared.flatMap((d) => d.ports.map((p) => split(p)[0]))]);
  const probePorts = [...declaredPorts, 22, 80].sort((a, b) => a - b).flatMap(both);
  const pods: Party[] = model.endpoints().map((endpoint) => ({ endpoint }));
  const ips: Party[] = addresses.map((ip) => ({ ip }));

  const isDeclared = (from: Party, to: Party, port: string): boolean =>
    declared.some((d) => d.ports.includes(port) && inSet(d.from, from) && inSet(d.to, to)) ||
    // Every pod may resolve names.
    ('endpoint' in to && to.endpoint.id === `${KUBE_DNS.namespace}/${KUBE_DNS.name}` && split(port)[0] === 53 && 'endpoint' in from && from.endpoint.kind !== 'External');

  it('GIVEN the CIN instances THEN every language has its own', () => {
    const languages = new Set(cin.map((c) => c.name.split('-')[2]));
    expect([...languages].sort()).toEqual(config.components.cinNode.languages.map((l) => l.code).sort());
  });

  it('GIVEN every destination workload THEN its own ingress admits exactly the declared sources on exactly the declared ports', () => {
    const wrong: string[] = [];
    for (const to of model.workloads()) {
      const ports = [...new Set(to.ports.map((p) => p.containerPort))].flatMap(both);
      for (const from of [...pods, ...ips]) {
        if ('endpoint' in from && from.endpoint.id === to.id) continue;
        for (const port of ports) {
          const admitted = model.verdict(partyRef(from), { namespace: to.namespace, name: to.name, kind: to.kind }, ...split(port)).ingress.allowed;
          if (admitted !== isDeclared(from, { endpoint: to }, port)) wrong.push(`${partyName(from)} -> ${to.id} ${port} ${admitted ? 'admitted, not declared' : 'declared, not admitted'}`);
        }
      }
    }
    expect(wrong, 'ingress of each workload must admit exactly its declared sources and ports').toEqual([]);
  });

  it('GIVEN every source workload THEN its own egress admits exactly the declared destinations on exactly the declared ports', () => {
    const wrong: string[] = [];
    for (const from of model.workloads()) {
      for (const to of [...pods, ...ips]) {
        if ('endpoint' in to && to.endpoint.id === from.id) continue;
        for (const port of probePorts) {
          const sent = model.verdict({ namespace: from.namespace, name: from.name, kind: from.kind }, partyRef(to), ...split(port)).egress.allowed;
          if (sent !== isDeclared({ endpoint: from }, to, port)) wrong.push(`${from.id} -> ${partyName(to)} ${port} ${sent ? 'sent, not declared' : 'declared, not sent'}`);
        }
      }
    }
    expect(wrong, 'egress of each workload must admit exactly its declared destinations and ports').toEqual([]);
  });

  it('GIVEN addresses of the internet THEN none reaches any declared port of any workload over TCP or UDP, and the CDN and peer ranges reach only theirs', () => {
    const wrong: string[] = [];
    const sources = [...PUBLIC, ...config.network.cdnCidrs.flatMap(edges), ...config.network.peerCidrs.flatMap(edges)];
    for (const to of model.workloads()) {
      for (const port of [...new Set(to.ports.map((p) => p.containerPort))].flatMap(both)) {
        for (const ip of sources) {
          const open = model.allows({ ip }, { namespace: to.namespace, name: to.name, kind: to.kind }, ...split(port));
          if (open !== isDeclared({ ip }, { endpoint: to }, port)) wrong.push(`${ip} -> ${to.id} ${port} ${open ? 'open' : 'closed'}`);
        }
      }
    }
    expect(wrong, 'from outside the cluster only the declared ports are open: the edge to the CDN, p2p to the peers').toEqual([]);
    // Not vacuous: the CDN does reach the edge.
    expect(model.allows({ ip: edges(config.network.cdnCidrs[0]!)[0]! }, at('envoy-edge'), 8443, 'TCP')).toBe(true);
  });

  it('GIVEN a pod with no NetworkPolicy of its own THEN the default deny isolates it both ways, DNS aside', () => {
    const stray: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'stray', namespace: ns, labels: { 'app.kubernetes.io/name': 'stray' } },
      spec: { containers: [{ name: 'stray', ports: [{ name: 'http', containerPort: 8080 }] }] },
    };
    const withStray = new FlowModel([...objects, stray], externals);
    const me = { namespace: ns, name: 'stray', kind: 'Pod' };
    const open: string[] = [];
    for (const other of [...pods, ...ips]) {
      for (const port of probePorts) {
        const [n, protocol] = split(port);
        if (withStray.verdict(partyRef(other), me, n, protocol).ingress.allowed) open.push(`ingress from ${partyName(other)} ${port}`);
        const dns = 'endpoint' in other && other.endpoint.id === `${KUBE_DNS.namespace}/${KUBE_DNS.name}` && n === 53;
        if (!dns && withStray.verdict(me, partyRef(other), n, protocol).egress.allowed) open.push(`egress to ${partyName(other)} ${port}`);
      }
    }
    expect(open, 'default-deny: a pod without a policy of its own must be isolated for ingress and egress').toEqual([]);
    expect(withStray.allowsDns(me)).toBe(true);
  });

  it.each(NON_PUBLIC.map((n) => [n.range, n.what, n.samples] as const))(
    'GIVEN %s (%s) THEN it is not "the internet": the edge does not admit it, and neither the watcher nor Kubo reach it',
    (range, what, samples) => {
      const open: string[] = [];
      for (const ip of samples) {
        for (const port of both(8443)) if (model.verdict({ ip }, at('envoy-edge'), ...split(port)).ingress.allowed) open.push(`${ip} -> envoy-edge ${port}`);
        if (model.verdict(at('watcher'), { ip }, 443).egress.allowed) open.push(`watcher -> ${ip} 443/TCP`);
        if (config.features.kubo) {
          for (const port of both(4001)) if (model.verdict(at('kubo'), { ip }, ...split(port)).egress.allowed) open.push(`kubo -> ${ip} ${port}`);
        }
      }
      expect(open, `the internet peer must exclude ${range} (${what})`).toEqual([]);
      // Where the internet is allowed, it is: a public address of each family passes.
      for (const ip of ['8.8.8.8', '2606:4700:4700::1111']) expect(model.verdict(at('watcher'), { ip }, 443).egress.allowed, `watcher -> ${ip}`).toBe(true);
    },
  );

  it('GIVEN the edge THEN it reaches every CIN instance on 8080 and 8081, and only there', () => {
    for (const c of cin) {
      expect(model.allows(at('envoy-edge'), c, 8080), model.explain(at('envoy-edge'), c, 8080)).toBe(true);
      expect(model.allows(at('envoy-edge'), c, 8081)).toBe(true);
      expect(model.allows(at('envoy-edge'), c, 4001, 'UDP')).toBe(false);
      expect(model.allows(at('envoy-edge'), c, 9091)).toBe(false);
    }
  });

  it.each(['web', 'watcher', 'pin-orchestrator'])('GIVEN %s THEN it cannot reach CIN on 8080 or 8081', (from) => {
    for (const c of cin) {
      expect(model.allows(at(from), c, 8080), model.explain(at(from), c, 8080)).toBe(false);
      expect(model.allows(at(from), c, 8081)).toBe(false);
    }
  });

  it('GIVEN Prometheus THEN it reaches exactly the ports the monitors scrape, none of them a port the edge routes to (an API)', () => {
    const prometheus = 'monitoring/prometheus';
    const reached = model.matrix().filter((e) => e.from === prometheus).map((e) => `${component(e.to)}:${e.port}/${e.protocol}`);
    const selects = (selector: Obj, labels: Obj) => Object.entries(selector.matchLabels).every(([k, v]) => labels?.[k] === v);
    const scraped = (objects as Obj[]).flatMap((m) => {
      if (m.kind === 'PodMonitor') {
        const port = m.spec.podMetricsEndpoints[0].port;
        return model.workloads().filter((w) => selects(m.spec.selector, w.podLabels)).map((w) => `${component(w.id)}:${w.ports.find((p) => p.name === port)!.containerPort}/TCP`);
      }
      if (m.kind !== 'ServiceMonitor') return [];
      const port = m.spec.endpoints[0].port;
      return (objects as Obj[])
        .filter((s) => s.kind === 'Service' && selects(m.spec.selector, s.metadata.labels))
        .flatMap((s) => {
          const targetPort = s.spec.ports.find((p: Obj) => p.name === port)?.targetPort;
          return model.workloads().filter((w) => selects({ matchLabels: s.spec.selector }, w.podLabels)).map((w) => `${component(w.id)}:${w.ports.find((p) => p.containerPort === targetPort || p.name === targetPort)!.containerPort}/TCP`);
        });
    });
    expect([...new Set(reached)].sort(), 'Prometheus must reach the scraped metrics ports and nothing else').toEqual([...new Set(scraped)].sort());
    const apis = new Set(model.matrix().filter((e) => e.from === `${ns}/envoy-edge`).map((e) => `${component(e.to)}:${e.port}/${e.protocol}`));
    expect(reached.filter((r) => apis.has(r)), 'Prometheus must scrape no API port').toEqual([]);
  });

  it('GIVEN every pair of workloads and every declared port THEN the allowed flows are exactly the listed ones', () => {
    const flows = new Set(
      model
        .matrix()
        .filter((e) => e.from.startsWith(`${ns}/`) && e.to.startsWith(`${ns}/`))
        .map((e) => `${component(e.from)} -> ${component(e.to)}:${e.port}/${e.protocol}`),
    );
    // The pod-to-pod part of the declared flows: the edge to its routes' backends, the calls.
    const expected = declared.flatMap(({ from, to, ports }) => (from.kind === 'component' && to.kind === 'component' ? ports.map((p) => `${from.name} -> ${to.name}:${p}`) : []));
    expect([...flows].sort()).toEqual([...new Set(expected)].sort());
  });
});
