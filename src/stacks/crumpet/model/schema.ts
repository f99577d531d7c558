import type { JSONSchemaType } from 'ajv';
import { gitOpsSettingsSchema } from '../../../lib/gitops/index.ts';
import type {
  BackupConfig,
  CinInstanceOverride,
  CinLanguageConfig,
  CinNodeConfig,
  EdgeConfig,
  EdgeRouteConfig,
  KuboConfig,
  NetworkConfig,
  PlatformConfig,
  SecretsConfig,
  SidecarConfig,
  TelemetryConfig,
  TlsConfig,
} from './types.ts';
import {
  bucketName,
  byteQuantity,
  cidrList,
  cron,
  dns1035Label,
  dnsLabel,
  hostName,
  httpsUrl,
  image,
  objectName,
  replicas,
  resources,
} from '../../../lib/values/schemas.ts';
import { deliverySettingsSchema } from '../../../lib/delivery/delivery-plan.ts';

export { image, replicas, resources } from '../../../lib/values/schemas.ts';

/*
 * The JSON Schema of the Crumpet model, from the value fragments of src/lib/values/schemas.ts.
 * `JSONSchemaType<T>` makes the compiler reject a schema that disagrees with `types.ts`, so the
 * two cannot drift.
 */

/** A telemetry sidecar's settings (`components.otelCollector`, `components.promtail`). */
export const sidecar: JSONSchemaType<SidecarConfig> = {
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
        // kubeseal writes base64; anything else (a pasted manifest, a plain value) the controller cannot unseal.
        additionalProperties: { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9+/]+={0,2}$', description: 'kubeseal ciphertext (base64)' },
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
  required: ['name', 'backend', 'port', 'timeout'],
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
    backend: { ...dnsLabel, description: 'the name of a component, such as cin-node' },
    port: {
      type: 'string',
      pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
      maxLength: 15,
      description: 'the name of one of the component\'s ports, such as http',
    },
    websocket: { type: 'boolean', nullable: true },
    rateLimited: { type: 'boolean', nullable: true },
    timeout: { type: 'string', format: 'duration', description: 'a duration such as 250ms, 15s or 5m' },
    retries: { type: 'integer', minimum: 0, maximum: 5, nullable: true },
  },
};

const edge: JSONSchemaType<EdgeConfig> = {
  type: 'object',
  additionalProperties: false,
  required: ['corsOrigins', 'rateLimit'],
  properties: {
    routes: { type: 'array', minItems: 1, items: edgeRoute, nullable: true },
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
    bucket: bucketName,
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

/** The CIN nodes' settings: image, resources, languages and per-instance overrides. */
export const cinNodeSettings: JSONSchemaType<CinNodeConfig> = {
  type: 'object',
  additionalProperties: false,
  required: ['image', 'resources', 'languages', 'instanceOverrides'],
  properties: {
    image,
    resources,
    languages: { type: 'array', minItems: 1, items: language },
    instanceOverrides: { type: 'array', items: instanceOverride },
  },
};

/** Kubo's settings: image, replicas, resources and its repository volume's size. */
export const kuboSettings: JSONSchemaType<KuboConfig> = {
  type: 'object',
  additionalProperties: false,
  required: ['image', 'replicas', 'resources', 'storage'],
  properties: { image, replicas, resources, storage: byteQuantity },
};

/**
 * The model but its `components`, which the declared components give (each its settings' schema;
 * see model/index.ts), beside the telemetry sidecars' settings ({@link SIDECAR_SETTINGS}).
 */
export const platformConfigSchema: JSONSchemaType<Omit<PlatformConfig, 'components'>> = {
  $id: 'https://crumpet.dev/schemas/platform-config.json',
  type: 'object',
  additionalProperties: false,
  required: [
    'name', 'namespace', 'instance', 'pinDigests', 'hostnames', 'storage', 'features', 'network',
    'telemetry', 'secrets', 'tls', 'edge', 'backups', 'delivery', 'gitops',
  ],
  properties: {
    name: dnsLabel,
    namespace: dnsLabel,
    instance: dnsLabel,
    pinDigests: { type: 'boolean' },
    hostnames: { type: 'array', minItems: 1, uniqueItems: true, items: hostName },
    storage: {
      type: 'object',
      additionalProperties: false,
      required: ['storageClassName'],
      properties: { storageClassName: objectName },
    },
    features: {
      type: 'object',
      additionalProperties: false,
      required: ['networkPolicy', 'serviceMonitor', 'podDisruptionBudget', 'autoscaling', 'kubo', 'mtls', 'rollouts'],
      properties: {
        networkPolicy: { type: 'boolean' },
        serviceMonitor: { type: 'boolean' },
        podDisruptionBudget: { type: 'boolean' },
        autoscaling: { type: 'boolean' },
        kubo: { type: 'boolean' },
        mtls: { type: 'boolean' },
        rollouts: { type: 'boolean' },
      },
    },
    network,
    telemetry,
    secrets,
    tls,
    edge,
    backups,
    delivery: deliverySettingsSchema,
    gitops: gitOpsSettingsSchema,
  },
};
