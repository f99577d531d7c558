import type { EdgeBackendGroup } from '../../observability/index.ts';
import type { CertificateFiles, EdgeCluster, EdgeRoute, EdgeRouteMatch, ExactMatch } from '../envoy/index.ts';
import { Duration } from '../values/index.ts';
import type { NamedPort } from '../_pod-template.ts';
import type { Workload } from '../_workload-parts.ts';
import type { ComponentDeclaration, PlacedComponent } from './component.ts';

/** A route of an edge's table, as a stack's model holds it: to a component's port, by name. */
export interface RouteConfig {
  /** Names the route in stats and access logs; unique within the table. */
  readonly name: string;
  /** Exactly one of `prefix`, `path` and `regex`. */
  readonly prefix?: string;
  readonly path?: string;
  readonly regex?: string;
  /** The component the route leads to. */
  readonly backend: string;
  /** Its port, by name. */
  readonly port: string;
  /** Upstream timeout such as `15s`; `0s` for none. */
  readonly timeout: string;
  /** @default false */
  readonly websocket?: boolean;
  /** @default false */
  readonly rateLimited?: boolean;
  /** @default 0 */
  readonly retries?: number;
}

/** An Envoy cluster with the component, workload and port behind it, for the NetworkPolicy. */
export interface EdgeUpstream extends EdgeCluster {
  /** The component it serves. */
  readonly component: string;
  /** Its port's name. */
  readonly portName: string;
  /** The pods behind the cluster's Service. */
  readonly workload: Workload;
  readonly containerPort: NamedPort;
}

/**
 * The routes every component declares, as a table in Envoy's match order: exact paths first,
 * then regexes, then prefixes from the longest; by name within each.
 */
export function declaredRoutes(components: readonly ComponentDeclaration<unknown, unknown>[]): RouteConfig[] {
  const rank = (r: RouteConfig): [number, number] => (r.path !== undefined ? [0, 0] : r.regex !== undefined ? [1, 0] : [2, -(r.prefix ?? '').length]);
  return components
    .flatMap((c) => (c.routes ?? []).map(({ port, ...r }): RouteConfig => ({ ...r, backend: c.name, port })))
    .sort((a, b) => {
      const [x, y] = [rank(a), rank(b)];
      return x[0] - y[0] || x[1] - y[1] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    });
}

const PROTOCOLS = { http: 'http1', http2: 'http2', grpc: 'grpc' } as const;

function matchOf(r: RouteConfig, extra: { queryParameters?: ExactMatch[]; headers?: ExactMatch[] }): EdgeRouteMatch {
  return {
    ...(r.prefix !== undefined ? { prefix: r.prefix } : {}),
    ...(r.path !== undefined ? { path: r.path } : {}),
    ...(r.regex !== undefined ? { regex: r.regex } : {}),
    ...extra,
  };
}

/** Props of {@link EdgeRouteTable}. */
export interface EdgeRouteTableProps {
  /** Namespace of the components' Services. */
  readonly namespace: string;
  readonly routes: readonly RouteConfig[];
  /** The components running in the environment, by name. */
  readonly components: ReadonlyMap<string, PlacedComponent>;
  /**
   * Every component the stack declares: a route that a declared component states for itself
   * (`routes` of its declaration, by name) is left out where that component does not run, as
   * the component's other objects are. @default - none: every route's backend must run
   */
  readonly declared?: readonly ComponentDeclaration<unknown, unknown>[];
  /** The edge's client certificate, CA included: with it, gRPC upstreams are reached over mTLS, each checked against its Service name. @default - plaintext */
  readonly grpcClientTls?: CertificateFiles & { readonly caFile: string };
  /** Where the table is, for messages (the model field). */
  readonly where: string;
}

/**
 * An edge's route table resolved against the components: each route's backend is a running
 * component (a route a component declares for itself is left out where the component does not run)
 * and its port one the component declares, reached through the component's Service
 * (or, for a sharded one, each shard's, picked by the shard's query parameter or header, the
 * first shard answering requests that pick none). A route that does not resolve throws, naming
 * the route and the component. One fact, many outputs: the Envoy configuration, the edge's
 * NetworkPolicy and the Edge dashboard are all read from here.
 */
export class EdgeRouteTable {
  /** Envoy routes, in match order. */
  public readonly routes: readonly EdgeRoute[];
  /** Clusters the routes use, sorted by name. */
  public readonly upstreams: readonly EdgeUpstream[];
  private readonly groups = new Map<string, EdgeBackendGroup>();

