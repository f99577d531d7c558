import type { DeliverySettings } from '../../../lib/index.ts';
import type { RouteConfig } from '../../../lib/component/index.ts';
import type { GitOpsSettings } from '../../../lib/gitops/index.ts';
import type { ImageSpec, ResourcesSpec } from '../../../lib/values/schemas.ts';

/**
 * The typed model of one Crumpet environment. Every output (manifests, charts, ops files) is
 * derived from one value of this type; `schema.ts` describes the same shape for ajv, and the
 * compiler checks that the two agree.
 */

/** An OCI image reference split into its parts. */
export type ImageConfig = ImageSpec;

/** CPU and memory for one container, as Kubernetes quantities. */
export type ResourceConfig = ResourcesSpec;

/** Image, replica count and resources of one stateless workload. */
export interface WorkloadConfig {
  readonly image: ImageConfig;
  /**
   * Replicas when autoscaling is off; the autoscaler's floor when it is on, and then at least 1
   * for a workload with `maxReplicas` (a HorizontalPodAutoscaler never scales up from 0).
   */
  readonly replicas: number;
  readonly resources: ResourceConfig;
}

/** A stateless workload that the HorizontalPodAutoscaler may scale out. */
export interface ScalableWorkloadConfig extends WorkloadConfig {
  /** The autoscaler's ceiling (used when `features.autoscaling` is on); at least `replicas`. */
  readonly maxReplicas: number;
}

/** One language index served by its own CIN node StatefulSet. */
export interface CinLanguageConfig {
  /** ISO 639-1 code, e.g. `en`; unique within the environment. */
  readonly code: string;
  /** Instances serving the language; at least 1, since the edge routes the language to them. */
  readonly replicas: number;
  /** Size of each replica's index volume, e.g. `50Gi` (spec: 20-50 GB). */
  readonly storage: string;
}

/**
 * A change to one CIN instance only (as the Cosmos Operator's `instanceOverrides`): the others
 * of its language keep running untouched.
 */
export interface CinInstanceOverride {
  /** Language code of the instance. */
  readonly language: string;
  /** Instance number within the language, from 0. */
  readonly instance: number;
  /**
   * Run this instance on another image, e.g. a fix under test.
   * @default - the language's image
   */
  readonly image?: ImageConfig;
  /**
   * Stop the instance (its StatefulSet scaled to 0) and keep its index volume, for data repair.
   * @default false
   */
  readonly excluded?: boolean;
}

export interface CinNodeConfig extends Omit<WorkloadConfig, 'replicas'> {
  /** Languages served, each isolated on its own instances, so busy languages scale alone. */
  readonly languages: readonly CinLanguageConfig[];
  readonly instanceOverrides: readonly CinInstanceOverride[];
}

/** Image and resources of a sidecar container. */
export interface SidecarConfig {
  readonly image: ImageConfig;
  readonly resources: ResourceConfig;
}

export interface KuboConfig extends WorkloadConfig {
  /** Size of the IPFS repository volume. */
  readonly storage: string;
}

/** Switches for optional parts of the platform. */
export interface FeatureToggles {
  readonly networkPolicy: boolean;
  readonly serviceMonitor: boolean;
  readonly podDisruptionBudget: boolean;
  readonly autoscaling: boolean;
  /** Run an in-cluster IPFS Kubo node. */
  readonly kubo: boolean;
  /** mTLS between the Envoy edge and CIN gRPC. */
  readonly mtls: boolean;
  /** Deliver the stateless components by Argo Rollouts canaries gated by the SLOs (`delivery`). */
  readonly rollouts: boolean;
}

/**
 * The components' settings, by the camelCase of each component's name. The ones the platform's
 * own code reads beyond their component are typed here; any other declared component's settings
 * (`src/stacks/crumpet/components/<name>.ts`) are checked by its declaration's schema.
 */
export interface ComponentsConfig {
  readonly [component: string]: object;
  readonly cinNode: CinNodeConfig;
  readonly pinOrchestrator: ScalableWorkloadConfig;
  readonly watcher: WorkloadConfig;
  readonly web: ScalableWorkloadConfig;
  readonly envoyEdge: ScalableWorkloadConfig;
  readonly kubo: KuboConfig;
  /** OpenTelemetry Collector sidecar: receives OTLP from the service, forwards traces. */
  readonly otelCollector: SidecarConfig;
  /** Promtail sidecar: ships the service's JSON logs to Loki. */
  readonly promtail: SidecarConfig;
}

