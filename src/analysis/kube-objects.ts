/*
 * The slice of the Kubernetes object model that the analysers in this folder read, and the one
 * place that knows where each workload kind keeps its pod template.
 *
 * Manifests arrive as plain data (js-yaml `loadAll`, or `Chart.toJson()`), so nothing here is
 * validated against a schema: the interfaces describe the fields as the API defines them, and the
 * analysers compare values against allowed lists instead of trusting the types, which means a
 * mistyped value (`privileged: "false"`) is reported rather than silently accepted.
 */
import { loadAll } from 'js-yaml';
import { isMap } from '../lib/values/index.ts';

/** Label or annotation map. */
export type StringMap = Readonly<Record<string, string>>;

/** The metadata fields the analysers read. */
export interface ObjectMeta {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: StringMap;
  readonly annotations?: StringMap;
}

/**
 * Any Kubernetes object as parsed from a manifest. Only the identity fields are typed; the rest
 * is `unknown` and read through the typed views below.
 */
export interface KubeObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: ObjectMeta;
  readonly [field: string]: unknown;
}

/** @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#security-context-1 */
export interface SecurityContext {
  readonly privileged?: unknown;
  readonly allowPrivilegeEscalation?: unknown;
  readonly runAsNonRoot?: unknown;
  readonly runAsUser?: unknown;
  readonly procMount?: unknown;
  readonly capabilities?: { readonly add?: readonly unknown[]; readonly drop?: readonly unknown[] };
  readonly seccompProfile?: { readonly type?: unknown };
  readonly appArmorProfile?: { readonly type?: unknown };
  readonly seLinuxOptions?: { readonly type?: unknown; readonly user?: unknown; readonly role?: unknown };
  readonly windowsOptions?: { readonly hostProcess?: unknown };
}

/** @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#security-context */
export interface PodSecurityContext extends SecurityContext {
  readonly sysctls?: readonly { readonly name?: unknown; readonly value?: unknown }[];
}

/** A container's declared port. `protocol` defaults to TCP in the API. */
export interface ContainerPort {
  readonly name?: string;
  readonly containerPort?: number;
  readonly hostPort?: unknown;
  readonly protocol?: string;
}

/** The part of a probe or lifecycle handler that can point the kubelet at another host. */
export interface HostHandler {
  readonly httpGet?: { readonly host?: unknown };
  readonly tcpSocket?: { readonly host?: unknown };
}

/** A container, init container or ephemeral container. */
export interface Container {
  readonly name?: string;
  readonly ports?: readonly ContainerPort[];
  readonly securityContext?: SecurityContext;
  readonly livenessProbe?: HostHandler;
  readonly readinessProbe?: HostHandler;
  readonly startupProbe?: HostHandler;
  readonly lifecycle?: { readonly postStart?: HostHandler; readonly preStop?: HostHandler };
}

/** A pod volume: a name plus exactly one source field (`configMap`, `hostPath`, ...). */
export interface Volume {
  readonly name?: string;
  readonly [source: string]: unknown;
}

/** @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#PodSpec */
export interface PodSpec {
  readonly containers?: readonly Container[];
  readonly initContainers?: readonly Container[];
  readonly ephemeralContainers?: readonly Container[];
  readonly volumes?: readonly Volume[];
  readonly securityContext?: PodSecurityContext;
  readonly hostNetwork?: unknown;
  readonly hostPID?: unknown;
  readonly hostIPC?: unknown;
  readonly os?: { readonly name?: unknown };
}

/** One pod template found in an object, with the paths needed to name its fields in reports. */
export interface PodTemplate {
  /** Dotted path of the pod spec inside the object, e.g. `spec.template.spec`. */
  readonly path: string;
  readonly spec: PodSpec;
  /** Labels the pods will carry (template labels; a Pod's own labels). */
  readonly labels: StringMap;
  readonly annotations: StringMap;
  /** Dotted path of the annotations map, e.g. `spec.template.metadata.annotations`. */
  readonly annotationsPath: string;
}

