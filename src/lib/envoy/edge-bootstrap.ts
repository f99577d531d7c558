/*
 * A static Envoy v3 Bootstrap for an edge proxy: TLS over TCP (HTTP/1.1 and HTTP/2) and QUIC
 * (HTTP/3) on the same port, one route table shared by both, CORS, gRPC-Web and a token bucket
 * enabled per route, JSON access logs, active health checks on every upstream, the admin
 * interface on localhost with only `/stats/prometheus` published, and a drain listener for the
 * kubelet's preStop hook.
 *
 * Field names and enum values are Envoy's proto names; `EnvoyApi` checks the result against
 * Envoy's own API definitions.
 * @see https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/bootstrap/v3/bootstrap.proto
 */

/** Files of a certificate and its key, as mounted in the Envoy container. */
export interface CertificateFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

/** Client certificate and trust anchor for mTLS to an upstream. */
export interface UpstreamMtls extends CertificateFiles {
  /** CA bundle the upstream's server certificate must chain to. */
  readonly caFile: string;
  /** Server name sent in the TLS handshake and checked against the certificate. */
  readonly sni: string;
}

/** An upstream the edge proxies to: one Kubernetes Service port. */
export interface EdgeCluster {
  /** Envoy cluster name, e.g. `api-eu-8080`; the `envoy_cluster_name` label of its metrics. */
  readonly name: string;
  /** DNS name of the Service. */
  readonly host: string;
  readonly port: number;
  /** `grpc` is HTTP/2 checked with the gRPC health protocol. */
  readonly protocol: 'http1' | 'http2' | 'grpc';
  /**
   * Path of the active HTTP health check.
   * @default - none for gRPC clusters, which use grpc.health.v1
   */
  readonly healthPath?: string;
  /**
   * mTLS to the upstream.
   * @default - plaintext inside the cluster
   */
  readonly mtls?: UpstreamMtls;
}

/** An exact-value condition on a query parameter or header. */
export interface ExactMatch {
  readonly name: string;
  readonly exact: string;
}

/** What a request must look like to take a route; exactly one of prefix, path and regex. */
export interface EdgeRouteMatch {
  readonly prefix?: string;
  readonly path?: string;
  /** RE2, matched against the whole path. */
  readonly regex?: string;
  /** @default - any */
  readonly queryParameters?: readonly ExactMatch[];
  /** @default - any */
  readonly headers?: readonly ExactMatch[];
}

/** One route; routes are tried in order and the first match wins. */
export interface EdgeRoute {
  /** Route name in stats and access logs (`%ROUTE_NAME%`). */
  readonly name: string;
  readonly match: EdgeRouteMatch;
  /** Name of an {@link EdgeCluster}. */
  readonly cluster: string;
  /** Upstream timeout in milliseconds; 0 disables it. */
  readonly timeoutMs: number;
  /** Retries on connect failure, reset and refused stream. */
  readonly retries: number;
  /** Accept WebSocket upgrades (HTTP/1.1 Upgrade and HTTP/2 extended CONNECT). */
  readonly websocket: boolean;
  /** Translate gRPC-Web to gRPC (the gRPC-Web filter is off elsewhere). */
  readonly grpcWeb: boolean;
  /** Apply the token bucket of {@link EdgeBootstrapProps.rateLimit}. */
  readonly rateLimited: boolean;
}

/**
 * The listener the kubelet's preStop hook calls (an `httpGet`: the Envoy image has no shell and no
 * curl to POST to the admin interface itself). A GET on `path` starts Envoy's graceful drain of
 * the public listeners (admin `POST /drain_listeners?graceful&inboundonly`; its length and manner
 * are Envoy's `--drain-time-s` and `--drain-strategy`) and answers only after `waitMs`, so the
 * kubelet sends SIGTERM once the requests in flight are done.
 */
export interface EdgeDrain {
  /** Port of the drain listener, on every address of the pod. */
  readonly port: number;
  /** The one path that drains; any other gets 404 and drains nothing. */
  readonly path: string;
  /** How long the answer is held after the drain started, in milliseconds. */
  readonly waitMs: number;
}

