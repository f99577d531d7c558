import { generatedYaml } from './rule-set.ts';
import { hours, promDays, RETENTION } from './retention.ts';

/**
 * What Promtail does with a client address found in a log line (spec section 15): redact it
 * whole, or keep the last two octets of an IPv4 address for abuse controls.
 */
export type ClientIpPolicy = 'redact' | 'keep-last-two-octets';

/** The JSON log format of a stack's services, as Promtail reads it. */
export interface LogFormat {
  /** Correlation id header, logged as a JSON field of the same name. */
  readonly requestIdField: string;
  /** Fields holding a client address. */
  readonly clientIpFields: readonly string[];
  /** What a redacted address, or the redacted part of one, reads as. */
  readonly redacted: string;
  /** The first two octets of an IPv4 address when its last two are kept. */
  readonly maskedOctets: string;
}

/** A Promtail pipeline stage, one key naming its type. @see https://grafana.com/docs/loki/latest/send-data/promtail/stages/ */
export type PromtailStage =
  | { readonly replace: { readonly expression: string; readonly replace: string } }
  | { readonly json: { readonly expressions: Readonly<Record<string, string>> } }
  | { readonly labels: Readonly<Record<string, string>> }
  | { readonly structured_metadata: Readonly<Record<string, string>> };

/**
 * Promtail's stages for the JSON logs of a service in `format`: client addresses redacted first,
 * so no later stage sees them; the level as a label; the request id as structured metadata (one
 * value per request would explode Loki's label index).
 */
export function promtailStages(clientIp: ClientIpPolicy, format: LogFormat): PromtailStage[] {
  // `"client_ip": "` with optional spaces, the field name not captured (RE2 syntax, valid in JS too).
  const ipField = `"(?:${format.clientIpFields.join('|')})"\\s*:\\s*"`;
  // A replace stage substitutes every capture group of each match of its expression.
  const redaction: PromtailStage[] =
    clientIp === 'redact'
      ? [{ replace: { expression: `${ipField}([^"]*)"`, replace: format.redacted } }]
      : [
          { replace: { expression: `${ipField}(\\d{1,3}\\.\\d{1,3})\\.\\d{1,3}\\.\\d{1,3}"`, replace: format.maskedOctets } },
          // What the first stage did not mask (IPv6, anything else) is redacted whole; RE2 has
          // no lookahead, so "not masked" is "does not start with the mask's first character".
          { replace: { expression: `${ipField}([^"${format.maskedOctets[0]}][^"]*)"`, replace: format.redacted } },
        ];
  return [
    ...redaction,
    { json: { expressions: { level: 'level', req_id: `"${format.requestIdField}"` } } },
    { labels: { level: '' } },
    { structured_metadata: { req_id: '' } },
  ];
}

/** A tail-sampling policy of the OpenTelemetry Collector; a trace is kept when any policy keeps it. */
export type TailSamplingPolicy =
  | { readonly name: string; readonly type: 'probabilistic'; readonly probabilistic: { readonly sampling_percentage: number } }
  | { readonly name: string; readonly type: 'status_code'; readonly status_code: { readonly status_codes: readonly ('ERROR' | 'OK' | 'UNSET')[] } }
  | { readonly name: string; readonly type: 'latency'; readonly latency: { readonly threshold_ms: number } };

/**
 * Trace sampling of spec section 7.3: 1% of all traces, every trace with an error, every trace
 * longer than 1 s.
 * @see https://github.com/open-telemetry/opentelemetry-collector-contrib/tree/main/processor/tailsamplingprocessor
 */
