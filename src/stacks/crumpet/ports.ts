import type { NamedPort } from '../../lib/index.ts';

/*
 * Every port of the platform (spec section 2), in one place: containers, Services, probes and
 * network policies all read them from here.
 */
export const PORTS = {
  /** CIN node HTTP/2 JSON API and WebSocket. */
  cinHttp: { name: 'http', port: 8080 },
  /** CIN node gRPC control API. */
  cinGrpc: { name: 'grpc', port: 8081 },
  /** CIN node libp2p QUIC. */
  cinP2p: { name: 'p2p', port: 4001, protocol: 'UDP' },
  /** Pin orchestrator REST API. */
  orchestrator: { name: 'http', port: 7070 },
  /**
   * `/metrics` of CIN and the orchestrator, apart from their APIs, so Prometheus may reach it and
   * no API: the apps listen on it at the address in {@link METRICS_ADDRESS_ENV}.
   */
  metrics: { name: 'metrics', port: 9091 },
  /** Watcher health and /metrics, its only port (not in the spec, which gives the watcher no API). */
  watcher: { name: 'http', port: 9090 },
  /** Next.js server. */
  web: { name: 'http', port: 3000 },
  /**
   * Envoy's TLS listener inside the pod; the Service publishes it on 443. An unprivileged port,
   * so Envoy needs no NET_BIND_SERVICE.
   */
  edgeHttps: { name: 'https', port: 8443 },
  /** Envoy's QUIC (HTTP/3) listener, same port over UDP. */
  edgeQuic: { name: 'quic', port: 8443, protocol: 'UDP' },
  /** Envoy's stats listener serving /stats/prometheus; the admin API itself stays on localhost. */
  edgeStats: { name: 'stats', port: 9902 },
  /**
   * Envoy's drain listener, called by the kubelet's preStop hook only: no NetworkPolicy admits
   * anyone to it, and the node's own traffic to its pods is always allowed.
   */
  edgeDrain: { name: 'drain', port: 9903 },
  /** Kubo RPC API: reachable from this namespace only. */
  kuboApi: { name: 'api', port: 5001 },
  /** Kubo swarm over TCP and QUIC. */
  kuboSwarmTcp: { name: 'swarm', port: 4001 },
  kuboSwarmUdp: { name: 'swarm-quic', port: 4001, protocol: 'UDP' },
  /** OTLP gRPC on the OpenTelemetry Collector sidecar (localhost). */
  otlp: { name: 'otlp', port: 4317 },
} as const satisfies Record<string, NamedPort>;

/** Environment variable telling CIN and the orchestrator where to serve `/metrics` ({@link PORTS}.metrics). */
export const METRICS_ADDRESS_ENV = 'METRICS_LISTEN_ADDRESS';

/** Port the public edge Service listens on. */
export const EDGE_PUBLIC_PORT = 443;
/** Envoy's admin interface, bound to 127.0.0.1 only. */
export const ENVOY_ADMIN_PORT = 9901;
/** The path every Crumpet service answers health checks on. */
export const HEALTH_PATH = '/v1/health';
/** The Next.js app's health endpoint. */
export const WEB_HEALTH_PATH = '/api/health';
