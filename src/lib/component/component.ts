import type { Construct } from 'constructs';
import type { AlertDefinition, Dashboard, MetricDefinition, Runbook, SloDefinition } from '../../observability/index.ts';
import type { AppLabels } from '../labels.ts';
import type { Workload } from '../_workload-parts.ts';
import type { DeliveryPlan } from '../delivery/delivery-plan.ts';
import type { MeshCertificates } from './mesh-certificates.ts';

/*
 * A component declared once: everything a stack needs to know of it, in one object. The stack
 * derives every output from these declarations: the workload objects (its `build`), both sides of
 * every NetworkPolicy (routes, calls, scraping), the edge's routes and clusters, the monitors,
 * rules, promtool tests, runbooks and dashboards, its Helm chart and the model's settings of it.
 */

/** A port a component's pods listen on, by name in {@link ComponentDeclaration.ports}. */
export interface ComponentPort {
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
  /**
   * What speaks on it, for the edge's upstream cluster.
   * @default 'http'
   */
  readonly appProtocol?: 'http' | 'http2' | 'grpc' | 'tcp';
  /** An HTTP path answering health checks on this port. @default - none (gRPC checks use grpc.health.v1) */
  readonly healthPath?: string;
  /**
   * The port serves TLS with a mesh certificate, checked against the Service name, where the
   * environment turns mTLS on (`ComponentContext.mesh`): the edge reaches a gRPC port over mTLS
   * only, so a gRPC route there needs it. A {@link statelessComponent} mounts the certificate
   * and tells its container where (`<PORT>_TLS_CERT_FILE`, `_KEY_FILE`, `_CLIENT_CA_FILE`); a
   * component with its own build asks `ctx.mesh` for it. @default false
   */
  readonly meshTls?: boolean;
}

/** One route of the edge towards a component; Envoy takes the first route that matches. */
export interface ComponentRoute {
  /** Names the route in stats and access logs; unique within the stack. */
  readonly name: string;
  /** Exactly one of `prefix`, `path` and `regex` (RE2, anchored). */
  readonly prefix?: string;
  readonly path?: string;
  readonly regex?: string;
  /** The component's port the route leads to, by name. */
  readonly port: string;
  /** Upstream timeout such as `15s`; `0s` for none (streams, WebSockets). */
  readonly timeout: string;
  /** @default false */
  readonly websocket?: boolean;
  /** @default false */
  readonly rateLimited?: boolean;
  /** @default 0 */
  readonly retries?: number;
}

/** Another component this one calls, on one of its ports. */
export interface ComponentCall {
  /** The called component's name. */
  readonly component: string;
  /** Its port, by name. */
  readonly port: string;
  /**
   * The flow exists only while the called component does: its egress rule ships with the called
   * component, so this component's own policy is the same without it.
   * @default - true when the called component is optional (declares `enabled`), else false
   */
  readonly whileItRuns?: boolean;
}

/** Addresses outside the cluster this component calls: a CIDR set of the stack's model, by name. */
export interface CidrCall {
  /** Name of the CIDR set in the stack's model (e.g. `rpcEndpointCidrs`), or `internet`. */
  readonly cidrs: string;
  readonly ports: readonly { readonly port: number; readonly protocol?: 'TCP' | 'UDP' }[];
}

/** An alert about a component: its `service` label is the component, its runbook beside it. */
export interface ComponentAlert extends Omit<AlertDefinition, 'service' | 'runbook'> {
  /** The runbook the alert links to, written here (or the name of one the stack already has). */
  readonly runbook: Runbook | string;
}

/** The component's own dashboard. */
export interface ComponentDashboard {
  /** Builds the dashboard; `uid` and `title` are the stack's to choose (e.g. `shop-web`). */
  readonly build: (uid: string) => Dashboard;
  /** @default - `<stack>-<component>` */
  readonly uid?: string;
}

/** The component's Helm chart. */
export interface ComponentChart {
  /** Chart.yaml's description. */
  readonly description: string;
  /** What `helm test` calls through the chart's Service: a port by name and an HTTP path. */
  readonly smokeTest: { readonly port: string; readonly path: string };
}

/** A Secret the component reads, delivered by the stack's secrets provider (never in the output). */
export interface ComponentSecret {
  readonly name: string;
  /** Its keys, each needing a value in the provider. */
  readonly keys: readonly string[];
}

/** The shared switches every component honours. */
export interface ComponentFeatures {
  readonly autoscaling: boolean;
  readonly podDisruptionBudget: boolean;
  readonly serviceMonitor: boolean;
  /** Deliver new versions by Argo Rollouts, as planned here. @default - Deployments roll themselves */
  readonly delivery?: DeliveryPlan;
}

