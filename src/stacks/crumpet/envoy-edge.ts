import { Construct } from 'constructs';
import yaml from 'js-yaml';
import type { PlatformConfig } from './model/index.ts';
import {
  ClusterService,
  DisruptionBudget,
  EdgeRouteTable,
  HorizontalAutoscaler,
  ImageReference,
  ProgressiveRollout,
  StatelessService,
  type AppLabels,
  type ComponentDeclaration,
  type DeliveryPlan,
  type PlacedComponent,
} from '../../lib/index.ts';
import { edgeBootstrap, EnvoyApi } from '../../lib/envoy/index.ts';
import { GeneratedFile } from '../../render/index.ts';
import { configFiles } from '../../lib/index.ts';
import { LANGUAGE_HEADER } from './edge-routes.ts';
import { EdgeCertificate } from './edge-tls.ts';
import { MeshCertificate } from './mesh-certificate.ts';
import { EDGE_PUBLIC_PORT, ENVOY_ADMIN_PORT, PORTS } from './ports.ts';

/** Props of {@link EnvoyEdge}. */
export interface EnvoyEdgeProps {
  readonly config: PlatformConfig;
  readonly labels: AppLabels;
  /** Every component the stack declares: a route one of them states for itself goes where it does not run. @default - none */
  readonly declared?: readonly ComponentDeclaration<unknown, unknown>[];
  /** The components running in the environment, by name: the routes (`edge.routes`) lead to their ports. */
  readonly components: ReadonlyMap<string, PlacedComponent>;
  /**
   * Deliver new versions blue/green by Argo Rollouts: the new pods start behind the preview
   * Service, the SLO analysis runs, then the LoadBalancer switches over (a bootstrap change is a
   * new version like any other: its checksum annotation rolls the pods).
   * @default - the Deployment rolls itself
   */
  readonly delivery?: DeliveryPlan;
}

/** The Service in front of a blue/green rollout's new pods, before they take the traffic. */
export const EDGE_PREVIEW_SERVICE = 'envoy-edge-preview';

/** The request id header of every Crumpet service (spec section 7.2). */
export const REQUEST_ID_HEADER = 'x-req-id';

/** Where the bootstrap and the certificate are mounted in the Envoy container. */
const CONFIG_DIR = '/etc/envoy';
const TLS_DIR = '/etc/envoy/tls';
const MTLS_DIR = '/etc/envoy/mtls';

/**
 * Targets of the edge autoscaler (spec section 12: "autoscale on upstream_rq_time and
 * downstream_cx_active"), as per-pod custom metrics served by prometheus-adapter.
 */
export const EDGE_SCALING = {
  /** Open downstream connections per pod. */
  downstreamCxActive: { metric: 'envoy_http_downstream_cx_active', averageValue: 2000 },
  /** Mean upstream request time per pod, in milliseconds. */
  upstreamRqTime: { metric: 'envoy_cluster_upstream_rq_time', averageValue: 250 },
} as const;

/**
 * How an edge pod drains when it stops (Envoy's `--drain-time-s` and `--drain-strategy`): for
 * `seconds` it keeps accepting while the load balancer takes the pod out of rotation (a few of its
 * health check intervals), and tells every client at once (`immediate`: `Connection: close` on
 * HTTP/1.1, GOAWAY on HTTP/2 and HTTP/3) to move to another pod; then its public listeners stop.
 * @see https://www.envoyproxy.io/docs/envoy/v1.32.3/operations/cli#cmdoption-drain-time-s
 */
const EDGE_DRAIN = { seconds: 30, strategy: 'immediate' } as const;

/** Path of the drain listener the preStop hook calls. */
const DRAIN_PATH = '/drain';

/** Between the end of the preStop hook and SIGKILL: Envoy exits at once on SIGTERM. */
const EXIT_MARGIN_SECONDS = 5;

