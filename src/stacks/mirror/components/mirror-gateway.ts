import { configFiles, defineComponent, DisruptionBudget, ImageReference, StatelessService, valueSchemas } from '../../../lib/index.ts';
import { exportVolume } from '../export-volumes.ts';
import { GATEWAY_PATHS, gatewayConfig } from '../gateway-config.ts';
import { EXPORTER_IMAGE, EXPORTER_RESOURCES, GATEWAY_RESOURCES } from '../model/defaults.ts';
import type { GatewaySettings, MirrorConfig } from '../model/types.ts';
import { GATEWAY_PORTS, GATEWAY_SERVICE_PORT, HEALTH_PATH, SERVE_ROOT } from '../ports.ts';
import { GATEWAY_HTPASSWD_SECRET, GATEWAY_TLS_SECRET } from '../mirror-secrets.ts';

/**
 * The mirror gateway (seed sections 2, 5 and 6): nginx terminating TLS and Basic Auth per domain,
 * serving the synced export trees read-only with the CDN's cache headers and per-domain request
 * budgets, behind a LoadBalancer that only the CDN's ranges reach. An exporter sidecar turns
 * stub_status into metrics for Prometheus.
 */
export default defineComponent<GatewaySettings, MirrorConfig>({
  name: 'mirror-gateway',
  role: 'gateway',
  settings: {
    type: 'object',
    additionalProperties: false,
    required: ['image'],
    properties: {
      image: valueSchemas.image,
      replicas: { ...valueSchemas.replicas, default: 2 },
      resources: { ...valueSchemas.resources, default: GATEWAY_RESOURCES },
      exporter: {
        type: 'object',
        additionalProperties: false,
        required: ['image', 'resources'],
        properties: { image: valueSchemas.image, resources: valueSchemas.resources },
        default: { image: EXPORTER_IMAGE, resources: EXPORTER_RESOURCES },
      },
    },
  },
  ports: {
    https: { port: GATEWAY_PORTS.https },
    health: { port: GATEWAY_PORTS.health, healthPath: HEALTH_PATH },
    metrics: { port: GATEWAY_PORTS.metrics },
  },
  build: (ctx) => {
    const { settings, model } = ctx;
    const files = configFiles(ctx.scope, 'Config', 'mirror-gateway-config', ctx.labels, { 'nginx.conf': gatewayConfig(model) });
    const trees = model.exports.map((tree) => ({ tree, volume: exportVolume(tree) }));
    const workload = new StatelessService(ctx.scope, 'Workload', {
      name: 'mirror-gateway',
      labels: ctx.labels,
      replicas: settings.replicas,
      container: {
        image: ImageReference.of(settings.image),
        command: ['nginx', '-c', `${GATEWAY_PATHS.config}/nginx.conf`, '-g', 'daemon off;'],
        ports: [
          { name: 'https', port: GATEWAY_PORTS.https },
          { name: 'health', port: GATEWAY_PORTS.health },
        ],
        resources: settings.resources,
        health: { port: 'health', path: HEALTH_PATH, startupSeconds: 30 },
        mounts: [
          { volume: 'config', path: GATEWAY_PATHS.config },
          { volume: 'tls', path: GATEWAY_PATHS.tls },
          { volume: 'htpasswd', path: GATEWAY_PATHS.htpasswd },
          ...trees.map(({ tree, volume }) => ({ volume: volume.name, path: `${SERVE_ROOT}${tree.urlPrefix.replace(/\/$/, '')}` })),
        ],
      },
      sidecars: [
        {
          name: 'exporter',
          image: ImageReference.of(settings.exporter.image),
          args: [`--nginx.scrape-uri=http://127.0.0.1:${GATEWAY_PORTS.health}/stub_status`, `--web.listen-address=:${GATEWAY_PORTS.metrics}`],
          ports: [{ name: 'metrics', port: GATEWAY_PORTS.metrics }],
          resources: settings.exporter.resources,
        },
      ],
      volumes: [
        { name: 'config', configMap: { name: files.name } },
        { name: 'tls', secret: { secretName: GATEWAY_TLS_SECRET, defaultMode: 0o440 } },
        { name: 'htpasswd', secret: { secretName: GATEWAY_HTPASSWD_SECRET, defaultMode: 0o440 } },
        ...trees.map(({ volume }) => volume),
      ],
      podAnnotations: { 'checksum/config': files.checksum },
      servicePorts: [{ name: 'https', port: GATEWAY_SERVICE_PORT, targetPort: GATEWAY_PORTS.https }],
      // The CDN's origin pulls keep their source address (externalTrafficPolicy: Local), so the
      // gateway's policy can admit the CDN's ranges alone (section 5.1).
      serviceType: 'LoadBalancer',
      loadBalancerSourceRanges: model.network.cdnCidrs,
    });
    if (ctx.features.podDisruptionBudget) new DisruptionBudget(ctx.scope, 'Budget', { target: workload });
    return { workload, construct: workload, servicePorts: ['https'] };
  },
  admits: [{ cidrs: 'cdnCidrs', ports: ['https'] }],
  metrics: {
    port: 'metrics',
    catalogue: [
      { name: 'nginx_up', type: 'gauge', labels: [], help: 'Whether the exporter reached nginx\'s stub_status.' },
      { name: 'nginx_connections_active', type: 'gauge', labels: [], help: 'Open client connections, idle ones included.' },
      { name: 'nginx_connections_accepted', type: 'counter', labels: [], help: 'Client connections accepted.' },
      { name: 'nginx_connections_handled', type: 'counter', labels: [], help: 'Client connections handled.' },
      { name: 'nginx_http_requests_total', type: 'counter', labels: [], help: 'Client requests served.' },
    ],
  },
  chart: { description: 'StellaOps mirror: the gateway, its export volumes and the 5-minute sync job', smokeTest: { port: 'https', path: HEALTH_PATH } },
});