/** Props of {@link edgeBootstrap}. */
export interface EdgeBootstrapProps {
  /** Host names served; a request for another host gets 404. */
  readonly domains: readonly string[];
  /** The server certificate of both listeners. */
  readonly tls: CertificateFiles;
  /** Port of the TCP and UDP listeners inside the pod. */
  readonly listenPort: number;
  /** Port clients connect to (the Service's), advertised in `alt-svc` for HTTP/3. */
  readonly publicPort: number;
  /** Listener that publishes `/stats/prometheus` of the admin interface. */
  readonly statsPort: number;
  /** Admin interface, bound to 127.0.0.1. */
  readonly adminPort: number;
  readonly drain: EdgeDrain;
  readonly routes: readonly EdgeRoute[];
  readonly clusters: readonly EdgeCluster[];
  /** Origins CORS admits, matched exactly. */
  readonly corsOrigins: readonly string[];
  /** Request headers browsers may send cross-origin. */
  readonly corsAllowHeaders: readonly string[];
  /** Response headers browsers may read cross-origin. */
  readonly corsExposeHeaders: readonly string[];
  /** Token bucket of the rate-limited routes, one bucket per downstream connection. */
  readonly rateLimit: { readonly requestsPerSecond: number; readonly burst: number };
  /**
   * Request id header: kept when the client sends it, else Envoy's generated id; sent upstream,
   * returned in the response and written to the access log.
   */
  readonly requestIdHeader: string;
  /** Proxies in front of Envoy whose `x-forwarded-for` entries are trusted (a CDN: 1). */
  readonly trustedHops: number;
}

/** Envoy's names of the HTTP filters, also the keys of per-route filter configuration. */
export const HTTP_FILTERS = {
  cors: 'envoy.filters.http.cors',
  grpcWeb: 'envoy.filters.http.grpc_web',
  rateLimit: 'envoy.filters.http.local_ratelimit',
  router: 'envoy.filters.http.router',
  lua: 'envoy.filters.http.lua',
  fault: 'envoy.filters.http.fault',
} as const;

/**
 * The admin call that drains: gracefully (connections are told to close, the listeners keep
 * accepting for the drain time, then stop), and only the public listeners (`traffic_direction:
 * INBOUND`), so the stats listener keeps answering Prometheus and the drain listener its caller.
 * @see https://www.envoyproxy.io/docs/envoy/v1.32.3/operations/admin#post--drain_listeners
 */
const DRAIN_ADMIN_PATH = '/drain_listeners?graceful&inboundonly';

const TYPE = 'type.googleapis.com/';
const ALL_ADDRESSES = '0.0.0.0';
const LOCALHOST = '127.0.0.1';
const ADMIN_CLUSTER = 'admin';

