import type { JSONSchemaType } from 'ajv';
import { DnsName } from './dns-name.ts';

/*
 * JSON Schema fragments of the values every stack's model holds: names, quantities, images,
 * resources, CIDRs, schedules. Every `pattern` carries a `description`: it is what the user reads
 * when a value does not match. A `format` names a value type of this folder that the model
 * machinery (src/config/_formats.ts) checks in code where a pattern cannot say it (the range of
 * each cron field, the host bits of a CIDR, the length of each DNS label, what RE2 compiles); an
 * `objectFormat` does so for an object whose fields constrain each other (a limit and its request).
 * Patterns stay on those fields as a first, coarse check: Helm charts' values schemas reuse these
 * fragments, and Helm knows none of the formats.
 */

/** An OCI image reference split into its parts. */
export interface ImageSpec {
  /** Registry and path, e.g. `registry.example.org/team/api`. */
  readonly repository: string;
  /** Release tag, e.g. `v0.1.0`: the OCI grammar, at most 128 characters. */
  readonly tag: string;
  /**
   * Content digest (`sha256:` and 64 hex digits, or `sha512:` and 128). When present the image is
   * pulled by digest.
   * @default - pulled by tag
   */
  readonly digest?: string;
}

/** CPU and memory for one container, as Kubernetes quantities. */
export interface ResourcesSpec {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu?: string; readonly memory: string };
}

export const dnsLabel = {
  type: 'string',
  pattern: `^${DnsName.LABEL_SYNTAX}$`,
  maxLength: 63,
  description: 'a DNS-1123 label (lower-case letters, digits and "-", at most 63 characters)',
} as const;

/** Names of Services, which Kubernetes requires to start with a letter. */
export const dns1035Label = {
  type: 'string',
  pattern: '^[a-z]([-a-z0-9]*[a-z0-9])?$',
  maxLength: 63,
  description: 'a DNS-1035 label (lower-case letters, digits and "-", starting with a letter, at most 63 characters)',
} as const;

/** Every DNS name of the model: host names, and the names of objects the platform refers to. */
export const dnsName = {
  type: 'string',
  minLength: 1,
  maxLength: DnsName.MAX_LENGTH,
  pattern: `^${DnsName.LABEL_SYNTAX}(\\.${DnsName.LABEL_SYNTAX})*$`,
  format: 'dns-name',
  description: 'a DNS name such as www.example.org (lower-case letters, digits, "-" and ".")',
} as const;

/**
 * A public host name a certificate names (an edge's, an ingress's): a DNS name whose last label
 * holds a letter, so never an IP address, which an ACME issuer does not certify.
 */
export const hostName = {
  ...dnsName,
  pattern: `^(${DnsName.LABEL_SYNTAX}\\.)*([a-z0-9][-a-z0-9]*)?[a-z]([-a-z0-9]*[a-z0-9])?$`,
  description: 'a host name such as www.example.org (lower-case letters, digits, "-" and "."; not an IP address: certificates name hosts)',
} as const;

/**
 * An S3 bucket name: 3 to 63 characters, DNS labels joined by single dots (no "..", and a letter
 * or digit at both ends of each label, as virtual-hosted requests and their certificates need);
 * the `bucket-name` format refuses what S3 reserves (an IP address, `xn--`, `-s3alias`).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
export const bucketName = {
  type: 'string',
  minLength: 3,
  maxLength: 63,
  pattern: `^${DnsName.LABEL_SYNTAX}(\\.${DnsName.LABEL_SYNTAX})*$`,
  format: 'bucket-name',
  description: 'an S3 bucket name such as team-backups (3 to 63 lower-case letters, digits, "-" and single dots)',
} as const;

/**
 * The name of an object the platform refers to but does not create (StorageClass,
 * VolumeSnapshotClass, ClusterSecretStore): a DNS-1123 subdomain, dots allowed. Objects the
 * platform creates have DNS-1123 labels (see src/render/manifest-validator.ts).
 */
export const objectName = { ...dnsName, description: 'a Kubernetes object name (DNS-1123 subdomain) such as ebs.csi.aws.com' } as const;

export const cpuQuantity = {
  type: 'string',
  pattern: '^([1-9][0-9]*m|[1-9][0-9]*(\\.[0-9]{1,3})?|0\\.(00[1-9]|0[1-9][0-9]?|[1-9][0-9]{0,2}))$',
  description: 'a Kubernetes CPU quantity above 0 such as 500m, 0.5 or 2',
} as const;

export const byteQuantity = {
  type: 'string',
  // Fractions only with a unit: Kubernetes would round 1.5 bytes up to 2.
  pattern: '^([1-9][0-9]*(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?|([1-9][0-9]*\\.[0-9]+|0\\.[0-9]*[1-9][0-9]*)(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P))$',
  description: 'a Kubernetes byte quantity above 0 such as 512Mi, 1.5Gi or 50Gi',
} as const;

export const replicas = { type: 'integer', minimum: 0, maximum: 1000 } as const;

/**
 * A network an allow-list admits: an IPv4 CIDR exactly, or the shape of an IPv6 one (Helm checks
 * this much, the `cidr` format the rest), narrower than every address. A `/0` would make the
 * policy that lists it restrict nothing, so the pattern refuses it, in the model as in the charts.
 */
export const cidr = {
  type: 'string',
  pattern:
    '^(((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])/([1-9]|[12][0-9]|3[0-2])' +
    '|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*/([1-9]|[1-9][0-9]|1[01][0-9]|12[0-8]))$',
  format: 'cidr',
  description: 'an IPv4 or IPv6 network such as 203.0.113.0/24 or 2001:db8::/32, narrower than every address (a /0 would make the policy restrict nothing)',
} as const;

/** An allow-list of networks; every CIDR list of the model is one. */
export const cidrList = { type: 'array', minItems: 1, uniqueItems: true, items: cidr } as const;

export const cron = {
  type: 'string',
  format: 'cron-schedule',
  description: 'a cron schedule such as "30 2 * * *" or @daily',
} as const;

export const duration = { type: 'string', format: 'duration', description: 'a duration such as 250ms, 15s or 5m' } as const;

export const httpsUrl = {
  type: 'string',
  maxLength: 2048,
  pattern: '^https://[a-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~/-]*)?$',
  format: 'https-url',
  description: 'an https:// URL',
} as const;

export const image: JSONSchemaType<ImageSpec> = {
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
      description: 'an image repository such as ghcr.io/example/app (lower case, no tag)',
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

/** The schema keyword naming an object's format (`format` is for strings only). */
export const OBJECT_FORMAT_KEYWORD = 'objectFormat';

export const resources: JSONSchemaType<ResourcesSpec> = {
  type: 'object',
  // A limit below its request (resource-requirements.ts), which the API server refuses.
  [OBJECT_FORMAT_KEYWORD]: 'resource-requirements',
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
