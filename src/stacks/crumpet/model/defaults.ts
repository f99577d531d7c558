import type { ImageConfig, ResourceConfig, ScalableWorkloadConfig, WorkloadConfig } from './types.ts';

/*
 * Figures from the spec, shared by every environment. An environment file starts from these and
 * states only what differs.
 */

/** Release of the Crumpet images (spec section 3). */
export const CRUMPET_RELEASE = 'v0.1.0';

/** Image of a Crumpet component: `ghcr.io/crumpet/<name>:<release>`. */
export function crumpetImage(name: string, digest?: string): ImageConfig {
  return { repository: `ghcr.io/crumpet/${name}`, tag: CRUMPET_RELEASE, ...(digest ? { digest } : {}) };
}

/** Guaranteed QoS: requests equal limits, so the scheduler's figures are the ones that hold. */
export function guaranteed(cpu: string, memory: string): ResourceConfig {
  return { requests: { cpu, memory }, limits: { cpu, memory } };
}

/** Resources per container, spec section 12 (web and Kubo are not sized there: our figures). */
export const SPEC_RESOURCES = {
  cinNode: guaranteed('2', '4Gi'),
  pinOrchestrator: guaranteed('1', '512Mi'),
  watcher: guaranteed('500m', '256Mi'),
  envoyEdge: guaranteed('2', '2Gi'),
  web: guaranteed('500m', '512Mi'),
  kubo: guaranteed('1', '2Gi'),
  otelCollector: guaranteed('200m', '256Mi'),
  promtail: guaranteed('100m', '128Mi'),
} as const satisfies Record<string, ResourceConfig>;

/** A stateless workload with the spec's resources. */
export function workload(image: ImageConfig, replicas: number, resources: ResourceConfig): WorkloadConfig {
  return { image, replicas, resources };
}

/** A workload the autoscaler may scale from `replicas` up to `maxReplicas`. */
export function scalable(image: ImageConfig, replicas: number, maxReplicas: number, resources: ResourceConfig): ScalableWorkloadConfig {
  return { image, replicas, maxReplicas, resources };
}

/** The ops toolbox (kubectl and an S3 client) run by the backup jobs. */
export const TOOLBOX_IMAGE = crumpetImage('ops-toolbox');

export const ENVOY_IMAGE = { repository: 'docker.io/envoyproxy/envoy', tag: 'distroless-v1.32.3' } as const;
export const OTEL_COLLECTOR_IMAGE = { repository: 'docker.io/otel/opentelemetry-collector-contrib', tag: '0.114.0' } as const;
export const PROMTAIL_IMAGE = { repository: 'docker.io/grafana/promtail', tag: '3.3.0' } as const;

/** Tempo and Loki as the monitoring stack's Helm charts name them. */
export const MONITORING_ENDPOINTS = {
  traces: { service: 'tempo-distributor', port: 4317 },
  logs: { service: 'loki-gateway', port: 80 },
} as const;

export const KUBO_IMAGE = { repository: 'docker.io/ipfs/kubo', tag: 'v0.32.1' } as const;

/** Per-client token bucket of the rate-limited routes: 20 requests per second, bursts of 40. */
export const EDGE_RATE_LIMIT = { requestsPerSecond: 20, burst: 40 } as const;
