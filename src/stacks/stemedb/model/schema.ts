import type { JSONSchemaType } from 'ajv';
import { gitOpsSettingsSchema } from '../../../lib/gitops/index.ts';
import { bucketName, cidrList, cron, dnsLabel, hostName, image, objectName, resources } from '../../../lib/values/schemas.ts';
import type { BackupConfig, IngressConfig, MonitoringConfig, NetworkConfig, SecretsConfig, StemedbFeatures } from './types.ts';

/*
 * The JSON Schema of the StemeDB model from the shared value fragments; `JSONSchemaType<T>`
 * keeps it in step with types.ts. `components` is added from the declared components
 * (model/index.ts).
 */

const duration = { type: 'string', pattern: '^[1-9][0-9]*(s|m|h)$', description: 'a duration such as 1s, 5m or 1h' } as const;

const labelMap = {
  type: 'object',
  required: [],
  minProperties: 1,
  additionalProperties: { type: 'string', pattern: '^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$', maxLength: 63, description: 'a label value' },
} as const;

const features: JSONSchemaType<StemedbFeatures> = {
  type: 'object',
  additionalProperties: false,
  required: ['networkPolicy', 'serviceMonitor', 'podDisruptionBudget'],
  properties: { networkPolicy: { type: 'boolean' }, serviceMonitor: { type: 'boolean' }, podDisruptionBudget: { type: 'boolean' } },
};

const ingress: JSONSchemaType<IngressConfig> = {
  type: 'object',
  additionalProperties: false,
  required: ['host', 'className', 'entrypoint', 'clusterIssuer', 'tlsSecretName', 'rateLimit'],
  properties: {
    host: hostName,
    className: objectName,
    entrypoint: { type: 'string', pattern: '^[a-z][a-z0-9-]*$', description: 'a Traefik entrypoint name such as websecure' },
    clusterIssuer: objectName,
    tlsSecretName: dnsLabel,
    rateLimit: {
      type: 'object',
      additionalProperties: false,
      required: ['average', 'burst', 'period'],
      properties: { average: { type: 'integer', minimum: 1 }, burst: { type: 'integer', minimum: 1 }, period: duration },
    },
  },
};

const secrets: JSONSchemaType<SecretsConfig> = {
  type: 'object',
  additionalProperties: false,
  required: ['store', 'storeKind', 'refreshInterval', 'rootApiKeyRemoteKey', 'rcloneConfigRemoteKey'],
  properties: {
    store: objectName,
    storeKind: { type: 'string', enum: ['ClusterSecretStore', 'SecretStore'] },
    refreshInterval: duration,
    rootApiKeyRemoteKey: { type: 'string', pattern: '^[A-Za-z0-9_./-]+$', maxLength: 255, description: 'a secret key such as stemedb-root-api-key' },
    rcloneConfigRemoteKey: { type: 'string', pattern: '^[A-Za-z0-9_./-]+$', maxLength: 255, description: 'a secret key such as stemedb-rclone-config' },
  },
};

const backup: JSONSchemaType<BackupConfig> = {
  type: 'object',
  additionalProperties: false,
  required: ['schedule', 'image', 'bucket', 'remote', 'rcloneConfigSecret', 'exportPath', 'resources'],
  properties: {
    schedule: cron,
    image,
    bucket: bucketName,
    remote: { type: 'string', pattern: '^[A-Za-z0-9_-]+$', description: 'an rclone remote name such as gcs' },
    rcloneConfigSecret: dnsLabel,
    exportPath: { type: 'string', pattern: '^/[A-Za-z0-9._~/-]*$', description: 'an absolute URL path such as /v1/admin/backup' },
    resources,
  },
};

const network: JSONSchemaType<NetworkConfig> = {
  type: 'object',
  additionalProperties: false,
  required: ['ingressNamespace', 'ingressPodLabels', 'monitoringNamespace', 'objectStoreCidrs'],
  properties: {
    ingressNamespace: dnsLabel,
    ingressPodLabels: labelMap,
    monitoringNamespace: dnsLabel,
    objectStoreCidrs: cidrList,
  },
} as unknown as JSONSchemaType<NetworkConfig>;

const monitoring: JSONSchemaType<MonitoringConfig> = {
  type: 'object',
  additionalProperties: false,
  required: ['selectorLabels'],
  properties: { selectorLabels: labelMap },
} as unknown as JSONSchemaType<MonitoringConfig>;

/** The model without `components`, which the declared components add. */
export const stemedbConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'namespace', 'instance', 'storage', 'features', 'ingress', 'secrets', 'backup', 'network', 'monitoring', 'gitops'],
  properties: {
    name: dnsLabel,
    namespace: dnsLabel,
    instance: dnsLabel,
    storage: { type: 'object', additionalProperties: false, required: ['storageClassName'], properties: { storageClassName: objectName } },
    features,
    ingress,
    secrets,
    backup,
    network,
    monitoring,
    gitops: gitOpsSettingsSchema,
  },
} as const;

