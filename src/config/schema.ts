import type { JSONSchemaType } from 'ajv';
import type {
  BackupConfig,
  CinInstanceOverride,
  CinLanguageConfig,
  EdgeConfig,
  EdgeRouteConfig,
  ImageConfig,
  NetworkConfig,
  PlatformConfig,
  ResourceConfig,
  ScalableWorkloadConfig,
  SecretsConfig,
  SidecarConfig,
  TelemetryConfig,
  TlsConfig,
  WorkloadConfig,
} from './types.ts';

/*
 * The JSON Schema of the platform model. `JSONSchemaType<T>` makes the compiler reject a schema
 * that disagrees with `types.ts`, so the two cannot drift. Every `pattern` carries a
 * `description`: it is what the user reads when a value does not match.
 */

const dnsLabel = {
  type: 'string',
  pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
  maxLength: 63,
  description: 'a DNS-1123 label (lower-case letters, digits and "-", at most 63 characters)',
} as const;

const hostname = {
  type: 'string',
  minLength: 1,
  maxLength: 253,
  pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
  description: 'a DNS host name such as crumpet.example.org',
} as const;

const cpuQuantity = {
  type: 'string',
  pattern: '^([1-9][0-9]*m|[0-9]+(\\.[0-9]{1,3})?)$',
  description: 'a Kubernetes CPU quantity such as 500m or 2',
} as const;

const byteQuantity = {
  type: 'string',
  pattern: '^[1-9][0-9]*(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$',
  description: 'a Kubernetes byte quantity such as 512Mi or 50Gi',
} as const;

export const replicas = { type: 'integer', minimum: 0, maximum: 1000 } as const;

const ipv4Cidr = {
  type: 'string',
  pattern: '^((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])/([0-9]|[12][0-9]|3[0-2])$',
  description: 'an IPv4 CIDR such as 203.0.113.0/24',
} as const;

const cidrList = { type: 'array', minItems: 1, uniqueItems: true, items: ipv4Cidr } as const;

/** Five-field cron: minute hour day-of-month month day-of-week, digits and `*,-/` only. */
const cron = {
  type: 'string',
  pattern: '^([0-9*,/-]+ ){4}[0-9*,/-]+$',
  description: 'a five-field cron schedule such as "30 2 * * *"',
} as const;

const httpsUrl = {
  type: 'string',
  pattern: '^https://[a-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~/-]*)?$',
  description: 'an https:// URL',
} as const;

export const image: JSONSchemaType<ImageConfig> = {
  type: 'object',
  additionalProperties: false,
  required: ['repository', 'tag'],
  properties: {
    repository: {
      type: 'string',
      // The distribution/reference grammar: optional domain[:port]/, then path components.
      pattern:
        '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(:[0-9]+)?/)?' +
        '[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*(/[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*)*$',
      description: 'an image repository such as ghcr.io/crumpet/cin-node (lower case, no tag)',
    },
    tag: {
      type: 'string',
      pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$',
      description: 'an image tag such as v0.1.0 (letters, digits, "_", "." and "-", at most 63)',
    },
    digest: {
      type: 'string',
      nullable: true,
      pattern: '^sha256:[a-f0-9]{64}$',
      description: 'an image digest: "sha256:" and 64 lower-case hex digits',
    },
  },
};

export const resources: JSONSchemaType<ResourceConfig> = {
  type: 'object',
  additionalProperties: false,
  required: ['requests', 'limits'],
  properties: {
    requests: {
      type: 'object',
      additionalProperties: false,
      required: ['cpu', 'memory'],
      properties: { cpu: cpuQuantity, memory: byteQuantity },
    },
    limits: {
      type: 'object',
      additionalProperties: false,
      required: ['memory'],
      properties: { cpu: { ...cpuQuantity, nullable: true }, memory: byteQuantity },
    },
  },
};

const workload: JSONSchemaType<WorkloadConfig> = {
  type: 'object',
  additionalProperties: false,
  required: ['image', 'replicas', 'resources'],
  properties: { image, replicas, resources },
};

const scalableWorkload: JSONSchemaType<ScalableWorkloadConfig> = {
  type: 'object',
  additionalProperties: false,
  required: ['image', 'replicas', 'resources', 'maxReplicas'],
  properties: { image, replicas, resources, maxReplicas: { ...replicas, minimum: 1 } },
};

