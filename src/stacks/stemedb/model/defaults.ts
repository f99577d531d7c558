import type { BackupConfig, ImageConfig, IngressConfig, MonitoringConfig } from './types.ts';

/*
 * Figures from the seed (roadmap 003), shared by every environment; an environment file states
 * what differs.
 */

/** The API image, by the short commit tag CI pushes beside `latest` (the seed deploys `latest`). */
export const STEMEDB_IMAGE: ImageConfig = { repository: 'registry.threesix.ai/stemedb-api', tag: '6c6ee04e9c' };

/** rclone (its image has wget too), by release tag (the seed runs `latest`). */
export const RCLONE_IMAGE: ImageConfig = { repository: 'docker.io/rclone/rclone', tag: '1.68.2' };

/** Traefik in front: TLS on `websecure`, a global token bucket of 500 requests per second, bursts of 1000. */
export function ingress(host: string, clusterIssuer: string): IngressConfig {
  return {
    host,
    className: 'traefik',
    entrypoint: 'websecure',
    clusterIssuer,
    tlsSecretName: 'stemedb-tls',
    rateLimit: { average: 500, burst: 1000, period: '1s' },
  };
}

/** Every 6 hours, to the GCS bucket through rclone. */
export function backup(bucket: string): BackupConfig {
  return {
    schedule: '0 */6 * * *',
    image: RCLONE_IMAGE,
    bucket,
    remote: 'gcs',
    rcloneConfigSecret: 'rclone-gcs-config',
    exportPath: '/v1/admin/backup',
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
  };
}

/** The kube-prometheus-stack release's selector. */
export const MONITORING: MonitoringConfig = { selectorLabels: { release: 'prometheus' } };

/** Traefik as k3s runs it: in kube-system. */
export const TRAEFIK = { ingressNamespace: 'kube-system', ingressPodLabels: { 'app.kubernetes.io/name': 'traefik' } } as const;