/**
 * Where each pod-creating kind keeps its template, keyed by `group/Kind` (core group is empty).
 * The API group is part of the key so that a CRD reusing a well-known kind name is not mistaken
 * for a workload.
 */
const TEMPLATE_PATHS: Readonly<Record<string, readonly string[]>> = {
  '/Pod': [],
  '/ReplicationController': ['spec', 'template'],
  'apps/Deployment': ['spec', 'template'],
  'apps/StatefulSet': ['spec', 'template'],
  'apps/DaemonSet': ['spec', 'template'],
  'apps/ReplicaSet': ['spec', 'template'],
  'batch/Job': ['spec', 'template'],
  'batch/CronJob': ['spec', 'jobTemplate', 'spec', 'template'],
  'argoproj.io/Rollout': ['spec', 'template'],
};

/** The API group of an `apiVersion` (`apps/v1` -> `apps`, `v1` -> ``). */
export function groupOf(apiVersion: string | undefined): string {
  const slash = (apiVersion ?? '').indexOf('/');
  return slash < 0 ? '' : (apiVersion ?? '').slice(0, slash);
}

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: string;
  readonly values?: readonly string[];
}

/** @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#resources-that-support-set-based-requirements */
export interface LabelSelector {
  readonly matchLabels?: StringMap;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

/** Whether `labels` satisfy a label selector: every matchLabels pair and every matchExpressions requirement. */
export function matchesSelector(selector: LabelSelector, labels: StringMap): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const req of list(selector.matchExpressions)) {
    const has = Object.prototype.hasOwnProperty.call(labels, req.key);
    const inValues = has && list(req.values).includes(labels[req.key]!);
    switch (req.operator) {
      case 'In': if (!inValues) return false; break;
      case 'NotIn': if (inValues) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: throw new Error(`unknown label selector operator ${JSON.stringify(req.operator)} for key ${req.key}`);
    }
  }
  return true;
}

/** The maps of `value` when it is an array (other items left out), otherwise none: for fields of objects not yet known to be well-formed. */
export function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isMap) : [];
}

/** The field of `value` at `keys`, undefined where a step is not a map. */
export function fieldAt(value: unknown, ...keys: string[]): unknown {
  return keys.reduce<unknown>((v, k) => (isMap(v) ? v[k] : undefined), value);
}

/** `value` when it is an array, otherwise an empty one, so malformed input never throws. */
export function list<T>(value: readonly T[] | undefined): readonly T[] {
  return Array.isArray(value) ? value : [];
}

/** `Kind/name`, the way reports name an object. */
export function objectId(obj: KubeObject): string {
  return `${obj.kind ?? '?'}/${obj.metadata?.name ?? '?'}`;
}

/**
 * The pod templates of a workload object: Pod, ReplicationController, Deployment, StatefulSet,
 * DaemonSet, ReplicaSet, Job, CronJob and Argo Rollout. Other objects, and a Rollout that uses
 * `workloadRef` instead of an inline template, yield none.
 */
export function podSpecsOf(obj: KubeObject): PodTemplate[] {
  const segments = TEMPLATE_PATHS[`${groupOf(obj.apiVersion)}/${obj.kind ?? ''}`];
  if (!segments) return [];
  let template: unknown = obj;
  for (const segment of segments) template = isMap(template) ? template[segment] : undefined;
  if (!isMap(template) || !isMap(template['spec'])) return [];
  const metadata = isMap(template['metadata']) ? (template['metadata'] as ObjectMeta) : {};
  const prefix = segments.length === 0 ? '' : `${segments.join('.')}.`;
  return [
    {
      path: `${prefix}spec`,
      spec: template['spec'] as PodSpec,
      labels: isMap(metadata.labels) ? metadata.labels : {},
      annotations: isMap(metadata.annotations) ? metadata.annotations : {},
      annotationsPath: `${prefix}metadata.annotations`,
    },
  ];
}

/**
 * Parses a multi-document YAML manifest into objects, skipping empty documents, so tests can
 * write fixtures the way the synthesized files look.
 */
export function loadManifests(yaml: string): KubeObject[] {
  return loadAll(yaml).filter(isMap) as KubeObject[];
}