export const TAIL_SAMPLING_POLICIES: readonly TailSamplingPolicy[] = [
  { name: 'errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } },
  { name: 'slow-requests', type: 'latency', latency: { threshold_ms: 1000 } },
  { name: 'baseline', type: 'probabilistic', probabilistic: { sampling_percentage: 1 } },
];

/** The collector's `tail_sampling` processor: spans wait `decision_wait` for the rest of their trace. */
export function tailSamplingProcessor(): object {
  return { decision_wait: '10s', num_traces: 50000, policies: TAIL_SAMPLING_POLICIES };
}

/** Object-store settings of the shared backends, read from the environment when they start. */
const S3 = (service: 'LOKI' | 'TEMPO') => ({ endpoint: `\${${service}_S3_ENDPOINT}`, bucket: `\${${service}_S3_BUCKET}` });

/**
 * Loki (single binary, chunks and TSDB index in the object store): the compactor deletes logs
 * older than the total retention. The hot/cold split is the bucket's: {@link lokiBucketLifecycle}.
 * @see https://grafana.com/docs/loki/latest/operations/storage/retention/
 */
export function lokiConfig(): object {
  const s3 = S3('LOKI');
  return {
    auth_enabled: false,
    server: { http_listen_port: 3100, grpc_listen_port: 9095 },
    common: {
      path_prefix: '/var/loki',
      replication_factor: 1,
      ring: { kvstore: { store: 'inmemory' } },
      storage: { s3: { endpoint: s3.endpoint, bucketnames: s3.bucket, s3forcepathstyle: true } },
    },
    schema_config: { configs: [{ from: '2025-01-01', store: 'tsdb', object_store: 's3', schema: 'v13', index: { prefix: 'loki_index_', period: '24h' } }] },
    compactor: {
      working_directory: '/var/loki/compactor',
      compaction_interval: '10m',
      retention_enabled: true,
      retention_delete_delay: '2h',
      delete_request_store: 's3',
    },
    limits_config: {
      retention_period: hours(RETENTION.logs.total),
      max_query_lookback: hours(RETENTION.logs.total),
      allow_structured_metadata: true,
    },
  };
}

/**
 * S3 lifecycle of Loki's bucket: chunks move to Glacier Instant Retrieval (still readable by
 * Loki, cheaper to keep) after the hot period; the expiry one day after Loki's own retention only
 * catches what the compactor missed.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html
 */
export function lokiBucketLifecycle(): object {
  return {
    Rules: [
      {
        ID: 'loki-hot-cold',
        Status: 'Enabled',
        Filter: { Prefix: '' },
        Transitions: [{ Days: RETENTION.logs.hot.days, StorageClass: 'GLACIER_IR' }],
        Expiration: { Days: RETENTION.logs.total.days + 1 },
      },
    ],
  };
}

/**
 * Tempo (single binary, blocks in the object store): the compactor deletes blocks older than the
 * trace retention.
 * @see https://grafana.com/docs/tempo/latest/configuration/#compactor
 */
export function tempoConfig(): object {
  const s3 = S3('TEMPO');
  return {
    server: { http_listen_port: 3200 },
    distributor: { receivers: { otlp: { protocols: { grpc: { endpoint: '0.0.0.0:4317' } } } } },
    compactor: { compaction: { block_retention: hours(RETENTION.traces) } },
    storage: { trace: { backend: 's3', s3: { endpoint: s3.endpoint, bucket: s3.bucket, forcepathstyle: true }, wal: { path: '/var/tempo/wal' } } },
  };
}

/** `ops/prometheus/retention.md`: how the 13 months of metrics are kept, with the exact flags. */
export function metricsRetentionDoc(): string {
  const m = RETENTION.metrics;
  return `<!-- Generated by \`npm run synth\` from src/observability/retention.ts; do not edit. -->
# Metrics retention

Spec section 15 keeps metrics for 13 months "(roll-up)". Prometheus cannot downsample, and keeping
13 months of raw samples in its local TSDB would make every long query scan them all. Prometheus
therefore keeps a short local window and a Thanos sidecar uploads each 2-hour block to the object
store; the Thanos compactor builds the 5-minute and 1-hour roll-ups and applies one retention per
resolution.

| resolution | kept for | setting |
| --- | --- | --- |
| raw | ${m.raw.days} days | \`--retention.resolution-raw=${promDays(m.raw)}\` |
| 5 minutes | ${m.fiveMinute.days} days | \`--retention.resolution-5m=${promDays(m.fiveMinute)}\` |
| 1 hour | ${m.oneHour.days} days (13 months: 366 + 31 days, the longest 13 calendar months) | \`--retention.resolution-1h=${promDays(m.oneHour)}\` |

Thanos compactor:

\`\`\`
thanos compact --wait --objstore.config-file=/etc/thanos/objstore.yaml \\
  --downsampling.disable=false \\
  --retention.resolution-raw=${promDays(m.raw)} \\
  --retention.resolution-5m=${promDays(m.fiveMinute)} \\
  --retention.resolution-1h=${promDays(m.oneHour)}
\`\`\`

The raw retention stays above 10 days because Thanos builds the 1-hour roll-up from 5-minute
blocks older than 10 days, and those from raw blocks older than 40 hours.

Prometheus itself keeps ${m.local.days} days locally (\`--storage.tsdb.retention.time=${promDays(m.local)}\`,
\`spec.retention\` of a prometheus-operator \`Prometheus\`): enough for the alert windows (the
longest burn-rate window is 3 days) if the object store is unreachable.
`;
}

const LOKI_HEADER = `# Generated by \`npm run synth\` from src/observability/; do not edit.
# Logs are kept ${RETENTION.logs.hot.days} days hot and ${RETENTION.logs.total.days} days in all (spec sections 7.2 and 15).
# Loki's compactor deletes chunks older than limits_config.retention_period. The hot/cold split is
# the bucket's: ops/loki/bucket-lifecycle.json moves chunks older than ${RETENTION.logs.hot.days} days to a colder
# storage class Loki still reads (aws s3api put-bucket-lifecycle-configuration --bucket <bucket>
# --lifecycle-configuration file://ops/loki/bucket-lifecycle.json).
# Run with -config.expand-env=true; LOKI_S3_ENDPOINT and LOKI_S3_BUCKET name the bucket.
`;

const TEMPO_HEADER = `# Generated by \`npm run synth\` from src/observability/; do not edit.
# Traces are kept ${RETENTION.traces.days} days (spec section 15): the compactor deletes older blocks.
# Run with -config.expand-env=true; TEMPO_S3_ENDPOINT and TEMPO_S3_BUCKET name the bucket.
`;

/** The Loki, Tempo and metrics retention files, by path: `ops/loki/`, `ops/tempo/`, `ops/prometheus/retention.md`. */
export function telemetryPipelineFiles(): Map<string, string> {
  return new Map([
    ['ops/loki/loki.yaml', generatedYaml(lokiConfig(), LOKI_HEADER)],
    ['ops/loki/bucket-lifecycle.json', `${JSON.stringify(lokiBucketLifecycle(), null, 2)}\n`],
    ['ops/tempo/tempo.yaml', generatedYaml(tempoConfig(), TEMPO_HEADER)],
    ['ops/prometheus/retention.md', metricsRetentionDoc()],
  ]);
}