const sidecar: JSONSchemaType<SidecarConfig> = {
  type: 'object',
  additionalProperties: false,
  required: ['image', 'resources'],
  properties: { image, resources },
};

const monitoringEndpoint = {
  type: 'object',
  additionalProperties: false,
  required: ['service', 'port'],
  properties: { service: dnsLabel, port: { type: 'integer', minimum: 1, maximum: 65535 } },
} as const;

const telemetry: JSONSchemaType<TelemetryConfig> = {
  type: 'object',
  additionalProperties: false,
  required: ['traces', 'logs'],
  properties: { traces: monitoringEndpoint, logs: monitoringEndpoint },
};

const instanceOverride: JSONSchemaType<CinInstanceOverride> = {
  type: 'object',
  additionalProperties: false,
  required: ['language', 'instance'],
  properties: {
    language: { type: 'string', pattern: '^[a-z]{2}$', description: 'an ISO 639-1 language code such as en' },
    instance: { type: 'integer', minimum: 0 },
    image: { ...image, nullable: true },
    excluded: { type: 'boolean', nullable: true },
  },
};

const network: JSONSchemaType<NetworkConfig> = {
  type: 'object',
  additionalProperties: false,
  required: [
    'rpcEndpointCidrs', 'ipfsGatewayCidrs', 'peerCidrs', 'pinningServiceCidrs', 'objectStoreCidrs', 'apiServerCidrs', 'cdnCidrs',
    'monitoringNamespace',
  ],
  properties: {
    rpcEndpointCidrs: cidrList,
    ipfsGatewayCidrs: cidrList,
    peerCidrs: cidrList,
    pinningServiceCidrs: cidrList,
    objectStoreCidrs: cidrList,
    apiServerCidrs: cidrList,
    cdnCidrs: cidrList,
    monitoringNamespace: dnsLabel,
  },
};

const secrets: JSONSchemaType<SecretsConfig> = {
  type: 'object',
  additionalProperties: false,
  required: ['provider', 'store', 'remoteKeyPrefix'],
  properties: {
    provider: { type: 'string', enum: ['external-secrets', 'sealed-secrets'] },
    store: dnsLabel,
    remoteKeyPrefix: {
      type: 'string',
      pattern: '^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$',
      description: 'a slash-separated key prefix such as crumpet/prod',
    },
    sealed: {
      type: 'object',
      nullable: true,
      required: [],
      additionalProperties: {
        type: 'object',
        required: [],
        additionalProperties: { type: 'string', minLength: 1 },
      },
    },
  },
};

const tls: JSONSchemaType<TlsConfig> = {
  type: 'object',
  additionalProperties: false,
  required: ['issuerName', 'acmeServer', 'acmeEmail'],
  properties: {
    issuerName: dnsLabel,
    acmeServer: httpsUrl,
    acmeEmail: {
      type: 'string',
      pattern: '^[^@\\s]+@[a-z0-9.-]+\\.[a-z]{2,}$',
      description: 'an e-mail address',
    },
  },
};

const urlPath = {
  type: 'string',
  pattern: '^/[A-Za-z0-9._~!$&\'()*+,;=:@%/-]*$',
  description: 'a URL path starting with /',
} as const;

const edgeRoute: JSONSchemaType<EdgeRouteConfig> = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'backend', 'timeout'],
  properties: {
    name: dnsLabel,
    prefix: { ...urlPath, nullable: true },
    path: { ...urlPath, nullable: true },
    regex: { type: 'string', minLength: 2, pattern: '^\\^', description: 'an RE2 expression anchored with ^', nullable: true },
    backend: { type: 'string', enum: ['web', 'cin-http', 'cin-grpc', 'pin-orchestrator'] },
    websocket: { type: 'boolean', nullable: true },
    rateLimited: { type: 'boolean', nullable: true },
    timeout: { type: 'string', pattern: '^[0-9]+(ms|s|m|h)$', description: 'a duration such as 250ms, 15s or 5m' },
    retries: { type: 'integer', minimum: 0, maximum: 5, nullable: true },
  },
};

