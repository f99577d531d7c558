/** The gateway's ports: TLS for the CDN, plain HTTP for probes and stub_status, the exporter's metrics. */
export const GATEWAY_PORTS = {
  https: 8443,
  health: 8081,
  metrics: 9113,
} as const;

/** Port of the gateway's Service that the CDN (and the smoke test) connect to. */
export const GATEWAY_SERVICE_PORT = 443;

/** Answers 200 without credentials, on the TLS port (per host) and the health port. */
export const HEALTH_PATH = '/healthz';

/** Where the export trees are mounted in the gateway: each at this root plus its URL prefix, so a URL path is a file path. */
export const SERVE_ROOT = '/srv/mirror';

/** Where the sync job writes each tree: `/exports/<tree>`, as in the seed's CronJob. */
export const SYNC_ROOT = '/exports';
