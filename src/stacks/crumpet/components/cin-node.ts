import { defineComponent } from '../../../lib/index.ts';
import { CinNode } from '../cin-node.ts';
import { LANGUAGE_HEADER, LANGUAGE_QUERY_PARAMETER } from '../edge-routes.ts';
import { cinNodeSettings } from '../model/schema.ts';
import type { CinNodeConfig, PlatformConfig } from '../model/types.ts';
import { HEALTH_PATH, PORTS } from '../ports.ts';

/**
 * CIN nodes: the indexer and query API, sharded by language (spec sections 2 and 12). HTTP/2
 * JSON and WebSockets on 8080, gRPC on 8081, libp2p QUIC on 4001/UDP, `/metrics` on a port of its
 * own. The edge routes to each language's Service, picked by `?lang=` or `x-crumpet-lang`.
 */
export default defineComponent<CinNodeConfig, PlatformConfig>({
  name: 'cin-node',
  role: 'indexer',
  settings: cinNodeSettings,
  ports: {
    http: { port: PORTS.cinHttp.port, appProtocol: 'http2', healthPath: HEALTH_PATH },
    grpc: { port: PORTS.cinGrpc.port, appProtocol: 'grpc', meshTls: true },
    p2p: { port: PORTS.cinP2p.port, protocol: 'UDP', appProtocol: 'tcp' },
    metrics: { port: PORTS.metrics.port },
  },
  build: (ctx) => {
    const cin = new CinNode(ctx.scope, 'CinNode', { config: ctx.model, labels: ctx.labels, ...(ctx.mesh ? { mesh: ctx.mesh } : {}) });
    return {
      workload: cin.all,
      construct: cin,
      shards: cin.languages.map((l) => ({ workload: l, key: l.code })),
      shardedBy: { queryParameter: LANGUAGE_QUERY_PARAMETER, header: LANGUAGE_HEADER },
      servicePorts: ['http', 'grpc'],
    };
  },
  // gRPC (and gRPC-Web) calls of the `grpc.` packages, the search (rate-limited per client, spec
  // section 11), the WebSocket and the rest of the API.
  routes: [
    { name: 'cin-grpc', regex: '^/grpc\\.[^/]+/[^/]+$', port: 'grpc', timeout: '60s' },
    { name: 'search', path: '/v1/search', port: 'http', rateLimited: true, timeout: '5s', retries: 2 },
    { name: 'cin-ws', path: '/v1/ws', port: 'http', websocket: true, timeout: '0s' },
    { name: 'cin-api', prefix: '/v1/', port: 'http', timeout: '15s', retries: 2 },
  ],
  // Chain RPC, IPFS gateways, libp2p peers both ways, and Kubo's API while it runs.
  calls: [
    { cidrs: 'rpcEndpointCidrs', ports: [{ port: 443 }] },
    { cidrs: 'ipfsGatewayCidrs', ports: [{ port: 443 }] },
    { cidrs: 'peerCidrs', ports: [{ port: PORTS.cinP2p.port, protocol: 'UDP' }] },
    { component: 'kubo', port: 'api', whileItRuns: true },
  ],
  admits: [{ cidrs: 'peerCidrs', ports: ['p2p'] }],
  metrics: {
    port: 'metrics',
    catalogue: [
      {
        name: 'cin_query_latency_ms',
        type: 'histogram',
        labels: ['ranker'],
        help: 'Search query latency in milliseconds, by ranker.',
        // 400: the read-latency SLO's bound (spec section 8); 1000 and 2500 around the p95 alert.
        buckets: [10, 25, 50, 100, 200, 400, 1000, 2500, 5000],
      },
      { name: 'ingest_lag_seconds', type: 'gauge', labels: [], help: 'Seconds between the chain head and the last ingested block.' },
      { name: 'snapshot_age_seconds', type: 'gauge', labels: ['lang'], help: 'Seconds since the last published index snapshot, by language.' },
      { name: 'preview_mismatch_total', type: 'counter', labels: [], help: 'Rendered previews whose hash differs from the on-chain record.' },
      { name: 'ipfs_fetch_ms', type: 'histogram', labels: [], help: 'Time to fetch one object from an IPFS gateway, in milliseconds.' },
      { name: 'ws_clients', type: 'gauge', labels: [], help: 'Connected WebSocket clients.' },
      {
        name: 'ws_session_duration_seconds',
        type: 'histogram',
        labels: ['closed_by'],
        help: 'Duration of ended WebSocket sessions, by the side that closed them (client, server).',
        // 3600: the WebSocket-uptime SLO's bound (spec section 8).
        buckets: [60, 300, 900, 1800, 3600, 7200, 14400, 43200, 86400],
      },
      { name: 'quorum_fail_total', type: 'counter', labels: [], help: 'Snapshot roots that failed the cross-node quorum check.' },
    ],
  },
});
