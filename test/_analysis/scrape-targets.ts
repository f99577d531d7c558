/*
 * What a Prometheus run by prometheus-operator scrapes in one environment's manifests, and the
 * values Kubernetes gives the labels of the exporters that describe those objects
 * (kube-state-metrics, the kubelet, Envoy's stats).
 *
 * Pods are the ones the workloads would run: a StatefulSet's `<name>-<ordinal>`, a Deployment's,
 * DaemonSet's or Rollout's `<name>-<template hash>-<suffix>`, as many as `spec.replicas`, the
 * floor of the HorizontalPodAutoscaler scaling the workload, or the replicas of the Argo Rollout
 * that runs its template (`workloadRef`). Names, hashes and pod IPs are derived from the object
 * names, so the same manifests always give the same targets.
 *
 * Targets follow prometheus-operator's generated scrape configuration: a PodMonitor endpoint
 * scrapes the named container port of every selected pod (`job` is `<namespace>/<monitor>`
 * unless `jobLabel` names a pod label), a ServiceMonitor endpoint the pods behind every selected
 * Service (`job` is the Service's name unless `jobLabel` names a Service label). Both add
 * `namespace`, `pod`, `container`, `endpoint` (the port's name) and `instance` (`<pod IP>:<port>`),
 * a ServiceMonitor also `service`. Monitors using what is not modelled here (relabelings,
 * `matchExpressions`, another namespace) make the functions throw instead of guessing.
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.PodMonitorSpec
 */
import { createHash } from 'node:crypto';
import { load } from 'js-yaml';
import { list, podSpecsOf, type Container, type KubeObject, type StringMap } from '../../src/analysis/kube-objects.ts';
import { durationSeconds } from './prometheus-duration.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = KubeObject & Record<string, any>;

/** A pod one of the environment's workloads runs. */
export interface EnvironmentPod {
  readonly name: string;
  readonly namespace: string;
  readonly labels: StringMap;
  readonly containers: readonly Container[];
  readonly ip: string;
}

/** One endpoint Prometheus scrapes. */
export interface ScrapeTarget {
  /** The labels prometheus-operator gives every series scraped from it. */
  readonly labels: StringMap;
  /** Seconds between two scrapes. */
  readonly interval: number;
  /** `app.kubernetes.io/name` of the scraped pod: the component whose catalogued metrics it serves. */
  readonly component: string;
  /** Whether the exporter's labels win over the target's (`honorLabels`). */
  readonly honorLabels: boolean;
  /** `Kind/name` of the monitor that makes Prometheus scrape it. */
  readonly monitor: string;
}

/** Rows of label values that belong together (a pod and one of its containers). */
export type LabelRelation = readonly StringMap[];

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

function matches(selector: StringMap, labels: StringMap): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function selectorOf(monitor: Obj): StringMap {
  const selector = monitor.spec?.selector ?? {};
  if (selector.matchExpressions?.length) throw new Error(`${monitor.kind}/${monitor.metadata?.name}: selector.matchExpressions is not modelled`);
  return selector.matchLabels ?? {};
}

/** How many pods a workload runs: its replicas, else its autoscaler's floor, else the Rollout's that runs it. */
function replicasOf(workload: Obj, objects: readonly Obj[]): number {
  if (workload.kind === 'DaemonSet') return 1;
  if (typeof workload.spec?.replicas === 'number') return workload.spec.replicas;
  const scaling = (target: Obj): Obj | undefined =>
    objects.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.spec?.scaleTargetRef?.kind === target.kind && o.spec?.scaleTargetRef?.name === target.metadata?.name);
  const hpa = scaling(workload);
  if (hpa) return hpa.spec.minReplicas ?? 1;
  const rollout = objects.find((o) => o.kind === 'Rollout' && o.spec?.workloadRef?.kind === workload.kind && o.spec?.workloadRef?.name === workload.metadata?.name);
  if (rollout) return typeof rollout.spec.replicas === 'number' ? rollout.spec.replicas : (scaling(rollout)?.spec.minReplicas ?? 1);
  return 1;
}

/** The pods of every Deployment, StatefulSet, DaemonSet and Rollout with its own template. */
export function environmentPods(objects: readonly KubeObject[]): EnvironmentPod[] {
  const all = objects as readonly Obj[];
  const pods: EnvironmentPod[] = [];
  for (const w of all) {
    if (!['Deployment', 'StatefulSet', 'DaemonSet', 'Rollout'].includes(w.kind ?? '')) continue;
    const [template] = podSpecsOf(w);
    if (!template) continue;
    const name = w.metadata!.name!;
    const namespace = w.metadata!.namespace!;
    const hash = digest(`${namespace}/${name}`).toString('hex').replace(/[0-9]/g, (d) => 'bcdfghjklm'[Number(d)]!).slice(0, 10);
    for (let i = 0; i < replicasOf(w, all); i++) {
      const podName = w.kind === 'StatefulSet' ? `${name}-${i}` : `${name}-${hash}-${hash.slice(i % 5, (i % 5) + 5)}`;
      const b = digest(`${namespace}/${podName}`);
      pods.push({ name: podName, namespace, labels: template.labels, containers: list(template.spec.containers), ip: `10.${b[0]! % 250}.${b[1]! % 250}.${(b[2]! % 250) + 2}` });
    }
  }
  return pods;
}