  public constructor(props: EdgeRouteTableProps) {
    const upstreams = new Map<string, EdgeUpstream>();
    const running = [...props.components.keys()].join(', ');
    const declared = new Map((props.declared ?? []).map((c) => [c.name, c] as const));
    // A backend's group, the component (or the component and port when routes reach it on
    // several), and the clusters it covers: the component's, or each of its shards'.
    const addGroup = (r: RouteConfig, port: number, sharded: boolean): void => {
      const name = props.routes.some((o) => o.backend === r.backend && o.port !== r.port) ? `${r.backend}-${r.port}` : r.backend;
      this.groups.set(name, { name, clusterRegex: sharded ? `${r.backend}-.+-${port}` : `${r.backend}-${port}`, component: r.backend });
    };
    this.routes = props.routes.flatMap((r, i): EdgeRoute[] => {
      const at = `${props.where}[${i}] ("${r.name}")`;
      const placed = props.components.get(r.backend);
      const absent = placed ? undefined : declared.get(r.backend);
      if (absent?.routes?.some((own) => own.name === r.name)) {
        // Its group stays, so that what reads the groups (the Edge dashboard of ops/) is every
        // environment's; the group names its component, which a deployed dashboard leaves out.
        const port = absent.ports[r.port];
        if (port) addGroup(r, port.port, false);
        return [];
      }
      if (!placed) throw new Error(`${at}: backend "${r.backend}" is no component running in this environment (running: ${running})`);
      const { declaration: c, built } = placed;
      const port = c.ports[r.port];
      if (!port) throw new Error(`${at}: component "${c.name}" has no port "${r.port}" (ports: ${Object.keys(c.ports).join(', ')})`);
      const appProtocol = port.appProtocol ?? 'http';
      if (appProtocol === 'tcp') throw new Error(`${at}: port "${r.port}" of component "${c.name}" is not HTTP or gRPC; the edge routes HTTP`);
      const protocol = PROTOCOLS[appProtocol];
      if (protocol === 'grpc' && props.grpcClientTls && !port.meshTls) {
        throw new Error(`${at}: the edge reaches gRPC upstreams over mTLS here, but port "${r.port}" of component "${c.name}" serves no mesh certificate: declare it \`meshTls: true\` and mount one in its build, or route it plaintext where mTLS is off`);
      }
      if (r.websocket && protocol === 'grpc') throw new Error(`${at}: port "${r.port}" of component "${c.name}" speaks gRPC; WebSockets need an HTTP port`);
      const cluster = (workload: Workload): string => {
        const name = `${workload.name}-${port.port}`;
        const host = `${workload.name}.${props.namespace}.svc.cluster.local`;
        upstreams.set(name, {
          name,
          host,
          port: port.port,
          protocol,
          ...(port.healthPath ? { healthPath: port.healthPath } : {}),
          ...(protocol === 'grpc' && props.grpcClientTls ? { mtls: { ...props.grpcClientTls, sni: host } } : {}),
          component: c.name,
          portName: r.port,
          workload,
          containerPort: { name: r.port, port: port.port, ...(port.protocol ? { protocol: port.protocol } : {}) },
        });
        return name;
      };
      addGroup(r, port.port, built.shards !== undefined);
      const base = {
        timeoutMs: Duration.parse(r.timeout).milliseconds,
        retries: r.retries ?? 0,
        websocket: r.websocket ?? false,
        grpcWeb: protocol === 'grpc',
        rateLimited: r.rateLimited ?? false,
      };
      const shards = built.shards;
      if (!shards) return [{ ...base, name: r.name, match: matchOf(r, {}), cluster: cluster(built.workload) }];
      const [primary, ...others] = shards;
      if (!primary) throw new Error(`${at}: component "${c.name}" is sharded but has no shard in this environment`);
      const by = built.shardedBy ?? { queryParameter: 'shard', header: 'x-shard' };
      const pick = (key: string) => (protocol === 'grpc' ? { headers: [{ name: by.header, exact: key }] } : { queryParameters: [{ name: by.queryParameter, exact: key }] });
      return [
        ...others.map((s) => ({ ...base, name: `${r.name}-${s.key}`, match: matchOf(r, pick(s.key)), cluster: cluster(s.workload) })),
        { ...base, name: r.name, match: matchOf(r, {}), cluster: cluster(primary.workload) },
      ];
    });
    this.upstreams = [...upstreams.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /**
   * The backends the routes use, each with a pattern of its cluster names: the same in every
   * environment, whatever its shards, so one Edge dashboard serves them all.
   */
  public get backendGroups(): EdgeBackendGroup[] {
    return [...this.groups.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }
}
