import { defineComponent, statelessSettingsSchema, type StatelessSettings } from '../../../lib/index.ts';
import { counterRatio } from '../../../observability/index.ts';
import { EnvoyEdge } from '../envoy-edge.ts';
import { SPEC_RESOURCES } from '../model/defaults.ts';
import type { PlatformConfig } from '../model/types.ts';
import { PORTS } from '../ports.ts';

/**
 * The Envoy edge (spec sections 2, 5 and 12): built after the other components, its routes lead
 * to their ports; only the CDN's ranges reach it, Prometheus scrapes its stats listener.
 */
export default defineComponent<StatelessSettings, PlatformConfig>({
  name: 'envoy-edge',
  role: 'edge',
  settings: statelessSettingsSchema({ defaults: { replicas: 2, maxReplicas: 8, resources: SPEC_RESOURCES.envoyEdge }, autoscaling: { metrics: [] } }),
  after: 'others',
  ports: {
    https: { port: PORTS.edgeHttps.port },
    quic: { port: PORTS.edgeQuic.port, protocol: 'UDP' },
    stats: { port: PORTS.edgeStats.port, healthPath: '/ready' },
    drain: { port: PORTS.edgeDrain.port },
  },
  build: (ctx) => {
    const { delivery } = ctx.features;
    const edge = new EnvoyEdge(ctx.scope, 'EnvoyEdge', { config: ctx.model, labels: ctx.labels, components: ctx.others, declared: ctx.declared, ...(delivery ? { delivery } : {}) });
    return { workload: edge.workload, construct: edge, servicePorts: ['https', 'quic'] };
  },
  // Users reach the edge through the CDN/WAF only (spec section 2): the LoadBalancer keeps client
  // addresses (externalTrafficPolicy: Local), so the edge admits the CDN's egress ranges and no one
  // else, also on the node ports, which loadBalancerSourceRanges does not cover.
  admits: [{ cidrs: 'cdnCidrs', ports: ['https', 'quic'] }],
  metrics: {
    port: 'stats',
    path: '/stats/prometheus',
    catalogue: [
      { name: 'envoy_http_downstream_rq_xx', type: 'counter', labels: ['envoy_http_conn_manager_prefix', 'envoy_response_code_class'], help: 'Downstream responses by status class.' },
      { name: 'envoy_http_downstream_rq_http2_total', type: 'counter', labels: ['envoy_http_conn_manager_prefix'], help: 'Downstream HTTP/2 requests.' },
      { name: 'envoy_http_downstream_rq_http3_total', type: 'counter', labels: ['envoy_http_conn_manager_prefix'], help: 'Downstream HTTP/3 requests.' },
      { name: 'envoy_http_downstream_rq_total', type: 'counter', labels: ['envoy_http_conn_manager_prefix'], help: 'Downstream requests.' },
      { name: 'envoy_http_downstream_cx_active', type: 'gauge', labels: ['envoy_http_conn_manager_prefix'], help: 'Open downstream connections.' },
      { name: 'envoy_http_downstream_cx_http2_active', type: 'gauge', labels: ['envoy_http_conn_manager_prefix'], help: 'Open downstream HTTP/2 connections.' },
      { name: 'envoy_http_downstream_rq_active', type: 'gauge', labels: ['envoy_http_conn_manager_prefix'], help: 'Downstream requests (HTTP/2 streams) in flight.' },
      { name: 'envoy_cluster_upstream_rq_xx', type: 'counter', labels: ['envoy_cluster_name', 'envoy_response_code_class'], help: 'Upstream responses by cluster and status class.' },
      { name: 'envoy_cluster_upstream_rq_time', type: 'histogram', labels: ['envoy_cluster_name'], help: 'Upstream request time in milliseconds, by cluster.' },
      { name: 'envoy_cluster_upstream_rq_active', type: 'gauge', labels: ['envoy_cluster_name'], help: 'Upstream requests in flight, by cluster.' },
      { name: 'envoy_cluster_upstream_rq_pending_active', type: 'gauge', labels: ['envoy_cluster_name'], help: 'Upstream requests waiting for a connection, by cluster.' },
    ],
  },
  alerts: [
    {
      name: 'EdgeHigh5xxRate',
      query: 'sum by (namespace) (rate(envoy_http_downstream_rq_xx{envoy_response_code_class="5"}[5m])) / sum by (namespace) (rate(envoy_http_downstream_rq_xx[5m]))',
      op: '>',
      threshold: 0.05,
      for: '10m',
      priority: 'P1',
      summary: 'More than 5% of edge responses are 5xx',
      description: 'Over the last 10 minutes more than 5% of the requests answered by the Envoy edge returned a 5xx status.',
      runbook: 'r2-elevated-5xx-at-edge',
      series: (v, _t, steps) =>
        counterRatio('envoy_http_downstream_rq_xx{envoy_response_code_class="5"}', 'envoy_http_downstream_rq_xx{envoy_response_code_class="2"}', v, steps),
      warmupSeconds: 60,
    },
  ],
});
