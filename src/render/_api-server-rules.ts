import { fieldAt as at, podSpecsOf, records as list, type KubeObject } from '../analysis/kube-objects.ts';
import { isMap, resourceRequirementProblems } from '../lib/values/index.ts';

/*
 * What the API server refuses (or the kubelet cannot run) beyond the OpenAPI schema the objects
 * are checked against: rules its validation code enforces across fields (Kubernetes
 * pkg/apis/core/validation and apps/validation), so that `kubectl apply -f dist/<env>` cannot fail
 * on an object synth wrote, whichever component or stack made it:
 *
 * - label keys and values of the object, its pod template and every label selector in it (a
 *   workload's, a Service's, a NetworkPolicy's peers, a monitor's) are label syntax;
 * - a workload's selector matches its pod template's labels;
 * - a pod's container names are unique, its volume names too, and each volume mount names one
 *   (or a StatefulSet's claim template);
 * - a container's port names are IANA service names, unique in the container; a probe that
 *   names a port names one of its container's (else the kubelet fails the probe forever);
 * - a container's limit is at least its request of the same resource;
 * - a Service with several ports names each, once, and no port and protocol repeats;
 * - an autoscaler's minReplicas is at most its maxReplicas;
 * - a ConfigMap's or Secret's data holds at most 1 MiB (keys and values; a Secret's decoded).
 */

type Obj = Readonly<Record<string, unknown>>;

/** A label value: at most 63 characters, alphanumeric at both ends, `-`, `_` and `.` between. */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** What a label value may be, as messages say it. */
const LABEL_VALUE_RULE = '(at most 63 characters, alphanumeric at both ends, "-", "_" and "." between)';
const isLabelValue = (value: string): boolean => value.length <= 63 && LABEL_VALUE.test(value);
/** A label key's prefix: a DNS-1123 subdomain of at most 253 characters. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A port name: an IANA service name (at most 15 characters, a letter at least, no `--`). */
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const [prefix, name] = slash < 0 ? [undefined, key] : [key.slice(0, slash), key.slice(slash + 1)];
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return `label key ${JSON.stringify(key)}: its prefix must be a DNS subdomain (lower case) of at most 253 characters`;
  if (name.length === 0 || name.length > 63 || !LABEL_VALUE.test(name)) return `label key ${JSON.stringify(key)}: its name must be 1 to 63 characters, alphanumeric at both ends, "-", "_" and "." between`;
  return undefined;
}

function labelProblems(labels: unknown, path: string): string[] {
  if (!isMap(labels)) return [];
  return Object.entries(labels).flatMap(([key, value]) => {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) return [`${path}: ${keyProblem}`];
    if (typeof value === 'string' && !isLabelValue(value)) return [`${path}.${key}: must be a label value ${LABEL_VALUE_RULE}, got ${JSON.stringify(value)}`];
    return [];
  });
}

/**
 * The label syntax problems of every label selector in `value` (at `path`): each `matchLabels`,
 * each key and value of `matchExpressions`, wherever they sit (a workload's selector, a
 * NetworkPolicy's peers, a ServiceMonitor's selector, a pod's affinity and spread constraints).
 */
function selectorProblems(value: unknown, path: string): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => selectorProblems(v, `${path}[${i}]`));
  if (!isMap(value)) return [];
  return Object.entries(value).flatMap(([key, v]) => {
    const at = `${path}.${key}`;
    if (key === 'matchLabels') return labelProblems(v, at);
    if (key === 'matchExpressions' && Array.isArray(v)) {
      return v.flatMap((e: unknown, i) => {
        if (!isMap(e)) return [];
        const keyProblem = typeof e['key'] === 'string' ? labelKeyProblem(e['key']) : undefined;
        const values = Array.isArray(e['values']) ? e['values'].filter((x): x is string => typeof x === 'string') : [];
        const bad = values.filter((x) => !isLabelValue(x));
        return [
          ...(keyProblem ? [`${at}[${i}].key: ${keyProblem}`] : []),
          ...bad.map((x) => `${at}[${i}].values: must be label values ${LABEL_VALUE_RULE}, got ${JSON.stringify(x)}`),
        ];
      });
    }
    return selectorProblems(v, at);
  });
}

