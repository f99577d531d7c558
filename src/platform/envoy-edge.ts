import { Construct } from 'constructs';
import yaml from 'js-yaml';
import type { PlatformConfig } from '../config/index.ts';
import { DisruptionBudget, HorizontalAutoscaler, ImageReference, StatelessService, type AppLabels } from '../lib/index.ts';
import { configFiles } from './_config-map.ts';
import { EdgeCertificate } from './edge-tls.ts';
import { EDGE_PUBLIC_PORT, ENVOY_ADMIN_PORT, PORTS } from './ports.ts';

/** Props of {@link EnvoyEdge}. */
export interface EnvoyEdgeProps {
  readonly config: PlatformConfig;
  readonly labels: AppLabels;
}

/**
 * Targets of the edge autoscaler (spec section 12: "autoscale on upstream_rq_time and
 * downstream_cx_active"), as per-pod custom metrics served by prometheus-adapter.
 */
export const EDGE_SCALING = {
  /** Open downstream connections per pod. */
  downstreamCxActive: { metric: 'envoy_http_downstream_cx_active', averageValue: '2000' },
  /** Mean upstream request time per pod, in milliseconds. */
  upstreamRqTime: { metric: 'envoy_cluster_upstream_rq_time', averageValue: '250' },
} as const;

/** The bootstrap as far as the edge workload needs it: admin on localhost, stats for Prometheus. */
function bootstrap(): object {
  return {
    admin: { address: { socket_address: { address: '127.0.0.1', port_value: ENVOY_ADMIN_PORT } } },
    static_resources: {
      listeners: [
        {
          name: 'stats',
          address: { socket_address: { address: '0.0.0.0', port_value: PORTS.edgeStats.port } },
          filter_chains: [
            {
              filters: [
                {
                  name: 'envoy.filters.network.http_connection_manager',
                  typed_config: {
                    '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
                    stat_prefix: 'stats',
                    route_config: {
                      virtual_hosts: [
                        {
                          name: 'stats',
                          domains: ['*'],
                          routes: [{ match: { path: '/stats/prometheus' }, route: { cluster: 'admin' } }],
                        },
                      ],
                    },
                    http_filters: [{ name: 'envoy.filters.http.router', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } }],
                  },
                },
              ],
            },
          ],
        },
      ],
      clusters: [
        {
          name: 'admin',
          type: 'STATIC',
          connect_timeout: '1s',
          load_assignment: {
            cluster_name: 'admin',
            endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: ENVOY_ADMIN_PORT } } } }] }],
          },
        },
      ],
    },
  };
}

/**
 * The Envoy edge: 2 vCPU / 2 GB (spec section 12), one public LoadBalancer on 443 over TCP
 * (HTTP/2) and UDP (HTTP/3), its bootstrap from a ConfigMap whose checksum rolls the pods on
 * change, and an autoscaler on connections and upstream latency.
 */
export class EnvoyEdge extends Construct {
  public readonly workload: StatelessService;

  public constructor(scope: Construct, id: string, props: EnvoyEdgeProps) {
    super(scope, id);
    const { config } = props;
    const { image, replicas, maxReplicas, resources } = config.components.envoyEdge;
    const labels = props.labels.withComponent({ name: 'envoy-edge', component: 'edge', version: image.tag });
    const certificate = new EdgeCertificate(this, 'Certificate', props);
    const envoyConfig = configFiles(this, 'Config', 'envoy-edge-config', labels, {
      'envoy.yaml': yaml.dump(bootstrap(), { sortKeys: true, lineWidth: -1 }),
    });
    this.workload = new StatelessService(this, 'Workload', {
      name: 'envoy-edge',
      labels,
      replicas,
      container: {
        image: ImageReference.of(image),
        args: ['--config-path', '/etc/envoy/envoy.yaml', '--log-format', '%L%m%d %T.%e %t %v'],
        ports: [PORTS.edgeHttps, PORTS.edgeQuic, PORTS.edgeStats],
        resources,
        // Envoy's own readiness: the stats listener answers once the listeners are up.
        health: { path: '/stats/prometheus', port: PORTS.edgeStats.name },
        mounts: [
          { volume: 'config', path: '/etc/envoy' },
          { volume: 'tls', path: '/etc/envoy/tls' },
        ],
      },
      volumes: [
        { name: 'config', configMap: { name: envoyConfig.name } },
        { name: 'tls', secret: { secretName: certificate.secretName, defaultMode: 0o440 } },
      ],
      podAnnotations: { 'checksum/config': envoyConfig.checksum },
      serviceType: 'LoadBalancer',
      servicePorts: [
        { name: 'https', port: EDGE_PUBLIC_PORT, targetPort: PORTS.edgeHttps.name },
        { name: 'http3', port: EDGE_PUBLIC_PORT, targetPort: PORTS.edgeQuic.name, protocol: 'UDP' },
      ],
    });
    if (config.features.autoscaling) {
      new HorizontalAutoscaler(this, 'Autoscaler', {
        target: this.workload,
        minReplicas: replicas,
        maxReplicas,
        metrics: [
          { kind: 'pods', ...EDGE_SCALING.downstreamCxActive },
          { kind: 'pods', ...EDGE_SCALING.upstreamRqTime },
        ],
      });
    }
    if (config.features.podDisruptionBudget) new DisruptionBudget(this, 'Budget', { target: this.workload });
  }
}
