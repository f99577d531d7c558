import type { EdgeBackend, EdgeRouteConfig, PlatformConfig } from './model/index.ts';
import type { NamedPort, Workload } from '../../lib/index.ts';
import type { CertificateFiles, EdgeCluster, EdgeRoute, EdgeRouteMatch, ExactMatch } from '../../lib/envoy/index.ts';
import type { EdgeBackendGroup } from '../../observability/index.ts';
import { HEALTH_PATH, PORTS, WEB_HEALTH_PATH } from './ports.ts';

/** Query parameter that picks the CIN language of an HTTP request. */
export const LANGUAGE_QUERY_PARAMETER = 'lang';
/** Header that picks the CIN language of a gRPC (or gRPC-Web) call, which has no query. */
export const LANGUAGE_HEADER = 'x-crumpet-lang';

/** A CIN language's Service, as the edge reaches it. */
export interface CinLanguageBackend extends Workload {
  readonly code: string;
}

/** The Services the edge routes to. */
export interface EdgeBackends {
  readonly web: Workload;
  readonly orchestrator: Workload;
  /** In configuration order: the first answers requests that name no language. */
  readonly cinLanguages: readonly CinLanguageBackend[];
}

/** An Envoy cluster with the workload and port behind it, for the NetworkPolicy. */
export interface EdgeUpstream extends EdgeCluster {
  readonly workload: Workload;
  readonly containerPort: NamedPort;
  /** The backend it serves. */
  readonly backend: EdgeBackend;
}

/** CIN's Services are `cin-node-<language>`, the language an ISO 639-1 code. */
const CIN_SERVICE_REGEX = 'cin-node-[a-z]{2}';

/** The workload port and protocol of each backend kind. */
const BACKENDS: Readonly<Record<EdgeBackend, { port: NamedPort; protocol: EdgeCluster['protocol']; healthPath?: string }>> = {
  web: { port: PORTS.web, protocol: 'http1', healthPath: WEB_HEALTH_PATH },
  'cin-http': { port: PORTS.cinHttp, protocol: 'http2', healthPath: HEALTH_PATH },
  'cin-grpc': { port: PORTS.cinGrpc, protocol: 'grpc' },
  'pin-orchestrator': { port: PORTS.orchestrator, protocol: 'http1', healthPath: HEALTH_PATH },
};

function matchOf(r: EdgeRouteConfig, extra: { queryParameters?: ExactMatch[]; headers?: ExactMatch[] }): EdgeRouteMatch {
  return {
    ...(r.prefix !== undefined ? { prefix: r.prefix } : {}),
    ...(r.path !== undefined ? { path: r.path } : {}),
    ...(r.regex !== undefined ? { regex: r.regex } : {}),
    ...extra,
  };
}

/** `15s`, `250ms`, `5m` in milliseconds. */
function milliseconds(duration: string): number {
  const m = /^([0-9]+)(ms|s|m|h)$/.exec(duration);
  if (!m) throw new Error(`not a duration: "${duration}"`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}

/**
 * The edge's route table resolved against the platform: the model's routes (`edge.routes`) with
 * each CIN route served per language, and the Envoy clusters they use, each tied to the workload
 * and port behind it. One fact, many outputs: the Envoy configuration, the edge's NetworkPolicy
 * and the Edge dashboard are all read from here.
 */
export class EdgeRouteTable {
  /** Envoy routes, in match order. */
  public readonly routes: readonly EdgeRoute[];
  /** Clusters the routes use, sorted by name. */
  public readonly upstreams: readonly EdgeUpstream[];

  /**
   * @param grpcClientTls - the edge's client certificate, CA included: with it, CIN gRPC is
   *   reached over mTLS, each language's server checked against its Service name
   */
  public constructor(config: PlatformConfig, backends: EdgeBackends, grpcClientTls?: CertificateFiles & { readonly caFile: string }) {
    const upstreams = new Map<string, EdgeUpstream>();
    const clusterFor = (backend: EdgeBackend, workload: Workload): string => {
      const b = BACKENDS[backend];
      const name = `${workload.name}-${b.port.port}`;
      const host = `${workload.name}.${config.namespace}.svc.cluster.local`;
      upstreams.set(name, {
        name,
        host,
        port: b.port.port,
        protocol: b.protocol,
        ...(b.healthPath ? { healthPath: b.healthPath } : {}),
        ...(backend === 'cin-grpc' && grpcClientTls
          ? { mtls: { certFile: grpcClientTls.certFile, keyFile: grpcClientTls.keyFile, caFile: grpcClientTls.caFile, sni: host } }
          : {}),
        workload,
        containerPort: b.port,
        backend,
      });
      return name;
    };
    const [primary, ...others] = backends.cinLanguages;
    if (!primary) throw new Error(`[${config.name}] edge routes to CIN need at least one language`);

    this.routes = config.edge.routes.flatMap((r): EdgeRoute[] => {
      const base = {
        timeoutMs: milliseconds(r.timeout),
        retries: r.retries ?? 0,
        websocket: r.websocket ?? false,
        grpcWeb: r.backend === 'cin-grpc',
        rateLimited: r.rateLimited ?? false,
      };
      if (r.backend === 'web' || r.backend === 'pin-orchestrator') {
        const workload = r.backend === 'web' ? backends.web : backends.orchestrator;
        return [{ ...base, name: r.name, match: matchOf(r, {}), cluster: clusterFor(r.backend, workload) }];
      }
      const pick = (code: string) =>
        r.backend === 'cin-grpc' ? { headers: [{ name: LANGUAGE_HEADER, exact: code }] } : { queryParameters: [{ name: LANGUAGE_QUERY_PARAMETER, exact: code }] };
      return [
        ...others.map((lang) => ({ ...base, name: `${r.name}-${lang.code}`, match: matchOf(r, pick(lang.code)), cluster: clusterFor(r.backend, lang) })),
        { ...base, name: r.name, match: matchOf(r, {}), cluster: clusterFor(r.backend, primary) },
      ];
    });
    this.upstreams = [...upstreams.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /**
   * The backends the routes use, each with a pattern of its cluster names: the same in every
   * environment, whatever its languages, so one Edge dashboard serves them all.
   */
  public get backendGroups(): EdgeBackendGroup[] {
    const groups = new Map<string, EdgeBackendGroup>();
    for (const u of this.upstreams) {
      const service = u.backend === 'cin-http' || u.backend === 'cin-grpc' ? CIN_SERVICE_REGEX : u.workload.name;
      groups.set(u.backend, { name: u.backend, clusterRegex: `${service}-${u.port}` });
    }
    return [...groups.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }
}