/** What `build` gets for one environment. */
export interface ComponentContext<S, M> {
  /** The chart the component renders into (its own file in dist/<env>/). */
  readonly scope: Construct;
  /** The component's settings in this environment's model. */
  readonly settings: S;
  /** The whole environment model, for what the component reads beyond its own settings. */
  readonly model: M;
  /** Standard labels with the component's name, role and version set. */
  readonly labels: AppLabels;
  readonly features: ComponentFeatures;
  /** For a component built after the others (`after: 'others'`): what they built, by name. */
  readonly others: ReadonlyMap<string, PlacedComponent>;
  /** Every component the stack declares, whether or not it runs in this environment. */
  readonly declared: readonly ComponentDeclaration<unknown, unknown>[];
  /** The mesh's certificates, where the environment turns mTLS on. @default - none: ports serve plaintext */
  readonly mesh?: MeshCertificates;
}

/** A declared component as built in one environment. */
export interface PlacedComponent {
  readonly declaration: ComponentDeclaration<unknown, unknown>;
  readonly built: BuiltComponent;
}

/** What `build` made: the pods the stack's policies, monitor and routes point at. */
export interface BuiltComponent {
  /** Every pod of the component. */
  readonly workload: Workload;
  /** The construct it built, for stack code that reads more of it (the stack knows its type). @default - none */
  readonly construct?: Construct;
  /** What in a request picks a shard: a query parameter (HTTP) and a header (gRPC, which has no query). @default - not sharded */
  readonly shardedBy?: { readonly queryParameter: string; readonly header: string };
  /**
   * Where the edge sends a route's requests, when the component is sharded (a Service per
   * language, say): the shards in order, the first answering requests that pick none.
   * @default - the workload's own Service, named after the component
   */
  readonly shards?: readonly ComponentShard[];
  /** Names of the ports its Service publishes (a metrics-only port is scraped per pod). @default - every port */
  readonly servicePorts?: readonly string[];
  /**
   * How its monitor is labelled and which of its Services it scrapes (see MetricsMonitorProps).
   * @default - no further labels; every Service of the workload
   */
  readonly monitor?: { readonly labels?: Readonly<Record<string, string>>; readonly serviceSelector?: Readonly<Record<string, string>> };
}

/** One shard of a sharded component: its Service, and what in a request picks it. */
export interface ComponentShard {
  /** The shard's Service (its pods' workload). */
  readonly workload: Workload;
  /** Value of the request attribute that picks it, e.g. `en`. */
  readonly key: string;
}

/**
 * A component of a stack, declared once in its own file (`src/stacks/<stack>/components/<name>.ts`,
 * default export). `S` is the shape of its settings in the model, `M` the stack's model.
 */
export interface ComponentDeclaration<S = unknown, M = unknown> {
  /** Name of the workload, its Service, chart, file and metrics owner: a DNS-1123 label. */
  readonly name: string;
  /** `app.kubernetes.io/component`, e.g. `frontend`. */
  readonly role: string;
  /**
   * JSON Schema of its settings (`components.<key>` in the model, `key` the camelCase of the
   * name), with `default`s for what environments need not state.
   */
  readonly settings: object;
  /** The ports its pods listen on, by name (a lower-case IANA service name). */
  readonly ports: Readonly<Record<string, ComponentPort>>;
  /** Whether it runs in this environment. @default - always */
  enabled?(model: M): boolean;
  /** Build it after every other component, whose builds its context lists (an edge routing to them). @default - in registry order */
  readonly after?: 'others';
  /** Makes its objects in `ctx.scope`. */
  build(ctx: ComponentContext<S, M>): BuiltComponent;
  /** Routes of the edge to it. @default - none */
  readonly routes?: readonly ComponentRoute[];
  /** Components and addresses it calls. @default - none */
  readonly calls?: readonly (ComponentCall | CidrCall)[];
  /** Addresses outside the cluster it admits: a CIDR set of the stack's model, on its ports by name. @default - none */
  readonly admits?: readonly { readonly cidrs: string; readonly ports: readonly string[] }[];
  /** Secrets it reads. @default - none */
  readonly secrets?: readonly ComponentSecret[];
  /** Its metrics: the port serving them, and the catalogue of what it exports. @default - none */
  readonly metrics?: {
    readonly port: string;
    /** @default '/metrics' */
    readonly path?: string;
    /** Scrape interval. @default - MetricsMonitor.DEFAULT_INTERVAL */
    readonly interval?: string;
    readonly catalogue: readonly Omit<MetricDefinition, 'owner'>[];
  };
  /** @default - none */
  readonly alerts?: readonly ComponentAlert[];
  /** @default - none */
  readonly slos?: readonly Omit<SloDefinition, 'service'>[];
  /** @default - none */
  readonly dashboard?: ComponentDashboard;
  /** Publish it as a Helm chart. @default - not published */
  readonly chart?: ComponentChart;
  /**
   * How it delivers a new version when the environment delivers by Argo Rollouts
   * (`features.delivery`): a canary (stateless components), or none (it rolls itself).
   * @default - a stateless component's is 'canary'; a component with its own build chooses in it
   */
  readonly delivery?: 'canary' | 'none';
}

/** Declares a component; the identity function, there for its types. */
export function defineComponent<S, M = unknown>(declaration: ComponentDeclaration<S, M>): ComponentDeclaration<S, M> {
  return declaration;
}

/** The model key of a component: the camelCase of its name (`pin-orchestrator` -> `pinOrchestrator`). */
export function settingsKey(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