/** The container of `pod` declaring the port (by name or number), and its number. */
function containerPort(pod: EnvironmentPod, port: string | number): { container: string; port: number } | undefined {
  for (const c of pod.containers) {
    const p = list(c.ports).find((cp) => cp.name === port || cp.containerPort === port);
    if (p?.containerPort !== undefined) return { container: c.name!, port: p.containerPort };
  }
  return undefined;
}

function checkEndpoint(monitor: Obj, endpoint: Obj): void {
  const where = `${monitor.kind}/${monitor.metadata?.name}`;
  for (const field of ['relabelings', 'metricRelabelings']) if (endpoint[field]?.length) throw new Error(`${where}: ${field} are not modelled`);
  const ns = monitor.spec?.namespaceSelector;
  if (ns && (ns.any || (ns.matchNames ?? []).some((n: string) => n !== monitor.metadata?.namespace))) throw new Error(`${where}: namespaceSelector beyond its own namespace is not modelled`);
}

function copyLabels(names: readonly string[] | undefined, from: StringMap): Record<string, string> {
  return Object.fromEntries((names ?? []).filter((n) => from[n] !== undefined).map((n) => [n.replace(/[^a-zA-Z0-9_]/g, '_'), from[n]!]));
}

/** Every endpoint the environment's PodMonitors and ServiceMonitors make Prometheus scrape. */
export function scrapeTargets(objects: readonly KubeObject[], pods: readonly EnvironmentPod[]): ScrapeTarget[] {
  const all = objects as readonly Obj[];
  const targets: ScrapeTarget[] = [];
  for (const m of all.filter((o) => o.kind === 'PodMonitor')) {
    const namespace = m.metadata!.namespace!;
    const selected = pods.filter((p) => p.namespace === namespace && matches(selectorOf(m), p.labels));
    for (const e of m.spec.podMetricsEndpoints ?? []) {
      checkEndpoint(m, e);
      for (const pod of selected) {
        const cp = containerPort(pod, e.port ?? e.targetPort);
        if (!cp) continue;
        const job = m.spec.jobLabel && pod.labels[m.spec.jobLabel] ? pod.labels[m.spec.jobLabel]! : `${namespace}/${m.metadata!.name}`;
        targets.push({
          labels: { ...copyLabels(m.spec.podTargetLabels, pod.labels), namespace, pod: pod.name, container: cp.container, endpoint: String(e.port ?? e.targetPort), job, instance: `${pod.ip}:${cp.port}` },
          interval: durationSeconds(e.interval ?? '30s'),
          component: pod.labels['app.kubernetes.io/name'] ?? '',
          honorLabels: e.honorLabels === true,
          monitor: `PodMonitor/${m.metadata!.name}`,
        });
      }
    }
  }
  for (const m of all.filter((o) => o.kind === 'ServiceMonitor')) {
    const namespace = m.metadata!.namespace!;
    const services = all.filter((s) => s.kind === 'Service' && s.metadata?.namespace === namespace && matches(selectorOf(m), s.metadata?.labels ?? {}));
    for (const e of m.spec.endpoints ?? []) {
      checkEndpoint(m, e);
      for (const svc of services) {
        const sp = (svc.spec.ports ?? []).find((p: Obj) => (e.port !== undefined ? p.name === e.port : p.targetPort === e.targetPort || p.port === e.targetPort));
        if (!sp) continue;
        const backends = pods.filter((p) => p.namespace === namespace && svc.spec.selector && matches(svc.spec.selector, p.labels));
        for (const pod of backends) {
          const cp = containerPort(pod, sp.targetPort ?? sp.port);
          if (!cp) continue;
          const svcLabels: StringMap = svc.metadata!.labels ?? {};
          const svcName = svc.metadata!.name!;
          const job = m.spec.jobLabel && svcLabels[m.spec.jobLabel] ? svcLabels[m.spec.jobLabel]! : svcName;
          targets.push({
            labels: {
              ...copyLabels(m.spec.targetLabels, svcLabels),
              ...copyLabels(m.spec.podTargetLabels, pod.labels),
              namespace,
              service: svcName,
              pod: pod.name,
              container: cp.container,
              endpoint: String(e.port ?? e.targetPort),
              job,
              instance: `${pod.ip}:${cp.port}`,
            },
            interval: durationSeconds(e.interval ?? '30s'),
            component: pod.labels['app.kubernetes.io/name'] ?? '',
            honorLabels: e.honorLabels === true,
            monitor: `ServiceMonitor/${m.metadata!.name}`,
          });
        }
      }
    }
  }
  return targets;
}