/** Milliseconds as a proto3 JSON Duration: `15s`, `0.250s`. */
export function envoyDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(3)}s`;
}

function socketAddress(address: string, port: number, protocol?: 'UDP'): object {
  return { socket_address: { address, port_value: port, ...(protocol ? { protocol } : {}) } };
}

function commonTls(files: CertificateFiles, alpn: readonly string[]): object {
  return {
    alpn_protocols: [...alpn],
    tls_certificates: [{ certificate_chain: { filename: files.certFile }, private_key: { filename: files.keyFile } }],
    tls_params: { tls_minimum_protocol_version: 'TLSv1_2' },
  };
}

const ALWAYS = { runtime_key: 'edge_rate_limit_enabled', default_value: { numerator: 100, denominator: 'HUNDRED' } };

/** Per-route filter configuration that switches a filter disabled by default on. */
const ENABLE = { '@type': `${TYPE}envoy.config.route.v3.FilterConfig`, disabled: false };

function routeMatch(m: EdgeRouteMatch): object {
  return {
    ...(m.prefix !== undefined ? { prefix: m.prefix } : {}),
    ...(m.path !== undefined ? { path: m.path } : {}),
    ...(m.regex !== undefined ? { safe_regex: { regex: m.regex } } : {}),
    ...(m.queryParameters?.length ? { query_parameters: m.queryParameters.map((q) => ({ name: q.name, string_match: { exact: q.exact } })) } : {}),
    ...(m.headers?.length ? { headers: m.headers.map((h) => ({ name: h.name, string_match: { exact: h.exact } })) } : {}),
  };
}

function route(r: EdgeRoute, p: EdgeBootstrapProps, grpc: boolean): object {
  const perFilter: Record<string, object> = {};
  if (r.grpcWeb) perFilter[HTTP_FILTERS.grpcWeb] = ENABLE;
  if (r.rateLimited) {
    perFilter[HTTP_FILTERS.rateLimit] = {
      '@type': `${TYPE}envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit`,
      stat_prefix: `${r.name.replace(/-/g, '_')}_rate_limit`,
      token_bucket: { max_tokens: p.rateLimit.burst, tokens_per_fill: p.rateLimit.requestsPerSecond, fill_interval: '1s' },
      filter_enabled: ALWAYS,
      filter_enforced: ALWAYS,
      local_rate_limit_per_downstream_connection: true,
      response_headers_to_add: [{ header: { key: 'x-rate-limited', value: 'edge' }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' }],
    };
  }
  const timeout = envoyDuration(r.timeoutMs);
  return {
    name: r.name,
    match: routeMatch(r.match),
    route: {
      cluster: r.cluster,
      timeout,
      ...(r.retries > 0
        ? { retry_policy: { retry_on: grpc ? 'connect-failure,refused-stream,unavailable' : 'connect-failure,refused-stream,reset', num_retries: r.retries } }
        : {}),
      ...(r.websocket ? { upgrade_configs: [{ upgrade_type: 'websocket', enabled: true }] } : {}),
      ...(grpc ? { max_stream_duration: { grpc_timeout_header_max: timeout } } : {}),
    },
    ...(Object.keys(perFilter).length > 0 ? { typed_per_filter_config: perFilter } : {}),
  };
}

function routeConfig(p: EdgeBootstrapProps): object {
  const grpcClusters = new Set(p.clusters.filter((c) => c.protocol === 'grpc').map((c) => c.name));
  const keep = (key: string, value: string, action: string) => ({ header: { key, value }, append_action: action });
  return {
    name: 'edge',
    // Clients that keep an id keep it; the others get Envoy's, so every hop logs the same id.
    request_headers_to_add: [keep(p.requestIdHeader, '%REQ(x-request-id)%', 'ADD_IF_ABSENT')],
    response_headers_to_add: [
      keep(p.requestIdHeader, `%REQ(${p.requestIdHeader})%`, 'OVERWRITE_IF_EXISTS_OR_ADD'),
      keep('alt-svc', `h3=":${p.publicPort}"; ma=86400`, 'OVERWRITE_IF_EXISTS_OR_ADD'),
    ],
    virtual_hosts: [
      {
        name: 'edge',
        domains: p.domains.flatMap((d) => [d, `${d}:${p.publicPort}`]),
        routes: p.routes.map((r) => route(r, p, grpcClusters.has(r.cluster))),
        typed_per_filter_config: {
          [HTTP_FILTERS.cors]: {
            '@type': `${TYPE}envoy.extensions.filters.http.cors.v3.CorsPolicy`,
            allow_origin_string_match: p.corsOrigins.map((o) => ({ exact: o })),
            allow_methods: 'GET, POST, PUT, DELETE, OPTIONS',
            allow_headers: p.corsAllowHeaders.join(', '),
            expose_headers: p.corsExposeHeaders.join(', '),
            max_age: '86400',
          },
        },
      },
    ],
  };
}

/** JSON access log on stdout; client addresses are left out (spec section 15: redact IPs). */
function accessLog(p: EdgeBootstrapProps): object {
  return {
    name: 'envoy.access_loggers.stdout',
    typed_config: {
      '@type': `${TYPE}envoy.extensions.access_loggers.stream.v3.StdoutAccessLog`,
      log_format: {
        json_format: {
          time: '%START_TIME%',
          req_id: `%REQ(${p.requestIdHeader})%`,
          method: '%REQ(:METHOD)%',
          path: '%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%',
          protocol: '%PROTOCOL%',
          status: '%RESPONSE_CODE%',
          grpc_status: '%GRPC_STATUS%',
          flags: '%RESPONSE_FLAGS%',
          route: '%ROUTE_NAME%',
          upstream_cluster: '%UPSTREAM_CLUSTER%',
          duration_ms: '%DURATION%',
          upstream_ms: '%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%',
          bytes_received: '%BYTES_RECEIVED%',
          bytes_sent: '%BYTES_SENT%',
          user_agent: '%REQ(USER-AGENT)%',
        },
      },
    },
  };
}

/** The router, last of every filter chain. */
const ROUTER = { name: HTTP_FILTERS.router, typed_config: { '@type': `${TYPE}envoy.extensions.filters.http.router.v3.Router` } };

/** The HTTP connection manager network filter with `config` as its typed config. */
function httpConnectionManager(config: Record<string, unknown>): object {
  return {
    name: 'envoy.filters.network.http_connection_manager',
    typed_config: { '@type': `${TYPE}envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager`, ...config },
  };
}

function httpFilters(): object[] {
  return [
    { name: HTTP_FILTERS.cors, typed_config: { '@type': `${TYPE}envoy.extensions.filters.http.cors.v3.Cors` } },
    // Off by default; the gRPC routes switch it on.
    { name: HTTP_FILTERS.grpcWeb, typed_config: { '@type': `${TYPE}envoy.extensions.filters.http.grpc_web.v3.GrpcWeb` }, disabled: true },
    // No bucket here: only routes with their own configuration are limited.
    {
      name: HTTP_FILTERS.rateLimit,
      typed_config: { '@type': `${TYPE}envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit`, stat_prefix: 'edge_rate_limit' },
    },
    ROUTER,
  ];
}

function connectionManager(p: EdgeBootstrapProps, quic: boolean): object {
  return httpConnectionManager({
    stat_prefix: quic ? 'edge_quic' : 'edge_https',
    codec_type: quic ? 'HTTP3' : 'AUTO',
    use_remote_address: true,
    xff_num_trusted_hops: p.trustedHops,
    generate_request_id: true,
    preserve_external_request_id: true,
    ...(quic ? { http3_protocol_options: {} } : { http2_protocol_options: { allow_connect: true, max_concurrent_streams: 100 } }),
    upgrade_configs: [{ upgrade_type: 'websocket', enabled: false }],
    common_http_protocol_options: { idle_timeout: '300s' },
    stream_idle_timeout: '300s',
    access_log: [accessLog(p)],
    route_config: routeConfig(p),
    http_filters: httpFilters(),
  });
}

function publicListeners(p: EdgeBootstrapProps): object[] {
  const tlsContext = (alpn: readonly string[]) => ({ common_tls_context: commonTls(p.tls, alpn) });
  return [
    {
      name: 'https',
      address: socketAddress(ALL_ADDRESSES, p.listenPort),
      traffic_direction: 'INBOUND',
      filter_chains: [
        {
          transport_socket: {
            name: 'envoy.transport_sockets.tls',
            typed_config: { '@type': `${TYPE}envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext`, ...tlsContext(['h2', 'http/1.1']) },
          },
          filters: [connectionManager(p, false)],
        },
      ],
    },
    {
      name: 'https-quic',
      address: socketAddress(ALL_ADDRESSES, p.listenPort, 'UDP'),
      traffic_direction: 'INBOUND',
      udp_listener_config: { quic_options: {}, downstream_socket_config: { prefer_gro: true } },
      filter_chains: [
        {
          transport_socket: {
            name: 'envoy.transport_sockets.quic',
            typed_config: {
              '@type': `${TYPE}envoy.extensions.transport_sockets.quic.v3.QuicDownstreamTransport`,
              downstream_tls_context: tlsContext(['h3']),
            },
          },
          filters: [connectionManager(p, true)],
        },
      ],
    },
  ];
}

/** The stats listener: `/stats/prometheus` of the admin interface and nothing else. */
function statsListener(p: EdgeBootstrapProps): object {
  return {
    name: 'stats',
    address: socketAddress(ALL_ADDRESSES, p.statsPort),
    filter_chains: [
      {
        filters: [
          httpConnectionManager({
            stat_prefix: 'stats',
            route_config: {
              name: 'stats',
              virtual_hosts: [
                {
                  name: 'stats',
                  domains: ['*'],
                  routes: [
                    { name: 'prometheus', match: { path: '/stats/prometheus' }, route: { cluster: ADMIN_CLUSTER } },
                    { name: 'ready', match: { path: '/ready' }, route: { cluster: ADMIN_CLUSTER } },
                  ],
                },
              ],
            },
            http_filters: [ROUTER],
          }),
        ],
      },
    ],
  };
}

/** Lua, run on the drain route only: the admin call, from inside Envoy. */
const DRAIN_LUA = `-- Starts Envoy's graceful drain; the fault filter after this one holds the answer.
function envoy_on_request(handle)
  local headers = handle:httpCall("${ADMIN_CLUSTER}", {
    [":method"] = "POST",
    [":path"] = "${DRAIN_ADMIN_PATH}",
    [":authority"] = "admin",
  }, "", 2000)
  if headers[":status"] ~= "200" then
    handle:logErr("drain_listeners answered " .. tostring(headers[":status"]))
  end