/** A Service in the monitoring namespace. */
export interface MonitoringEndpoint {
  /** The Service's name (a DNS-1035 label: it starts with a letter). */
  readonly service: string;
  readonly port: number;
}

/** Where the sidecars send telemetry (spec section 7). */
export interface TelemetryConfig {
  /** Tempo's OTLP gRPC receiver. */
  readonly traces: MonitoringEndpoint;
  /** Loki's push API (HTTP). */
  readonly logs: MonitoringEndpoint;
}

/**
 * Where traffic may go beyond the cluster (spec section 11: CIN egress is limited). Every list
 * holds IPv4 or IPv6 CIDRs written as their network address (`203.0.113.0/24`, `2001:db8::/32`;
 * no host bits set), none of them `/0`: each is an allow-list.
 */
export interface NetworkConfig {
  /** Chain RPC endpoints the CIN nodes ingest from and the watchers read. */
  readonly rpcEndpointCidrs: readonly string[];
  /** IPFS gateways the CIN nodes fetch content from. */
  readonly ipfsGatewayCidrs: readonly string[];
  /** Known libp2p peers: the only sources admitted to CIN's QUIC port, and its gossip targets. */
  readonly peerCidrs: readonly string[];
  /** Remote pinning services (PSA) the orchestrator pins to. */
  readonly pinningServiceCidrs: readonly string[];
  /** The S3-compatible object store that receives backups. */
  readonly objectStoreCidrs: readonly string[];
  /** The Kubernetes API server, for the backup jobs that read or snapshot objects. */
  readonly apiServerCidrs: readonly string[];
  /**
   * Egress ranges of the CDN/WAF in front of the edge (spec section 2: users reach the edge
   * through it), as the CDN publishes them: the only sources the edge's LoadBalancer
   * (`loadBalancerSourceRanges`) and NetworkPolicy admit, so the WAF and its per-IP limits cannot
   * be bypassed by calling the LoadBalancer directly.
   */
  readonly cdnCidrs: readonly string[];
  /** Namespace of the Prometheus that scrapes the metrics ports. */
  readonly monitoringNamespace: string;
}

/** How application secrets reach the cluster; never as plain Secrets in the output. */
export interface SecretsConfig {
  /**
   * `external-secrets`: ExternalSecrets read from a ClusterSecretStore (Vault, cloud KMS).
   * `sealed-secrets`: SealedSecrets holding ciphertext only the cluster's controller can open.
   */
  readonly provider: 'external-secrets' | 'sealed-secrets';
  /** external-secrets: the ClusterSecretStore to read from (a DNS-1123 subdomain). */
  readonly store: string;
  /** external-secrets: prefix of every remote key, e.g. `crumpet/prod`; no segment starts with ".". */
  readonly remoteKeyPrefix: string;
  /**
   * sealed-secrets: ciphertext from `kubeseal`, by Secret name (a DNS-1123 subdomain), then key
   * (what Kubernetes allows in a Secret's data: `[-._a-zA-Z0-9]+`, not `.`, not starting with `..`).
   * Required with the sealed-secrets provider, refused with the other (it would be ignored).
   * @default - none
   */
  readonly sealed?: { readonly [secret: string]: { readonly [key: string]: string } };
}

/** Certificates for the edge host names (spec section 6). */
export interface TlsConfig {
  /** Name of the cert-manager ClusterIssuer. */
  readonly issuerName: string;
  /** ACME directory, e.g. Let's Encrypt production or staging: an https:// URL. */
  readonly acmeServer: string;
  /** Contact for expiry notices from the ACME server. */
  readonly acmeEmail: string;
}

/**
 * One route of the edge, matched in table order (Envoy takes the first route that matches): to a
 * component's port, by name. Routes to a sharded component (CIN, per language) are served per
 * shard: the `lang` query parameter (HTTP) or the `x-crumpet-lang` header (gRPC) picks it, the
 * first language of `components.cinNode.languages` answers otherwise.
 */
