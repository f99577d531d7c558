import { list, objectId, podSpecsOf, type KubeObject, type StringMap } from '../../src/analysis/kube-objects.ts';

/*
 * What prometheus-operator scrapes from a set of objects: each ServiceMonitor endpoint becomes
 * one target per (Service it selects with a port of the endpoint's name, pod that Service
 * selects with the container port the Service port targets); each PodMonitor endpoint one target
 * per (pod it selects, container port of the endpoint's name). Pods are the workloads' pod
 * templates. A pod port scraped twice doubles every sum over it.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

/** One scrape target: the monitor and endpoint that make it, the pod template and its port. */
export interface ScrapeTarget {
  readonly monitor: string;
  /** The Service a ServiceMonitor reaches the pod through. @default - a PodMonitor's target */
  readonly service?: string;
  readonly pod: string;
  readonly port: number;
}

function selects(selector: Obj | undefined, labels: StringMap): boolean {
  if (!selector) return false;
  if (list(selector['matchExpressions']).length > 0) throw new Error('matchExpressions are not analysed');
  return Object.entries((selector['matchLabels'] ?? selector) as StringMap).every(([k, v]) => labels[k] === v);
}

interface Pod {
  readonly id: string;
  readonly namespace: string;
  readonly labels: StringMap;
  readonly ports: readonly { readonly name?: string; readonly containerPort: number }[];
}

function pods(objects: readonly KubeObject[]): Pod[] {
  return objects.flatMap((o) =>
    podSpecsOf(o).map((t) => ({
      id: `${o.metadata?.namespace ?? ''}/${objectId(o)}`,
      namespace: o.metadata?.namespace ?? '',
      labels: t.labels,
      ports: list(t.spec.containers as Obj[] | undefined).flatMap((c) => list(c['ports'] as Pod['ports'] | undefined)),
    })),
  );
}

/** Every target the monitors among `objects` make; a monitor's namespace is its own unless `namespaceSelector` says otherwise. */
export function scrapeTargets(objects: readonly KubeObject[]): ScrapeTarget[] {
  const all = pods(objects);
  const services = objects.filter((o) => o.kind === 'Service') as Obj[];
  const targets: ScrapeTarget[] = [];
  for (const m of objects.filter((o) => o.kind === 'ServiceMonitor' || o.kind === 'PodMonitor') as Obj[]) {
    const ns: string = m['metadata'].namespace ?? '';
    if (m['spec'].namespaceSelector) throw new Error(`${objectId(m)}: namespaceSelector is not analysed`);
    const monitor = `${ns}/${objectId(m)}`;
    if (m['kind'] === 'PodMonitor') {
      for (const e of list(m['spec'].podMetricsEndpoints as Obj[])) {
        for (const p of all.filter((x) => x.namespace === ns && selects(m['spec'].selector, x.labels))) {
          for (const cp of p.ports.filter((x) => x.name === e['port'])) targets.push({ monitor, pod: p.id, port: cp.containerPort });
        }
      }
      continue;
    }
    for (const e of list(m['spec'].endpoints as Obj[])) {
      for (const s of services.filter((x) => (x['metadata'].namespace ?? '') === ns && selects(m['spec'].selector, x['metadata'].labels ?? {}))) {
        for (const sp of list(s['spec'].ports as Obj[]).filter((x) => x['name'] === e['port'])) {
          const target = sp['targetPort'] ?? sp['port'];
          for (const p of all.filter((x) => x.namespace === ns && s['spec'].selector && selects(s['spec'].selector, x.labels))) {
            for (const cp of p.ports.filter((x) => (typeof target === 'number' ? x.containerPort === target : x.name === target))) {
              targets.push({ monitor, service: s['metadata'].name, pod: p.id, port: cp.containerPort });
            }
          }
        }
      }
    }
  }
  return targets;
}

/**
 * One line per pod port scraped more than once (naming every monitor and Service that reaches
 * it), and per monitor that reaches no pod: empty when every monitored pod is scraped exactly once.
 */
export function scrapeProblems(objects: readonly KubeObject[]): string[] {
  const targets = scrapeTargets(objects);
  const problems: string[] = [];
  const byPort = new Map<string, ScrapeTarget[]>();
  for (const t of targets) byPort.set(`${t.pod}:${t.port}`, [...(byPort.get(`${t.pod}:${t.port}`) ?? []), t]);
  for (const [port, ts] of byPort) {
    if (ts.length > 1) problems.push(`${port} is scraped ${ts.length} times: ${ts.map((t) => (t.service ? `${t.monitor} via Service/${t.service}` : t.monitor)).join(', ')}`);
  }
  for (const m of objects.filter((o) => o.kind === 'ServiceMonitor' || o.kind === 'PodMonitor')) {
    const id = `${m.metadata?.namespace ?? ''}/${objectId(m)}`;
    if (!targets.some((t) => t.monitor === id)) problems.push(`${id} scrapes no pod`);
  }
  return problems;
}