end
`;

/** The drain listener: {@link EdgeDrain}. */
function drainListener(p: EdgeBootstrapProps): object {
  return {
    name: 'drain',
    address: socketAddress(ALL_ADDRESSES, p.drain.port),
    filter_chains: [
      {
        filters: [
          httpConnectionManager({
            stat_prefix: 'drain',
            // The answer is held longer than the default idle timeout (5 minutes) may allow.
            stream_idle_timeout: '0s',
            route_config: {
              name: 'drain',
              virtual_hosts: [
                {
                  name: 'drain',
                  domains: ['*'],
                  routes: [
                    {
                      name: 'drain',
                      match: { path: p.drain.path },
                      direct_response: { status: 200, body: { inline_string: 'drained\n' } },
                      typed_per_filter_config: { [HTTP_FILTERS.lua]: ENABLE, [HTTP_FILTERS.fault]: ENABLE },
                    },
                  ],
                },
              ],
            },
            // Both off but on the drain route: a request for another path drains nothing.
            http_filters: [
              {
                name: HTTP_FILTERS.lua,
                typed_config: { '@type': `${TYPE}envoy.extensions.filters.http.lua.v3.Lua`, default_source_code: { inline_string: DRAIN_LUA } },
                disabled: true,
              },
              {
                name: HTTP_FILTERS.fault,
                typed_config: {
                  '@type': `${TYPE}envoy.extensions.filters.http.fault.v3.HTTPFault`,
                  delay: { fixed_delay: envoyDuration(p.drain.waitMs), percentage: { numerator: 100, denominator: 'HUNDRED' } },
                },
                disabled: true,
              },
              ROUTER,
            ],
          }),
        ],
      },
    ],
  };
}

function loadAssignment(name: string, host: string, port: number): object {
  return { cluster_name: name, endpoints: [{ lb_endpoints: [{ endpoint: { address: socketAddress(host, port) } }] }] };
}

function cluster(c: EdgeCluster): object {
  const http2 = c.protocol !== 'http1';
  const healthCheck = c.protocol === 'grpc'
    ? { grpc_health_check: {} }
    : { http_health_check: { path: c.healthPath ?? '/', ...(http2 ? { codec_client_type: 'HTTP2' } : {}) } };
  return {
    name: c.name,
    type: 'STRICT_DNS',
    dns_lookup_family: 'V4_ONLY',
    connect_timeout: '2s',
    lb_policy: 'LEAST_REQUEST',
    load_assignment: loadAssignment(c.name, c.host, c.port),
    health_checks: [{ timeout: '2s', interval: '10s', unhealthy_threshold: 3, healthy_threshold: 2, ...healthCheck }],
    outlier_detection: { consecutive_5xx: 5, base_ejection_time: '30s', max_ejection_percent: 50 },
    ...(http2
      ? {
          typed_extension_protocol_options: {
            'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
              '@type': `${TYPE}envoy.extensions.upstreams.http.v3.HttpProtocolOptions`,
              explicit_http_config: { http2_protocol_options: { allow_connect: true } },
            },
          },
        }
      : {}),
    ...(c.mtls
      ? {
          transport_socket: {
            name: 'envoy.transport_sockets.tls',
            typed_config: {
              '@type': `${TYPE}envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext`,
              sni: c.mtls.sni,
              common_tls_context: {
                ...commonTls(c.mtls, ['h2']),
                validation_context: { trusted_ca: { filename: c.mtls.caFile }, match_typed_subject_alt_names: [{ san_type: 'DNS', matcher: { exact: c.mtls.sni } }] },
              },
            },
          },
        }
      : {}),
  };
}

/** The edge's Bootstrap in proto3 JSON form (YAML-ready). */
export function edgeBootstrap(p: EdgeBootstrapProps): Record<string, unknown> {
  return {
    node: { id: 'edge', cluster: 'edge' },
    admin: { address: socketAddress(LOCALHOST, p.adminPort) },
    static_resources: {
      listeners: [...publicListeners(p), statsListener(p), drainListener(p)],
      clusters: [
        ...p.clusters.map(cluster),
        { name: ADMIN_CLUSTER, type: 'STATIC', connect_timeout: '1s', load_assignment: loadAssignment(ADMIN_CLUSTER, LOCALHOST, p.adminPort) },
      ],
    },
  };
}
