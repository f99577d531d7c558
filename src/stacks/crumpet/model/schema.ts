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
import { DnsName } from '../../../lib/values/index.ts';

/*
 * The JSON Schema of the platform model. `JSONSchemaType<T>` makes the compiler reject a schema
 * that disagrees with `types.ts`, so the two cannot drift. Every `pattern` carries a
 * `description`: it is what the user reads when a value does not match.
 *
 * A `format` names a value type that src/config/_formats.ts checks in code where a pattern cannot
 * say it (the range of each cron field, the host bits of a CIDR, the length of each DNS label, what
 * RE2 compiles). Patterns stay on those fields as a first, coarse check: the Helm charts' values
 * schemas reuse these fragments, and Helm knows none of the formats.
 */

const dnsLabel = {
  type: 'string',
  pattern: `^${DnsName.LABEL_SYNTAX}$`,
  maxLength: 63,
  description: 'a DNS-1123 label (lower-case letters, digits and "-", at most 63 characters)',
} as const;

/** Names of Services, which Kubernetes requires to start with a letter. */
const dns1035Label = {
  type: 'string',
  pattern: '^[a-z]([-a-z0-9]*[a-z0-9])?$',
  maxLength: 63,
  description: 'a DNS-1035 label (lower-case letters, digits and "-", starting with a letter, at most 63 characters)',
} as const;

/** Every DNS name of the model: host names, and the names of objects the platform refers to. */
const dnsName = {
  type: 'string',
  minLength: 1,
  maxLength: DnsName.MAX_LENGTH,
  pattern: `^${DnsName.LABEL_SYNTAX}(\\.${DnsName.LABEL_SYNTAX})*$`,
  format: 'dns-name',
  description: 'a DNS name such as crumpet.example.org (lower-case letters, digits, "-" and ".")',
} as const;

/**
 * The name of an object the platform refers to but does not create (StorageClass,
 * VolumeSnapshotClass, ClusterSecretStore): a DNS-1123 subdomain, dots allowed. Objects the
 * platform creates have DNS-1123 labels (see src/render/manifest-validator.ts).
 */
const objectName = { ...dnsName, description: 'a Kubernetes object name (DNS-1123 subdomain) such as ebs.csi.aws.com' } as const;

const cpuQuantity = {
  type: 'string',
  pattern: '^([1-9][0-9]*m|[1-9][0-9]*(\\.[0-9]{1,3})?|0\\.(00[1-9]|0[1-9][0-9]?|[1-9][0-9]{0,2}))$',
  description: 'a Kubernetes CPU quantity above 0 such as 500m, 0.5 or 2',
} as const;

const byteQuantity = {
  type: 'string',
  // Fractions only with a unit: Kubernetes would round 1.5 bytes up to 2.
  pattern: '^([1-9][0-9]*(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?|([1-9][0-9]*\\.[0-9]+|0\\.[0-9]*[1-9][0-9]*)(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P))$',
  description: 'a Kubernetes byte quantity above 0 such as 512Mi, 1.5Gi or 50Gi',
} as const;

export const replicas = { type: 'integer', minimum: 0, maximum: 1000 } as const;

/** An IPv4 CIDR exactly, or the shape of an IPv6 one: Helm checks this much, the `cidr` format the rest. */
const cidr = {
  type: 'string',
  pattern:
    '^(((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])/([0-9]|[12][0-9]|3[0-2])' +
    '|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*/([0-9]|[1-9][0-9]|1[01][0-9]|12[0-8]))$',
  format: 'cidr',
  description: 'an IPv4 or IPv6 CIDR such as 203.0.113.0/24 or 2001:db8::/32',
} as const;

/** An allow-list of networks; every CIDR list of the model is one. */
const cidrList = { type: 'array', minItems: 1, uniqueItems: true, items: cidr } as const;

const cron = {
  type: 'string',
  format: 'cron-schedule',
  description: 'a cron schedule such as "30 2 * * *" or @daily',
} as const;