/** How long an edge pod takes to stop, from the model's route table. */
export interface EdgeShutdown {
  /**
   * How long the preStop hook holds after the drain started: the drain time, then the longest
   * route timeout, so a request accepted at the end of the drain still completes.
   */
  readonly preStopSeconds: number;
  /** The pod's grace period: the preStop hold and the time Envoy takes to exit. */
  readonly terminationGracePeriodSeconds: number;
}

/**
 * The Envoy edge: 2 vCPU / 2 GB (spec section 12), one public LoadBalancer on 443 over TCP
 * (HTTP/2) and UDP (HTTP/3), and an autoscaler on connections and upstream latency. Its bootstrap
 * is generated from the model's route table, checked against Envoy's API at every synth, written
 * to `ops/envoy/<env>/envoy.yaml` and mounted from a ConfigMap whose checksum rolls the pods.
 * Only the CDN's ranges reach its LoadBalancer, and a stopping pod drains before Envoy exits.
 */
export class EnvoyEdge extends Construct {
  public readonly workload: StatelessService;
  /** The routes and the clusters behind them; the NetworkPolicy and the Edge dashboard read them. */
  public readonly routes: EdgeRouteTable;
  /** The bootstrap, as in the ConfigMap and under ops/envoy/. */
  public readonly bootstrapYaml: string;
  /** Path of the bootstrap under the output root. */
  public readonly opsPath: string;
  public readonly shutdown: EdgeShutdown;