function portNameProblem(name: string): string | undefined {
  if (name.length > 15) return `must be an IANA service name of at most 15 characters, got ${JSON.stringify(name)}`;
  if (!IANA_SVC_NAME.test(name) || name.includes('--') || !/[a-z]/.test(name)) {
    return `must be an IANA service name (lower-case letters, digits and single "-", a letter at least), got ${JSON.stringify(name)}`;
  }
  return undefined;
}

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;

/** The index of each key's first item (an item without a string key is left out), calling `repeated` for each later one. */
function firstIndexes(items: readonly Obj[], key: (item: Obj) => unknown, repeated: (i: number, first: number, key: string) => void): Map<string, number> {
  const first = new Map<string, number>();
  items.forEach((item, i) => {
    const k = key(item);
    if (typeof k !== 'string') return;
    const at = first.get(k);
    if (at === undefined) first.set(k, i);
    else repeated(i, at, k);
  });
  return first;
}

function containerProblems(container: Obj, path: string): string[] {
  const problems: string[] = [];
  const ports = list(container['ports']);
  ports.forEach((port, i) => {
    const problem = typeof port['name'] === 'string' ? portNameProblem(port['name']) : undefined;
    if (problem) problems.push(`${path}.ports[${i}].name: ${problem}`);
  });
  const names = firstIndexes(ports, (p) => p['name'], (i, first, name) => problems.push(`${path}.ports[${i}].name: duplicate port name ${JSON.stringify(name)} (already at ports[${first}])`));
  for (const probe of PROBES) {
    for (const handler of ['httpGet', 'tcpSocket'] as const) {
      const port = at(container, probe, handler, 'port');
      if (typeof port === 'string' && !names.has(port)) {
        problems.push(`${path}.${probe}.${handler}.port: names no port of the container (${[...names.keys()].join(', ') || 'it has no named port'}), got ${JSON.stringify(port)}`);
      }
    }
  }
  for (const p of resourceRequirementProblems(container['resources'])) problems.push(`${path}.resources.${p.path.join('.')}: ${p.message}`);
  return problems;
}

/** The problems of a pod spec at `path`; `claims` are the volumes a StatefulSet adds from its claim templates. */
function podSpecProblems(spec: unknown, path: string, claims: readonly string[]): string[] {
  if (!isMap(spec)) return [];
  const problems: string[] = [];
  const volumes = firstIndexes(list(spec['volumes']), (v) => v['name'], (i, first, name) => problems.push(`${path}.volumes[${i}].name: duplicate volume name ${JSON.stringify(name)} (already at volumes[${first}])`));
  const containers = new Map<string, string>();
  for (const group of ['initContainers', 'containers'] as const) {
    list(spec[group]).forEach((c, i) => {
      const where = `${path}.${group}[${i}]`;
      const name = c['name'];
      if (typeof name === 'string') {
        const first = containers.get(name);
        if (first !== undefined) problems.push(`${where}.name: duplicate container name ${JSON.stringify(name)} (already at ${first})`);
        else containers.set(name, where);
      }
      const mounts = list(c['volumeMounts']);
      mounts.forEach((m, k) => {
        if (typeof m['name'] === 'string' && !volumes.has(m['name']) && !claims.includes(m['name'])) problems.push(`${where}.volumeMounts[${k}].name: names no volume of the pod, got ${JSON.stringify(m['name'])}`);
      });
      firstIndexes(mounts, (m) => m['mountPath'], (k, first, mountPath) => problems.push(`${where}.volumeMounts[${k}].mountPath: ${JSON.stringify(mountPath)} is mounted twice (already at volumeMounts[${first}])`));
      problems.push(...containerProblems(c, where));
    });
  }
  return problems;
}

/** Kinds whose `spec.selector` must select their own pod template. */
const SELECTING = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Rollout']);