const httpsUrl = {
  type: 'string',
  maxLength: 2048,
  pattern: '^https://[a-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~/-]*)?$',
  format: 'https-url',
  description: 'an https:// URL',
} as const;

export const image: JSONSchemaType<ImageConfig> = {
  type: 'object',
  additionalProperties: false,
  required: ['repository', 'tag'],
  properties: {
    repository: {
      type: 'string',
      maxLength: 255,
      format: 'image-repository',
      // The distribution/reference grammar: optional domain[:port]/, then path components.
      pattern:
        `^(${DnsName.LABEL_SYNTAX}(\\.${DnsName.LABEL_SYNTAX})*(:[0-9]+)?/)?` +
        '[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*(/[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*)*$',
      description: 'an image repository such as ghcr.io/crumpet/cin-node (lower case, no tag)',
    },
    tag: {
      type: 'string',
      // The OCI distribution spec's tag grammar.
      pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$',
      description: 'an image tag such as v0.1.0 (letters, digits, "_", "." and "-", not starting with "." or "-", at most 128)',
    },
    digest: {
      type: 'string',
      nullable: true,
      pattern: '^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$',
      description: 'an image digest: "sha256:" and 64 lower-case hex digits (or "sha512:" and 128)',
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
  properties: { service: dns1035Label, port: { type: 'integer', minimum: 1, maximum: 65535 } },
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
    store: objectName,
    remoteKeyPrefix: {
      type: 'string',
      // No segment starts with ".": "crumpet/../other" would read another prefix's secrets.
      pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$',
      description: 'a slash-separated key prefix such as crumpet/prod (no segment starting with ".")',
    },
    sealed: {
      type: 'object',
      nullable: true,
      required: [],
      propertyNames: { ...objectName, description: 'a Secret name (DNS-1123 subdomain) such as pin-orchestrator-psa-tokens' },
      additionalProperties: {
        type: 'object',
        required: [],
        // What Kubernetes allows as a key of a Secret's data (IsConfigMapKey).
        propertyNames: {
          type: 'string',
          maxLength: 253,
          pattern: '^([-_a-zA-Z0-9]|\\.[-_a-zA-Z0-9])[-._a-zA-Z0-9]*$',
          description: 'a Secret key: letters, digits, "-", "_" and ".", not "." or starting with "..", at most 253 characters',
        },
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
      maxLength: 254,
      pattern: '^[^@\\s]+@[a-z0-9.-]+\\.[a-z]{2,}$',
      format: 'email-address',
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
    regex: {
      type: 'string',
      minLength: 2,
      maxLength: 1024,
      pattern: '^\\^',
      format: 're2',
      description: 'an RE2 expression anchored with ^',
      nullable: true,
    },
    backend: { type: 'string', enum: ['web', 'cin-http', 'cin-grpc', 'pin-orchestrator'] },
    websocket: { type: 'boolean', nullable: true },
    rateLimited: { type: 'boolean', nullable: true },
    timeout: { type: 'string', format: 'duration', description: 'a duration such as 250ms, 15s or 5m' },
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
      items: {
        type: 'string',
        maxLength: 2048,
        pattern: '^https://[a-z0-9.-]+(:[0-9]+)?$',
        format: 'https-origin',
        description: 'an origin such as https://app.example.org',
      },
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
    bucket: { ...dnsLabel, minLength: 3, description: 'an S3 bucket name (3 to 63 lower-case letters, digits and "-")' },
    endpoint: httpsUrl,
    indexSnapshotSchedule: cron,
    volumeSnapshotSchedule: cron,
    configBackupSchedule: cron,
    volumeSnapshotClassName: objectName,
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
    'telemetry', 'secrets', 'tls', 'edge', 'backups',
  ],
  properties: {
    name: dnsLabel,
    namespace: dnsLabel,
    instance: dnsLabel,
    pinDigests: { type: 'boolean' },
    hostnames: { type: 'array', minItems: 1, uniqueItems: true, items: dnsName },
    storage: {
      type: 'object',
      additionalProperties: false,
      required: ['storageClassName'],
      properties: { storageClassName: objectName },
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