export type EdgeRouteConfig = RouteConfig;

/** The Envoy edge's routes and protections (spec sections 5 and 11). */
export interface EdgeConfig {
  /**
   * The route table, in match order; put the most specific routes first. A route that an earlier
   * prefix or path takes entirely is refused: it could never be reached.
   * @default - the routes the components declare: exact paths, then regexes, then the longest prefixes first
   */
  readonly routes?: readonly EdgeRouteConfig[];
  /**
   * Origins CORS admits: the community frontends, e.g. `https://app.community.example`; without
   * `:443`, which browsers leave out of the Origin header.
   */
  readonly corsOrigins: readonly string[];
  /** Token bucket of every `rateLimited` route, per client connection. */
  readonly rateLimit: {
    /** Tokens added per second. */
    readonly requestsPerSecond: number;
    /** Bucket size: the burst a client may send at once; at least `requestsPerSecond`. */
    readonly burst: number;
  };
}

/** Backups and disaster recovery (spec section 10). */
export interface BackupConfig {
  /** S3-compatible bucket receiving index snapshots and config backups (3 to 63 characters). */
  readonly bucket: string;
  /** Endpoint of the object store. */
  readonly endpoint: string;
  /**
   * Cron schedule of the nightly index snapshot upload. Every schedule is checked as the CronJob
   * controller reads it: five fields (`30 2 * * *`, names such as `MON-FRI`) or a macro
   * (`@daily`, `@hourly`, `@every 6h`, ...); see CronSchedule in src/lib/values.
   */
  readonly indexSnapshotSchedule: string;
  /** Cron schedule of the index VolumeSnapshots. */
  readonly volumeSnapshotSchedule: string;
  /** Cron schedule of the Secret and ConfigMap backup. */
  readonly configBackupSchedule: string;
  /** VolumeSnapshotClass of the CSI driver holding the index volumes (a DNS-1123 subdomain). */
  readonly volumeSnapshotClassName: string;
  /**
   * Image with bash, kubectl, the AWS CLI and age, run by the backup jobs; pinned by digest where
   * required.
   */
  readonly toolboxImage: ImageConfig;
  /**
   * Also back up the data of the application Secrets the platform delivers (named one by one,
   * never the mesh CA or certificate keys), encrypted to an age recipient before upload.
   * @default - the config backup never reads Secret data: it keeps the Secrets' sources
   * (ExternalSecrets or SealedSecrets) and the ConfigMaps
   */
  readonly secretData?: BackupSecretDataConfig;
}

/** The opt-in backup of the application Secrets' data. */
export interface BackupSecretDataConfig {
  /**
   * The age X25519 recipient (public key, `age1...`) the Secrets are encrypted to before they
   * leave the pod; its identity (private key) is kept offline, for restores only.
   * @see https://github.com/FiloSottile/age
   */
  readonly ageRecipient: string;
}

export interface PlatformConfig {
  /** Environment name; equals the file name under `src/stacks/crumpet/environments/`. */
  readonly name: string;
  /** Namespace every workload of the environment runs in. */
  readonly namespace: string;
  /** Value of `app.kubernetes.io/instance` on every object. */
  readonly instance: string;
  /** Refuse any image that is not pinned by digest (supply-chain rule, spec section 11). */
  readonly pinDigests: boolean;
  /**
   * Public host names served by the edge: DNS names (labels of at most 63 characters, 253 in all),
   * not IP addresses.
   */
  readonly hostnames: readonly string[];
  readonly storage: {
    /** StorageClass of every PersistentVolumeClaim (a DNS-1123 subdomain, e.g. `ebs.csi.aws.com`). */
    readonly storageClassName: string;
  };
  readonly features: FeatureToggles;
  readonly components: ComponentsConfig;
  readonly network: NetworkConfig;
  readonly telemetry: TelemetryConfig;
  readonly secrets: SecretsConfig;
  readonly tls: TlsConfig;
  readonly edge: EdgeConfig;
  readonly backups: BackupConfig;
  /** How new versions roll out while `features.rollouts` is on. */
  readonly delivery: DeliverySettings;
  /** How GitOps deploys the environment (Argo CD): repository, revision, sync switches. */
  readonly gitops: GitOpsSettings;
}
