/**
 * The typed model of one Crumpet environment. Every output (manifests, charts, ops files) is
 * derived from one value of this type; `schema.ts` describes the same shape for ajv, and the
 * compiler checks that the two agree.
 */

/** An OCI image reference split into its parts. */
export interface ImageConfig {
  /** Registry and path, e.g. `ghcr.io/crumpet/cin-node`. */
  readonly repository: string;
  /** Release tag, e.g. `v0.1.0`. */
  readonly tag: string;
  /**
   * Content digest (`sha256:` and 64 hex digits). When present the image is pulled by digest.
   * @default - pulled by tag; refused when the environment sets `pinDigests`
   */
  readonly digest?: string;
}

/** CPU and memory for one container, as Kubernetes quantities. */
export interface ResourceConfig {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu?: string; readonly memory: string };
}

/** Image, replica count and resources of one stateless workload. */
export interface WorkloadConfig {
  readonly image: ImageConfig;
  /** Replicas when autoscaling is off; the autoscaler's floor when it is on. */
  readonly replicas: number;
  readonly resources: ResourceConfig;
}

/** One language index served by its own CIN node StatefulSet. */
export interface CinLanguageConfig {
  /** ISO 639-1 code, e.g. `en`; unique within the environment. */
  readonly code: string;
  readonly replicas: number;
  /** Size of each replica's index volume, e.g. `50Gi` (spec: 20-50 GB). */
  readonly storage: string;
}

export interface CinNodeConfig extends Omit<WorkloadConfig, 'replicas'> {
  /** One StatefulSet per language, so high-traffic languages scale and fail on their own. */
  readonly languages: readonly CinLanguageConfig[];
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
}

export interface ComponentsConfig {
  readonly cinNode: CinNodeConfig;
  readonly pinOrchestrator: WorkloadConfig;
  readonly watcher: WorkloadConfig;
  readonly web: WorkloadConfig;
  readonly envoyEdge: WorkloadConfig;
  readonly kubo: KuboConfig;
}

export interface PlatformConfig {
  /** Environment name; equals the file name under `src/config/environments/`. */
  readonly name: string;
  /** Namespace every workload of the environment runs in. */
  readonly namespace: string;
  /** Value of `app.kubernetes.io/instance` on every object. */
  readonly instance: string;
  /** Refuse any image that is not pinned by digest (supply-chain rule, spec section 11). */
  readonly pinDigests: boolean;
  /** Public host names served by the edge. */
  readonly hostnames: readonly string[];
  readonly storage: {
    /** StorageClass of every PersistentVolumeClaim. */
    readonly storageClassName: string;
  };
  readonly features: FeatureToggles;
  readonly components: ComponentsConfig;
}
