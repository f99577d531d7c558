import type { ExportTree, GatewaySettings, MirrorDomain, SyncSettings } from './types.ts';

/*
 * Figures of the seed (docs/ops/concelier-mirror-operations.md), shared by every environment. An
 * environment file starts from these and states only what differs.
 */

/** Release of this mirror stack: the version label of what carries no image of its own, and the chart version. */
export const MIRROR_RELEASE = '1.0.0';

/** The gateway: nginx built to run as a non-root user, listening on unprivileged ports. */
export const GATEWAY_IMAGE = { repository: 'docker.io/nginxinc/nginx-unprivileged', tag: '1.27.3-alpine' } as const;

/** Exports nginx's stub_status as Prometheus metrics (the seed watches nginx_vts; see the README). */
export const EXPORTER_IMAGE = { repository: 'docker.io/nginx/nginx-prometheus-exporter', tag: '1.4.0' } as const;

/** The seed's sync image (section 4.2), pinned by digest. */
export const SYNC_IMAGE = 'public.ecr.aws/aws-cli/aws-cli@sha256:5df5f52c29f5e3ba46d0ad9e0e3afc98701c4a0f879400b4c5f80d943b5fadea';

/** The two trees the sync copies (section 4.2), 20 GiB each (section 3.2's baseline). */
export const EXPORT_TREES: readonly ExportTree[] = [
  {
    name: 'concelier',
    source: 's3://mirror-stellaops/concelier/latest',
    urlPrefix: '/concelier/exports/',
    indexPattern: '^/concelier/exports/index\\.json$',
    size: '20Gi',
  },
  {
    name: 'excititor',
    source: 's3://mirror-stellaops/excititor/latest',
    urlPrefix: '/excititor/mirror/',
    indexPattern: '^/excititor/mirror/[^/]+/index$',
    size: '20Gi',
  },
];

/** The two mirror domains of section 2; the budgets are ours (the seed names the knob, not its value). */
export function mirrorDomains(suffix: string): MirrorDomain[] {
  return [
    { id: 'primary', host: `mirror-primary.${suffix}`, maxIndexRequestsPerHour: 600, maxDownloadRequestsPerHour: 1200 },
    { id: 'community', host: `mirror-community.${suffix}`, maxIndexRequestsPerHour: 240, maxDownloadRequestsPerHour: 600 },
  ];
}

/** Section 5.3: index documents 60 s, bundles and manifests 300 s. */
export const CDN_TTLS = { indexMaxAgeSeconds: 60, payloadMaxAgeSeconds: 300 } as const;

/** Section 4: every 5 minutes; section 7: alert when the last sync is more than 15 minutes old. */
export const SYNC_CADENCE = { everyMinutes: 5, maxLagMinutes: 15 } as const;

export const GATEWAY_RESOURCES = { requests: { cpu: '250m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } } as const;
export const EXPORTER_RESOURCES = { requests: { cpu: '50m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } } as const;
export const SYNC_RESOURCES = { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } } as const;

/** The gateway's settings with `replicas` replicas and the figures above. */
export function gatewaySettings(replicas: number): GatewaySettings {
  return { image: GATEWAY_IMAGE, replicas, resources: GATEWAY_RESOURCES, exporter: { image: EXPORTER_IMAGE, resources: EXPORTER_RESOURCES } };
}

/** The sync job's settings: the seed's pinned image. */
export const SYNC_SETTINGS: SyncSettings = { image: SYNC_IMAGE, resources: SYNC_RESOURCES };
