import type { GitOpsSettings, ImageSpec, ResourcesSpec } from '../../../lib/index.ts';

/*
 * The StemeDB model: what one environment of the StemeDB stack states. The schema (schema.ts)
 * is checked against these types by the compiler; the component's own settings are declared
 * with it (components/stemedb.ts).
 */

export type ImageConfig = ImageSpec;
export type ResourceConfig = ResourcesSpec;

/** `components.stemedb`: the database's workload. */
export interface StemedbSettings {
  readonly image: ImageConfig;
  /** Members of the cluster (the StatefulSet's replicas). */
  readonly replicas: number;
  readonly resources: ResourceConfig;
  /** Size of each member's WAL volume (fsync-heavy, kept apart from compaction I/O). */
  readonly walStorage: string;
  /** Size of each member's DB (LSM) volume. */
  readonly dbStorage: string;
  /** How long a member may replay its WAL after a crash before the startup probe gives up. */
  readonly walReplaySeconds: number;
}

/** Switches of the optional parts. */
export interface StemedbFeatures {
  readonly networkPolicy: boolean;
  readonly serviceMonitor: boolean;
  readonly podDisruptionBudget: boolean;
}

/** How the public reaches the API: a Traefik Ingress with a rate limit before it. */
export interface IngressConfig {
  readonly host: string;
  /** `ingressClassName` of the controller. */
  readonly className: string;
  /** Traefik entrypoint of the router, e.g. `websecure`. */
  readonly entrypoint: string;
  /** cert-manager ClusterIssuer of the host's certificate. */
  readonly clusterIssuer: string;
  /** Secret holding the host's certificate. */
  readonly tlsSecretName: string;
  /** Traefik's token bucket in front of the API, per client IP. */
  readonly rateLimit: { readonly average: number; readonly burst: number; readonly period: string };
}

/** Where the root API key and the backup's rclone configuration come from: External Secrets Operator. */
export interface SecretsConfig {
  readonly store: string;
  readonly storeKind: 'ClusterSecretStore' | 'SecretStore';
  readonly refreshInterval: string;
  /** Key of the root API key in the store. */
  readonly rootApiKeyRemoteKey: string;
  /** Key of the backup job's `rclone.conf` in the store (the Secret `backup.rcloneConfigSecret`). */
  readonly rcloneConfigRemoteKey: string;
}

/** The 6-hourly backup to object storage. */
export interface BackupConfig {
  readonly schedule: string;
  /** Image with rclone and wget. */
  readonly image: ImageConfig;
  readonly bucket: string;
  /** rclone remote the bucket is on, as the rclone configuration names it (e.g. `gcs`). */
  readonly remote: string;
  /** Secret holding `rclone.conf`. */
  readonly rcloneConfigSecret: string;
  /** Path of the members' API that streams a consistent snapshot (WAL segments and DB files) as a tar. */
  readonly exportPath: string;
  readonly resources: ResourceConfig;
}

/** Who the NetworkPolicies admit, and what lies outside the cluster. */
export interface NetworkConfig {
  /** Namespace of the ingress controller (Traefik). */
  readonly ingressNamespace: string;
  /** Labels of the ingress controller's pods. */
  readonly ingressPodLabels: Readonly<Record<string, string>>;
  /** Namespace of Prometheus. */
  readonly monitoringNamespace: string;
  /** The object store the backups go to (HTTPS). */
  readonly objectStoreCidrs: readonly string[];
}

/** Labels Prometheus (prometheus-operator) selects monitors and rules by. */
export interface MonitoringConfig {
  readonly selectorLabels: Readonly<Record<string, string>>;
}

/**
 * The components' settings, by the camelCase of each component's name. The database's is typed
 * here, as the stack's own code reads it; any other declared component's settings
 * (`src/stacks/stemedb/components/<name>.ts`) are checked by its declaration's schema.
 */
export interface StemedbComponents {
  readonly [component: string]: object;
  readonly stemedb: StemedbSettings;
}

/** One environment of StemeDB. */
export interface StemedbConfig {
  /** Environment name, the name of its file. */
  readonly name: string;
  readonly namespace: string;
  /** `app.kubernetes.io/instance`. */
  readonly instance: string;
  readonly storage: { readonly storageClassName: string };
  readonly features: StemedbFeatures;
  readonly components: StemedbComponents;
  readonly ingress: IngressConfig;
  readonly secrets: SecretsConfig;
  readonly backup: BackupConfig;
  readonly network: NetworkConfig;
  readonly monitoring: MonitoringConfig;
  /** How GitOps deploys the environment (Argo CD): repository, revision, sync switches. */
  readonly gitops: GitOpsSettings;
}
