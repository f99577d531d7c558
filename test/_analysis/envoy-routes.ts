/*
 * Envoy's HTTP routing semantics, evaluated over a generated static Bootstrap, so tests can assert
 * "which route and cluster does this request take, is it rate-limited, is its upgrade accepted"
 * instead of the shape of envoy.yaml.
 *
 * What is modelled (Envoy v3, route.v3.RouteConfiguration): virtual host selection by exact domain
 * (`host` or `host:port`, then `*`); routes tried in order, the first whose path matcher
 * (`prefix`, `path`, `safe_regex` over the whole path, query excluded) and every `headers` and
 * `query_parameters` exact matcher match; per-route filter configuration of the local rate limit
 * and of filters disabled by default (gRPC-Web); WebSocket upgrades, refused unless the route or
 * the connection manager enables them; the virtual host's CORS policy (exact origins).
 * @see https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/http/http_routing
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

/** A request as it reaches the listener. */
export interface EdgeRequest {
  readonly method: string;
  /** Path with an optional query string. */
  readonly path: string;
  /** @default - the first domain of the first virtual host */
  readonly host?: string;
  /** Lower-case names. @default - none */
  readonly headers?: Readonly<Record<string, string>>;
}

/** What Envoy does with the request. */
export interface EdgeDecision {
  /** `null`: no virtual host or no route matches, Envoy answers 404. */
  readonly route: string | null;
  /** `null` for a direct response, or when no route matches. */
  readonly cluster: string | null;
  /** Status Envoy answers itself (a `direct_response` route), without an upstream. */
  readonly directResponse: number | null;
  /** The HTTP filters that run for the request, in order (the router last). */
  readonly filters: readonly string[];
  readonly rateLimited: boolean;
  /** The gRPC-Web filter translates the request. */
  readonly grpcWeb: boolean;
  /** For `upgrade: websocket` requests: whether Envoy forwards the upgrade. */
  readonly upgrade: 'none' | 'accepted' | 'refused';
  /** For requests with an `origin`: whether the CORS filter admits it, and the headers exposed. */
  readonly cors: { readonly allowed: boolean; readonly exposeHeaders: readonly string[] } | null;
  /** Route timeout as written (`15s`). */
  readonly timeout: string | null;
}

/** The HttpConnectionManager of the named listener's first filter chain. */
export function connectionManager(bootstrap: Obj, listener: string): Obj {
  const l = (bootstrap.static_resources.listeners as Obj[]).find((x) => x.name === listener);
  if (!l) throw new Error(`no listener "${listener}"`);
  return l.filter_chains[0].filters.find((f: Obj) => f.name === 'envoy.filters.network.http_connection_manager').typed_config;
}

function pathMatches(match: Obj, path: string): boolean {
  if (match.prefix !== undefined) return path.startsWith(match.prefix);
  if (match.path !== undefined) return path === match.path;
  if (match.safe_regex !== undefined) return new RegExp(`^(?:${match.safe_regex.regex})$`).test(path);
  throw new Error(`unsupported path matcher ${JSON.stringify(match)}`);
}

function exactAll(matchers: Obj[] | undefined, actual: (name: string) => string | undefined): boolean {
  return (matchers ?? []).every((m) => {
    if (m.string_match?.exact === undefined) throw new Error(`unsupported matcher ${JSON.stringify(m)}`);
    return actual(m.name) === m.string_match.exact;
  });
}

function filterEnabled(hcm: Obj, route: Obj, filter: string): boolean {
  const http = (hcm.http_filters as Obj[]).find((f) => f.name === filter);
  if (!http) return false;
  const perRoute = route.typed_per_filter_config?.[filter];
  if (perRoute?.['@type'] === 'type.googleapis.com/envoy.config.route.v3.FilterConfig') return perRoute.disabled !== true;
  return perRoute !== undefined || http.disabled !== true;
}

/** Routes `request` through the HttpConnectionManager `hcm` as Envoy would. */
export function routeRequest(hcm: Obj, request: EdgeRequest): EdgeDecision {
  const [path, query = ''] = request.path.split('?', 2) as [string, string?];
  const params = new URLSearchParams(query);
  const headers = request.headers ?? {};
  const hosts = hcm.route_config.virtual_hosts as Obj[];
  const host = request.host ?? hosts[0]!.domains[0];
  const vhost = hosts.find((v) => v.domains.includes(host)) ?? hosts.find((v) => v.domains.includes('*'));
  const none: EdgeDecision = {
    route: null,
    cluster: null,
    directResponse: null,
    filters: [],
    rateLimited: false,
    grpcWeb: false,
    upgrade: 'none',
    cors: null,
    timeout: null,
  };
  if (!vhost) return none;
  const route = (vhost.routes as Obj[]).find(
    (r) =>
      pathMatches(r.match, path) &&
      exactAll(r.match.headers, (n) => headers[n]) &&
      exactAll(r.match.query_parameters, (n) => params.get(n) ?? undefined),
  );
  const corsPolicy = vhost.typed_per_filter_config?.['envoy.filters.http.cors'];
  const origin = headers['origin'];
  const cors =
    origin === undefined || !corsPolicy
      ? null
      : {
          allowed: (corsPolicy.allow_origin_string_match as Obj[]).some((m) => m.exact === origin),
          exposeHeaders: String(corsPolicy.expose_headers ?? '').split(/,\s*/).filter(Boolean),
        };
  if (!route) return { ...none, cors };
  const wantsUpgrade = headers['upgrade']?.toLowerCase() === 'websocket';
  const enabledFor = (configs: Obj[] | undefined) => configs?.find((u) => u.upgrade_type === 'websocket')?.enabled;
  const upgradeEnabled = enabledFor(route.route?.upgrade_configs) ?? enabledFor(hcm.upgrade_configs) ?? false;
  return {
    route: route.name,
    cluster: route.route?.cluster ?? null,
    directResponse: route.direct_response?.status ?? null,
    filters: (hcm.http_filters as Obj[]).map((f) => f.name as string).filter((f) => filterEnabled(hcm, route, f)),
    rateLimited: route.typed_per_filter_config?.['envoy.filters.http.local_ratelimit']?.token_bucket !== undefined,
    grpcWeb: (headers['content-type'] ?? '').startsWith('application/grpc-web') && filterEnabled(hcm, route, 'envoy.filters.http.grpc_web'),
    upgrade: wantsUpgrade ? (upgradeEnabled ? 'accepted' : 'refused') : 'none',
    cors,
    timeout: route.route?.timeout ?? null,
  };
}
