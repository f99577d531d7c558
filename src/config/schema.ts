import type { JSONSchemaType } from 'ajv';
import type {
  CinLanguageConfig,
  ImageConfig,
  PlatformConfig,
  ResourceConfig,
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

const replicas = { type: 'integer', minimum: 0, maximum: 1000 } as const;

const image: JSONSchemaType<ImageConfig> = {
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

const resources: JSONSchemaType<ResourceConfig> = {
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
  required: ['name', 'namespace', 'instance', 'pinDigests', 'hostnames', 'storage', 'features', 'components'],
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
      required: ['cinNode', 'pinOrchestrator', 'watcher', 'web', 'envoyEdge', 'kubo'],
      properties: {
        cinNode: {
          type: 'object',
          additionalProperties: false,
          required: ['image', 'resources', 'languages'],
          properties: {
            image,
            resources,
            languages: { type: 'array', minItems: 1, items: language },
          },
        },
        pinOrchestrator: workload,
        watcher: workload,
        web: workload,
        envoyEdge: workload,
        kubo: {
          type: 'object',
          additionalProperties: false,
          required: ['image', 'replicas', 'resources', 'storage'],
          properties: { image, replicas, resources, storage: byteQuantity },
        },
      },
    },
  },
};
