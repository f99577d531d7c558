import { objectId, podSpecsOf, type KubeObject, type PodTemplate } from '../analysis/kube-objects.ts';

/*
 * References between the objects of one environment that the API server accepts unresolved and
 * that then fail without an error anywhere: a Service that selects no pod (no endpoints), or
 * whose named targetPort no pod it selects declares (no endpoint on that port); a
 * PodDisruptionBudget that selects no pod (it protects nothing); an autoscaler whose target does
 * not exist; an Ingress whose backend Service or port does not. Every reference must resolve
 * within the environment's own objects, in the referrer's namespace.
 */

type Obj = Readonly<Record<string, unknown>>;

const isMap = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isMap) : []);
const at = (o: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((v, k) => (isMap(v) ? v[k] : undefined), o);

/** A pod template of the environment, with the namespace its pods run in. */
interface Pods {
  readonly namespace: string | undefined;
  readonly template: PodTemplate;
}

const selects = (selector: Obj, labels: Readonly<Record<string, string>>): boolean => Object.entries(selector).every(([k, v]) => labels[k] === v);
const shown = (selector: Obj): string => Object.entries(selector).map(([k, v]) => `${k}=${String(v)}`).join(', ');

/** The pod templates `selector` selects in `namespace`. */
function selected(pods: readonly Pods[], namespace: string | undefined, selector: Obj): PodTemplate[] {
  return pods.filter((p) => p.namespace === namespace && selects(selector, p.template.labels)).map((p) => p.template);
}

function declaresPort(template: PodTemplate, name: string): boolean {
  return (['containers', 'initContainers'] as const).some((group) => list(template.spec[group]).some((c) => list(c['ports']).some((p) => p['name'] === name)));
}

function serviceProblems(service: KubeObject, pods: readonly Pods[]): string[] {
  const selector = at(service, 'spec', 'selector');
  if (!isMap(selector) || Object.keys(selector).length === 0 || at(service, 'spec', 'type') === 'ExternalName') return [];
  const templates = selected(pods, service.metadata?.namespace, selector);
  if (templates.length === 0) return [`spec.selector: selects no pod of the environment (${shown(selector)}): the Service has no endpoints`];
  return list(at(service, 'spec', 'ports')).flatMap((port, i) => {
    const target = port['targetPort'];
    if (typeof target !== 'string' || templates.some((t) => declaresPort(t, target))) return [];
    return [`spec.ports[${i}].targetPort: no pod the Service selects declares a port named ${JSON.stringify(target)}: the Service has no endpoint on it`];
  });
}

/** Each reference problem of `objects` (one environment's), as `Kind/name field: message`. */
export function referenceProblems(objects: readonly KubeObject[]): string[] {
  const pods: Pods[] = objects.flatMap((o) => podSpecsOf(o).map((template) => ({ namespace: o.metadata?.namespace, template })));
  const exists = (kind: unknown, name: unknown, namespace: string | undefined): boolean =>
    objects.some((o) => o.kind === kind && o.metadata?.name === name && o.metadata?.namespace === namespace);
  const problems: string[] = [];
  for (const o of objects) {
    const where = objectId(o);
    const namespace = o.metadata?.namespace;
    if (o.kind === 'Service') problems.push(...serviceProblems(o, pods).map((p) => `${where} ${p}`));
    if (o.kind === 'PodDisruptionBudget') {
      const selector = at(o, 'spec', 'selector', 'matchLabels');
      if (isMap(selector) && selected(pods, namespace, selector).length === 0) {
        problems.push(`${where} spec.selector.matchLabels: selects no pod of the environment (${shown(selector)}): the budget protects nothing`);
      }
    }
    if (o.kind === 'HorizontalPodAutoscaler') {
      const { kind, name } = (at(o, 'spec', 'scaleTargetRef') ?? {}) as { kind?: unknown; name?: unknown };
      if (!exists(kind, name, namespace)) problems.push(`${where} spec.scaleTargetRef: names ${String(kind)}/${String(name)}, which the environment does not have in its namespace`);
    }
    if (o.kind === 'Ingress') {
      list(at(o, 'spec', 'rules')).forEach((rule, r) =>
        list(at(rule, 'http', 'paths')).forEach((path, p) => {
          const service = at(path, 'backend', 'service');
          if (!isMap(service)) return;
          const field = `spec.rules[${r}].http.paths[${p}].backend.service`;
          const target = objects.find((x) => x.kind === 'Service' && x.metadata?.name === service['name'] && x.metadata?.namespace === namespace);
          if (!target) return problems.push(`${where} ${field}.name: names Service/${String(service['name'])}, which the environment does not have in its namespace`);
          const { name: portName, number } = (isMap(service['port']) ? service['port'] : {}) as { name?: unknown; number?: unknown };
          const ports = list(at(target, 'spec', 'ports'));
          if (!ports.some((sp) => (portName !== undefined && sp['name'] === portName) || (number !== undefined && sp['port'] === number))) {
            problems.push(`${where} ${field}.port: Service/${String(service['name'])} has no port ${String(portName ?? number)}`);
          }
          return undefined;
        }),
      );
    }
  }
  return problems;
}
