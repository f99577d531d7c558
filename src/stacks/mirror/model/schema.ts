import { DnsName, gitOpsSettingsSchema, valueSchemas } from '../../../lib/index.ts';

/*
 * JSON Schema of a mirror environment, but for `components`, whose settings each component
 * declares (model/index.ts joins them).
 */

const { cidrList, dnsLabel, hostName, objectName, byteQuantity } = valueSchemas;

const positive = { type: 'integer', minimum: 1 } as const;

/** An image reference as written: repository, then a tag, a digest or both. */
export const imageReference = {
  type: 'string',
  maxLength: 512,
  pattern:
    `^(${DnsName.LABEL_SYNTAX}(\\.${DnsName.LABEL_SYNTAX})*(:[0-9]+)?/)?` +
    '[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*(/[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*)*' +
    '(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$',
  description: 'an image reference such as public.ecr.aws/aws-cli/aws-cli@sha256:<64 hex digits>',
} as const;

const domain = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'host', 'maxIndexRequestsPerHour', 'maxDownloadRequestsPerHour'],
  properties: {
    id: { ...dnsLabel, maxLength: 20 },
    host: hostName,
    maxIndexRequestsPerHour: positive,
    maxDownloadRequestsPerHour: positive,
  },
} as const;

const exportTree = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'source', 'urlPrefix', 'indexPattern', 'size'],
  properties: {
    name: { ...dnsLabel, maxLength: 30 },
    source: {
      type: 'string',
      pattern: '^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[A-Za-z0-9_.-]+)*$',
      description: 'an S3 location such as s3://mirror-stellaops/concelier/latest',
    },
    urlPrefix: { type: 'string', pattern: '^(/[a-z0-9_.-]+)+/$', description: 'a URL path prefix such as /concelier/exports/ (leading and trailing "/")' },
    indexPattern: {
      type: 'string',
      // Letters, digits and the regex syntax an index path needs; no quote, space or ";" that would break the nginx config.
      pattern: '^\\^/[A-Za-z0-9_./\\\\\\[\\]^+*?-]+\\$$',
      format: 'path-regex',
      description: 'an anchored path regex such as ^/concelier/exports/index\\.json$ (no quotes, spaces or ";")',
    },
    size: byteQuantity,
  },
} as const;

export const mirrorConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'namespace', 'instance', 'features', 'domains', 'exports', 'cdn', 'sync', 'storage', 'network', 'secrets', 'gitops'],
  properties: {
    name: dnsLabel,
    namespace: dnsLabel,
    instance: { ...dnsLabel, maxLength: 40 },
    features: {
      type: 'object',
      additionalProperties: false,
      required: ['networkPolicy', 'serviceMonitor', 'podDisruptionBudget'],
      properties: { networkPolicy: { type: 'boolean' }, serviceMonitor: { type: 'boolean' }, podDisruptionBudget: { type: 'boolean' } },
    },
    domains: { type: 'array', minItems: 1, items: domain },
    exports: { type: 'array', minItems: 1, items: exportTree },
    cdn: {
      type: 'object',
      additionalProperties: false,
      required: ['indexMaxAgeSeconds', 'payloadMaxAgeSeconds'],
      properties: { indexMaxAgeSeconds: positive, payloadMaxAgeSeconds: positive },
    },
    sync: {
      type: 'object',
      additionalProperties: false,
      required: ['everyMinutes', 'maxLagMinutes', 'region'],
      properties: {
        everyMinutes: { type: 'integer', minimum: 1, maximum: 59 },
        maxLagMinutes: positive,
        region: { type: 'string', pattern: '^[a-z]{2}(-[a-z]+)+-[0-9]$', description: 'an AWS region such as eu-central-1' },
      },
    },
    storage: { type: 'object', additionalProperties: false, required: ['storageClassName'], properties: { storageClassName: objectName } },
    network: {
      type: 'object',
      additionalProperties: false,
      required: ['cdnCidrs', 'upstreamCidrs', 'monitoringNamespace'],
      properties: { cdnCidrs: cidrList, upstreamCidrs: cidrList, monitoringNamespace: dnsLabel },
    },
    secrets: {
      type: 'object',
      additionalProperties: false,
      required: ['store', 'remoteKeyPrefix'],
      properties: {
        store: objectName,
        remoteKeyPrefix: {
          type: 'string',
          pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$',
          description: 'a slash-separated key prefix such as mirror/prod (no segment starting with ".")',
        },
      },
    },
    gitops: gitOpsSettingsSchema,
  },
} as const;