const edge: JSONSchemaType<EdgeConfig> = {
  type: 'object',
  additionalProperties: false,
  required: ['routes', 'corsOrigins', 'rateLimit'],
  properties: {
    routes: { type: 'array', minItems: 1, items: edgeRoute },
    corsOrigins: {
      type: 'array',
      uniqueItems: true,
      items: { type: 'string', pattern: '^https://[a-z0-9.-]+(:[0-9]+)?$', description: 'an origin such as https://app.example.org' },
    },
    rateLimit: {
      type: 'object',
      additionalProperties: false,
      required: ['requestsPerSecond', 'burst'],
      properties: {
        requestsPerSecond: { type: 'integer', minimum: 1, maximum: 100000 },
        burst: { type: 'integer', minimum: 1, maximum: 100000 },
      },
    },
  },
};

const backups: JSONSchemaType<BackupConfig> = {
  type: 'object',
  additionalProperties: false,
  required: [
    'bucket', 'endpoint', 'indexSnapshotSchedule', 'volumeSnapshotSchedule', 'configBackupSchedule',
    'volumeSnapshotClassName', 'toolboxImage',
  ],
  properties: {
    bucket: { ...dnsLabel, description: 'an S3 bucket name (lower case, digits and "-")' },
    endpoint: httpsUrl,
    indexSnapshotSchedule: cron,
    volumeSnapshotSchedule: cron,
    configBackupSchedule: cron,
    volumeSnapshotClassName: dnsLabel,
    toolboxImage: image,
    secretData: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      required: ['ageRecipient'],
      properties: {
        ageRecipient: {
          type: 'string',
          pattern: '^age1[02-9ac-hj-np-z]{58}$',
          description: 'an age X25519 recipient: "age1" and 58 lower-case bech32 characters',
        },
      },
    },
  },
};

const language: JSONSchemaType<CinLanguageConfig> = {
  type: 'object',
  additionalProperties: false,
  required: ['code', 'replicas', 'storage'],
  properties: {
    code: { type: 'string', pattern: '^[a-z]{2}$', description: 'an ISO 639-1 language code such as en' },
    replicas,
    storage: byteQuantity,
  },
};

export const platformConfigSchema: JSONSchemaType<PlatformConfig> = {
  $id: 'https://crumpet.dev/schemas/platform-config.json',
  type: 'object',
  additionalProperties: false,
  required: [
    'name', 'namespace', 'instance', 'pinDigests', 'hostnames', 'storage', 'features', 'components', 'network',
    'secrets', 'tls', 'edge', 'backups',
  ],
  properties: {
    name: dnsLabel,
    namespace: dnsLabel,
    instance: dnsLabel,
    pinDigests: { type: 'boolean' },
    hostnames: { type: 'array', minItems: 1, uniqueItems: true, items: hostname },
    storage: {
      type: 'object',
      additionalProperties: false,
      required: ['storageClassName'],
      properties: { storageClassName: { ...dnsLabel, maxLength: 253 } },
    },
    features: {
      type: 'object',
      additionalProperties: false,
      required: ['networkPolicy', 'serviceMonitor', 'podDisruptionBudget', 'autoscaling', 'kubo', 'mtls'],
      properties: {
        networkPolicy: { type: 'boolean' },
        serviceMonitor: { type: 'boolean' },
        podDisruptionBudget: { type: 'boolean' },
        autoscaling: { type: 'boolean' },
        kubo: { type: 'boolean' },
        mtls: { type: 'boolean' },
      },
    },
    components: {
      type: 'object',
      additionalProperties: false,
      required: ['cinNode', 'pinOrchestrator', 'watcher', 'web', 'envoyEdge', 'kubo', 'otelCollector', 'promtail'],
      properties: {
        cinNode: {
          type: 'object',
          additionalProperties: false,
          required: ['image', 'resources', 'languages', 'instanceOverrides'],
          properties: {
            image,
            resources,
            languages: { type: 'array', minItems: 1, items: language },
            instanceOverrides: { type: 'array', items: instanceOverride },
          },
        },
        pinOrchestrator: scalableWorkload,
        watcher: workload,
        web: scalableWorkload,
        envoyEdge: scalableWorkload,
        kubo: {
          type: 'object',
          additionalProperties: false,
          required: ['image', 'replicas', 'resources', 'storage'],
          properties: { image, replicas, resources, storage: byteQuantity },
        },
        otelCollector: sidecar,
        promtail: sidecar,
      },
    },
    network,
    telemetry,
    secrets,
    tls,
    edge,
    backups,
  },
};