  public constructor(scope: Construct, id: string, props: EnvoyEdgeProps) {
    super(scope, id);
    const { config } = props;
    const { image, replicas, maxReplicas, resources } = config.components.envoyEdge;
    const labels = props.labels.withComponent({ name: 'envoy-edge', component: 'edge', version: image.tag });
    const certificate = new EdgeCertificate(this, 'Certificate', props);
    // With features.mtls, the edge proves itself to CIN gRPC with a certificate of the mesh CA.
    const clientTls = config.features.mtls
      ? new MeshCertificate(this, 'MeshCertificate', {
          name: 'envoy-edge-mtls',
          labels,
          role: 'client',
          dnsNames: [`envoy-edge.${config.namespace}.svc.cluster.local`],
        }).mountAt('mtls', MTLS_DIR)
      : undefined;
    this.routes = new EdgeRouteTable({
      namespace: config.namespace,
      // A loaded model always has its table: the environment's, or the components' by default.
      routes: config.edge.routes ?? [],
      components: props.components,
      ...(props.declared ? { declared: props.declared } : {}),
      ...(clientTls ? { grpcClientTls: clientTls } : {}),
      where: 'edge.routes',
    });
    const longestRouteMs = Math.max(0, ...this.routes.routes.map((r) => r.timeoutMs));
    const preStopSeconds = EDGE_DRAIN.seconds + Math.ceil(longestRouteMs / 1000);
    this.shutdown = { preStopSeconds, terminationGracePeriodSeconds: preStopSeconds + EXIT_MARGIN_SECONDS };
    const bootstrap = edgeBootstrap({
      domains: config.hostnames,
      tls: { certFile: `${TLS_DIR}/tls.crt`, keyFile: `${TLS_DIR}/tls.key` },
      listenPort: PORTS.edgeHttps.port,
      publicPort: EDGE_PUBLIC_PORT,
      statsPort: PORTS.edgeStats.port,
      adminPort: ENVOY_ADMIN_PORT,
      drain: { port: PORTS.edgeDrain.port, path: DRAIN_PATH, waitMs: preStopSeconds * 1000 },
      routes: this.routes.routes,
      clusters: this.routes.upstreams,
      corsOrigins: config.edge.corsOrigins,
      corsAllowHeaders: ['content-type', REQUEST_ID_HEADER, LANGUAGE_HEADER, 'x-grpc-web', 'x-user-agent', 'grpc-timeout'],
      // paramsHash identifies the analyzer parameters of an answer (spec section 11).
      corsExposeHeaders: ['paramsHash', REQUEST_ID_HEADER, 'grpc-status', 'grpc-message'],
      rateLimit: config.edge.rateLimit,
      requestIdHeader: REQUEST_ID_HEADER,
      // Users reach the edge through the CDN/WAF (spec section 2): its address is the last hop.
      trustedHops: 1,
    });
    this.opsPath = `ops/envoy/${config.name}/envoy.yaml`;
    this.bootstrapYaml =
      `# Generated by \`npm run synth\` from src/stacks/crumpet/envoy-edge.ts (environment ${config.name}); do not edit.\n` +
      yaml.dump(bootstrap, { sortKeys: true, lineWidth: -1, noRefs: true });
    this.node.addValidation({
      validate: () => EnvoyApi.load().validate('envoy.config.bootstrap.v3.Bootstrap', bootstrap).map((m) => `${this.opsPath}: ${m}`),
    });
    new GeneratedFile(this, 'Bootstrap', { path: this.opsPath, render: () => this.bootstrapYaml });
    const envoyConfig = configFiles(this, 'Config', 'envoy-edge-config', labels, { 'envoy.yaml': this.bootstrapYaml });
    this.workload = new StatelessService(this, 'Workload', {
      name: 'envoy-edge',
      labels,
      replicas,
      container: {
        image: ImageReference.of(image),
        args: [
          '--config-path', `${CONFIG_DIR}/envoy.yaml`,
          '--log-format', '%L%m%d %T.%e %t %v',
          '--drain-time-s', String(EDGE_DRAIN.seconds),
          '--drain-strategy', EDGE_DRAIN.strategy,
        ],
        ports: [PORTS.edgeHttps, PORTS.edgeQuic, PORTS.edgeStats, PORTS.edgeDrain],
        resources,
        // Envoy's own readiness (the admin /ready), published by the stats listener.
        health: { path: '/ready', port: PORTS.edgeStats.name },
        // The image has no shell and no curl: the hook calls Envoy's own drain listener.
        preStop: { httpGet: { path: DRAIN_PATH, port: PORTS.edgeDrain.name, scheme: 'HTTP' } },
        mounts: [
          { volume: 'config', path: CONFIG_DIR },
          { volume: 'tls', path: TLS_DIR },
          ...(clientTls ? [clientTls.mount] : []),
        ],
      },
      volumes: [
        { name: 'config', configMap: { name: envoyConfig.name } },
        { name: 'tls', secret: { secretName: certificate.secretName, defaultMode: 0o440 } },
        ...(clientTls ? [clientTls.volume] : []),
      ],
      podAnnotations: { 'checksum/config': envoyConfig.checksum },
      terminationGracePeriodSeconds: this.shutdown.terminationGracePeriodSeconds,
      serviceType: 'LoadBalancer',
      // Users come through the CDN/WAF (spec section 2); calling the LoadBalancer directly would skip it.
      loadBalancerSourceRanges: config.network.cdnCidrs,
      servicePorts: [
        { name: 'https', port: EDGE_PUBLIC_PORT, targetPort: PORTS.edgeHttps.port },
        { name: 'http3', port: EDGE_PUBLIC_PORT, targetPort: PORTS.edgeQuic.port, protocol: 'UDP' },
      ],
    });
    // There whatever the delivery, so switching blue/green on or off changes the Rollout alone.
    new ClusterService(this, 'Preview', {
      name: EDGE_PREVIEW_SERVICE,
      target: this.workload,
      ports: [{ name: 'https', port: EDGE_PUBLIC_PORT, targetPort: PORTS.edgeHttps.port }],
    });
    const rollout = props.delivery
      ? new ProgressiveRollout(this, 'Rollout', {
          target: this.workload,
          strategy: { kind: 'blue-green', activeService: this.workload.name, previewService: EDGE_PREVIEW_SERVICE },
          analysis: props.delivery.analysis,
        })
      : undefined;
    if (config.features.autoscaling) {
      new HorizontalAutoscaler(this, 'Autoscaler', {
        target: rollout ?? this.workload,
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