/**
 * One line per pod port scraped more than once (naming every monitor, and the Service it goes
 * through), and per monitor that reaches no pod: empty when every monitored pod is scraped exactly
 * once. A port scraped twice doubles every sum over it.
 */
export function scrapeProblems(objects: readonly KubeObject[]): string[] {
  const targets = scrapeTargets(objects, environmentPods(objects));
  const problems: string[] = [];
  const byPort = new Map<string, ScrapeTarget[]>();
  for (const t of targets) {
    const port = `${t.labels['namespace']}/${t.labels['pod']}:${t.labels['instance']!.split(':')[1]}`;
    byPort.set(port, [...(byPort.get(port) ?? []), t]);
  }
  for (const [port, ts] of byPort) {
    if (ts.length > 1) problems.push(`${port} is scraped ${ts.length} times: ${ts.map((t) => (t.labels['service'] ? `${t.monitor} via Service/${t.labels['service']}` : t.monitor)).join(', ')}`);
  }
  for (const m of objects.filter((o) => o.kind === 'ServiceMonitor' || o.kind === 'PodMonitor')) {
    const id = `${m.kind}/${m.metadata?.name}`;
    if (!targets.some((t) => t.monitor === id && t.labels['namespace'] === m.metadata?.namespace)) problems.push(`${m.metadata?.namespace}/${id} scrapes no pod`);
  }
  return problems;
}

/** The HTTP connection managers' stat prefixes and the clusters of every Envoy bootstrap a ConfigMap carries. */
function envoyNames(objects: readonly Obj[]): { clusters: string[]; prefixes: string[] } {
  const clusters: string[] = [];
  const prefixes: string[] = [];
  for (const cm of objects.filter((o) => o.kind === 'ConfigMap')) {
    for (const text of Object.values<string>(cm.data ?? {})) {
      if (!text.includes('static_resources')) continue;
      const bootstrap = load(text) as Obj | undefined;
      for (const c of bootstrap?.static_resources?.clusters ?? []) clusters.push(c.name);
      for (const l of bootstrap?.static_resources?.listeners ?? []) {
        for (const fc of l.filter_chains ?? []) for (const f of fc.filters ?? []) if (f.typed_config?.stat_prefix) prefixes.push(f.typed_config.stat_prefix);
      }
    }
  }
  return { clusters, prefixes };
}

const unique = (rows: StringMap[]): StringMap[] => [...new Map(rows.map((r) => [JSON.stringify(Object.entries(r).sort()), r])).values()];

/**
 * The values the environment's objects give exporter labels, by label: the namespace, each pod
 * with each of its containers (`pod`, `container`), the names of PersistentVolumeClaims (those of
 * StatefulSets' claim templates included), CronJobs, Services, Deployments and StatefulSets
 * (kube-state-metrics and kubelet conventions), and Envoy's cluster names and connection
 * manager prefixes (its stats' tags).
 */
export function objectLabelRelations(objects: readonly KubeObject[], pods: readonly EnvironmentPod[]): Map<string, LabelRelation> {
  const all = objects as readonly Obj[];
  const named = (kind: string): string[] => all.filter((o) => o.kind === kind).map((o) => o.metadata!.name!);
  const namespaces = [...new Set(all.map((o) => o.metadata?.namespace).filter((n): n is string => !!n))];
  const claims = [
    ...named('PersistentVolumeClaim'),
    ...all
      .filter((o) => o.kind === 'StatefulSet')
      .flatMap((s) => {
        const name = s.metadata!.name!;
        const own = pods.filter((p) => p.name.startsWith(`${name}-`) && /^\d+$/.test(p.name.slice(name.length + 1)));
        return (s.spec.volumeClaimTemplates ?? []).flatMap((t: Obj) => own.map((p) => `${t.metadata!.name}-${p.name}`));
      }),
  ];
  const envoy = envoyNames(all);
  const relations = new Map<string, LabelRelation>();
  const single = (label: string, values: readonly string[]): void => {
    if (values.length > 0) relations.set(label, unique(values.map((v) => ({ [label]: v }))));
  };
  single('namespace', namespaces);
  relations.set('pod,container', unique(pods.flatMap((p) => p.containers.map((c) => ({ pod: p.name, container: c.name! })))));
  single('persistentvolumeclaim', claims);
  single('cronjob', named('CronJob'));
  single('service', named('Service'));
  single('deployment', named('Deployment'));
  single('statefulset', named('StatefulSet'));
  single('envoy_cluster_name', envoy.clusters);
  single('envoy_http_conn_manager_prefix', envoy.prefixes);
  return relations;
}
