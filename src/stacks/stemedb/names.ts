/*
 * Names and ports StemeDB's objects, alerts and policies share, so a name is written once.
 */

/** The database component: its StatefulSet, headless Service, main container and PodDisruptionBudget. */
export const STEMEDB = 'stemedb';
/** The ClusterIP Service the Ingress, the backups and Prometheus reach the members through (the seed's name). */
export const API_SERVICE = 'stemedb-api';
/** The API, health and metrics port (STEMEDB_BIND_ADDR). */
export const HTTP_PORT = { name: 'http', port: 18180 } as const;
export const HEALTH_PATH = '/v1/health';
export const METRICS_PATH = '/metrics';
/** The members' volumes: WAL and DB apart, so WAL fsyncs do not queue behind LSM compaction I/O. */
export const VOLUMES = { wal: '/data/wal', db: '/data/db' } as const;
/** The Secret the ExternalSecret writes and the members and backups read. */
export const SECRET = { name: 'stemedb-secrets', rootApiKey: 'root-api-key' } as const;
/** Label telling the API Service apart from the headless one (the ServiceMonitor scrapes through it only). */
export const SERVICE_ROLE_LABEL = 'stemedb.threesix.ai/service';
/** The backup CronJob. */
export const BACKUP = 'stemedb-backup';
/** The Traefik rate-limit Middleware (the seed's name), referred to by the Ingress as `<namespace>-<name>@kubernetescrd`. */
export const RATE_LIMIT_MIDDLEWARE = 'ratelimit';

/** `wal-stemedb-0`, ...: the PVCs the StatefulSet's volumeClaimTemplates make, as a PromQL regex. */
export const PVC_REGEX = `(${Object.keys(VOLUMES).join('|')})-${STEMEDB}-[0-9]+`;
