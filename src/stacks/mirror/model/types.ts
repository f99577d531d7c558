import type { GitOpsSettings, ImageSpec, ResourcesSpec } from '../../../lib/index.ts';

/** One mirror domain: a host name of its own, its downstream credentials and its request budgets. */
export interface MirrorDomain {
  /** Short name, e.g. `primary`: names the domain's rate-limit zones and its htpasswd file. */
  readonly id: string;
  /** The host name the CDN fetches from, e.g. `mirror-primary.stella-ops.org`. */
  readonly host: string;
  /** Index requests (index.json, `<domain>/index`) a downstream credential may make per hour. */
  readonly maxIndexRequestsPerHour: number;
  /** Bundle and manifest downloads a downstream credential may make per hour (the seed's MAXDOWNLOADREQUESTSPERHOUR). */
  readonly maxDownloadRequestsPerHour: number;
}

/** A tree of signed bundles the sync job copies from the object store and the gateway serves. */
export interface ExportTree {
  /** Names the tree's volume (`<instance>-<name>-exports`) and its folder under /exports. */
  readonly name: string;
  /** Where the export jobs publish it, e.g. `s3://mirror-stellaops/concelier/latest`. */
  readonly source: string;
  /** URL prefix the gateway serves it under, e.g. `/concelier/exports/`. */
  readonly urlPrefix: string;
  /** Regex (nginx PCRE, anchored) of the tree's index documents, cached for the short TTL. */
  readonly indexPattern: string;
  /** Capacity of its volume, e.g. `20Gi`. */
  readonly size: string;
}

/**
 * The components' settings, by the camelCase of each component's name. The gateway's and the sync
 * job's are typed here, as the stack's own code reads them; any other declared component's
 * settings (`src/stacks/mirror/components/<name>.ts`) are checked by its declaration's schema.
 */
export interface MirrorComponents {
  readonly [component: string]: object;
  readonly mirrorGateway: GatewaySettings;
  readonly mirrorSync: SyncSettings;
}

/** Settings of the gateway component (components.mirrorGateway). */
export interface GatewaySettings {
  readonly image: ImageSpec;
  readonly replicas: number;
  readonly resources: ResourcesSpec;
  /** The nginx Prometheus exporter sidecar. */
  readonly exporter: { readonly image: ImageSpec; readonly resources: ResourcesSpec };
}

/** Settings of the sync job (components.mirrorSync). */
export interface SyncSettings {
  /** `repository@sha256:<digest>` (a tag may stand before the digest): the job runs exactly this image. */
  readonly image: string;
  readonly resources: ResourcesSpec;
}

/** One environment of the mirror. */
export interface MirrorConfig {
  readonly name: string;
  readonly namespace: string;
  /** The release: `app.kubernetes.io/instance`, and the prefix of every object name. */
  readonly instance: string;
  readonly features: {
    readonly networkPolicy: boolean;
    readonly serviceMonitor: boolean;
    readonly podDisruptionBudget: boolean;
  };
  readonly domains: readonly MirrorDomain[];
  readonly exports: readonly ExportTree[];
  readonly cdn: {
    /** Cache-Control max-age of index documents. */
    readonly indexMaxAgeSeconds: number;
    /** Cache-Control max-age of bundles and manifests (immutable). */
    readonly payloadMaxAgeSeconds: number;
  };
  readonly sync: {
    /** The job runs every this many minutes. */
    readonly everyMinutes: number;
    /** The freshness alert fires when the last successful sync is older than this. */
    readonly maxLagMinutes: number;
    /** Region of the object store, for the AWS CLI. */
    readonly region: string;
  };
  readonly storage: { readonly storageClassName: string };
  readonly network: {
    /** The CDN's origin-pull ranges: the only clients of the gateway. */
    readonly cdnCidrs: readonly string[];
    /** The object store's ranges: the only destination of the sync job. */
    readonly upstreamCidrs: readonly string[];
    readonly monitoringNamespace: string;
  };
  readonly secrets: {
    /** ClusterSecretStore the ExternalSecrets read from. */
    readonly store: string;
    /** Path of the mirror's secrets in the store: `<prefix>/<secret>`. */
    readonly remoteKeyPrefix: string;
  };
  readonly components: MirrorComponents;
  /** How GitOps deploys the environment (Argo CD): repository, revision, sync switches. */
  readonly gitops: GitOpsSettings;
}