function serviceProblems(spec: unknown): string[] {
  const ports = list(at(spec, 'ports'));
  const problems: string[] = [];
  ports.forEach((p, i) => {
    if ((typeof p['name'] !== 'string' || p['name'] === '') && ports.length > 1) problems.push(`spec.ports[${i}].name: is required when a Service has several ports`);
  });
  firstIndexes(ports, (p) => (p['name'] === '' ? undefined : p['name']), (i, first, name) => problems.push(`spec.ports[${i}].name: duplicate port name ${JSON.stringify(name)} (already at spec.ports[${first}])`));
  const portAndProtocol = (p: Obj): string => `${String(p['port'])}/${typeof p['protocol'] === 'string' ? p['protocol'] : 'TCP'}`;
  firstIndexes(ports, portAndProtocol, (i, first, key) => problems.push(`spec.ports[${i}].port: ${key} is already spec.ports[${first}]`));
  return problems;
}

/** The most a ConfigMap's or a Secret's data may hold, keys and values together. */
const MAX_DATA_BYTES = 1024 * 1024;

/** The bytes of a ConfigMap's or Secret's data as the API server counts them: keys and values, a Secret's `data` base64-decoded. */
function dataBytes(obj: Obj): number {
  const maps: [string, (v: string) => number][] =
    obj['kind'] === 'Secret'
      ? [['data', (v) => Buffer.from(v, 'base64').length], ['stringData', (v) => Buffer.byteLength(v)]]
      : [['data', (v) => Buffer.byteLength(v)], ['binaryData', (v) => Buffer.from(v, 'base64').length]];
  return maps.reduce((n, [field, size]) => {
    const map = obj[field];
    return isMap(map) ? Object.entries(map).reduce((m, [k, v]) => m + Buffer.byteLength(k) + (typeof v === 'string' ? size(v) : 0), n) : n;
  }, 0);
}

/** The problems of `obj` the API server or the kubelet would have, each `<field path>: <message>`. */
export function apiServerProblems(obj: KubeObject): string[] {
  const kind = obj.kind ?? '';
  const problems = labelProblems(obj.metadata?.labels, 'metadata.labels');
  // A ConfigMap's or Secret's data holds no selector: its text is not walked.
  if (kind !== 'ConfigMap' && kind !== 'Secret') problems.push(...selectorProblems(obj['spec'], 'spec'));
  const claims = list(at(obj, 'spec', 'volumeClaimTemplates')).flatMap((c) => {
    const name = at(c, 'metadata', 'name');
    return typeof name === 'string' ? [name] : [];
  });
  for (const template of podSpecsOf(obj)) {
    // A Pod's labels are its own, checked above; a template's are at `<template>.metadata.labels`.
    const labelsPath = template.path === 'spec' ? undefined : template.path.replace(/spec$/, 'metadata.labels');
    if (labelsPath !== undefined) problems.push(...labelProblems(template.labels, labelsPath));
    problems.push(...podSpecProblems(template.spec, template.path, claims));
    if (!SELECTING.has(kind) || labelsPath === undefined) continue;
    const selector = at(obj, 'spec', 'selector', 'matchLabels');
    const missing = isMap(selector) ? Object.entries(selector).filter(([k, v]) => template.labels[k] !== v) : [];
    if (missing.length > 0) problems.push(`${labelsPath}: the selector does not match the template's labels (${missing.map(([k, v]) => `${k}=${String(v)}`).join(', ')})`);
  }
  if (kind === 'Service') problems.push(...labelProblems(at(obj, 'spec', 'selector'), 'spec.selector'), ...serviceProblems(obj['spec']));
  if (kind === 'ConfigMap' || kind === 'Secret') {
    const bytes = dataBytes(obj);
    if (bytes > MAX_DATA_BYTES) problems.push(`data: holds ${bytes} bytes, over the ${MAX_DATA_BYTES} the API server admits in one ${kind}`);
  }
  if (kind === 'HorizontalPodAutoscaler') {
    const [min, max] = [at(obj, 'spec', 'minReplicas'), at(obj, 'spec', 'maxReplicas')];
    if (typeof min === 'number' && typeof max === 'number' && min > max) problems.push(`spec.maxReplicas: must be at least spec.minReplicas (${min}), got ${max}`);
  }
  return problems;
}
