import { NetworkPolicyMatrix, Peer, type FlowPort } from '../network-policy-matrix.ts';
import type { Workload } from '../_workload-parts.ts';
import type { ComponentDeclaration, PlacedComponent } from './component.ts';
import type { EdgeUpstream } from './edge-route-table.ts';

/** How a stack resolves the peers its components' declarations name. */
export interface ComponentPeers {
  /** Who scrapes declared metrics (Prometheus). */
  readonly scraper: Peer;
  /** The addresses of a CIDR set of the stack's model, by name (`internet` included). */
  readonly cidrs: (name: string, component: string) => Peer;
}

/**
 * Both sides of every flow the components declare: the scraper to each metrics port, the CIDR
 * sets each admits, each call of
 * another component's port (its egress with the called component when that one is optional, one
 * with `enabled`, or the call says `whileItRuns`), each
 * call of a CIDR set. A call of a component that is not declared fails, naming both; a call of one
 * that does not run in this environment opens nothing.
 */
export function componentFlows(matrix: NetworkPolicyMatrix, components: readonly PlacedComponent[], peers: ComponentPeers, declared: readonly ComponentDeclaration<unknown, unknown>[]): void {
  const port = (c: ComponentDeclaration<unknown, unknown>, name: string): FlowPort => {
    const p = c.ports[name];
    if (!p) throw new Error(`component "${c.name}" has no port "${name}" (ports: ${Object.keys(c.ports).join(', ')})`);
    return { port: p.port, protocol: p.protocol ?? 'TCP' };
  };
  for (const { declaration: c, built } of components) {
    if (c.metrics) matrix.allow(peers.scraper, Peer.workload(built.workload), [port(c, c.metrics.port)]);
    for (const a of c.admits ?? []) matrix.allow(peers.cidrs(a.cidrs, c.name), Peer.workload(built.workload), a.ports.map((p) => port(c, p)));
    for (const call of c.calls ?? []) {
      if ('cidrs' in call) {
        matrix.allow(Peer.workload(built.workload), peers.cidrs(call.cidrs, c.name), call.ports.map((p) => ({ port: p.port, protocol: p.protocol ?? 'TCP' })));
        continue;
      }
      const target = declared.find((d) => d.name === call.component);
      if (!target) throw new Error(`component "${c.name}" calls "${call.component}", which is not a component of the stack (${declared.map((d) => d.name).join(', ')})`);
      const running = components.find((p) => p.declaration === target);
      if (!running) continue;
      // The egress to an optional component ships with it unless the call says otherwise.
      const withTarget = call.whileItRuns ?? target.enabled !== undefined;
      matrix.allow(Peer.workload(built.workload), Peer.workload(running.built.workload), [port(target, call.port)], withTarget ? { egressOwner: running.built.workload } : {});
    }
  }
}

/**
 * The edge, and only the edge, to the components its routes lead to: each as a whole (every
 * shard serves the same ports, so a shard added changes no policy), on the routed ports only. The
 * egress to an optional component (one with `enabled`, which runs in some environments only) ships
 * with that component's policies, so the edge's own policy is every environment's.
 */
export function edgeFlows(matrix: NetworkPolicyMatrix, edge: Workload, upstreams: readonly EdgeUpstream[], components: readonly PlacedComponent[]): void {
  const backends = new Map<string, { workload: Workload; optional: boolean; ports: Map<number, FlowPort> }>();
  for (const u of upstreams) {
    const placed = components.find((p) => p.declaration.name === u.component);
    if (!placed) throw new Error(`edge upstream ${u.name}: component "${u.component}" is not running`);
    const workload = placed.built.workload;
    const entry = backends.get(workload.name) ?? { workload, optional: placed.declaration.enabled !== undefined, ports: new Map<number, FlowPort>() };
    entry.ports.set(u.containerPort.port, u.containerPort);
    backends.set(workload.name, entry);
  }
  for (const b of backends.values()) matrix.allow(Peer.workload(edge), Peer.workload(b.workload), [...b.ports.values()], b.optional ? { egressOwner: b.workload } : {});
}
