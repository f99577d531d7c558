import { fieldAt as at, matchesSelector, objectId, podSpecsOf, records as list, type KubeObject, type PodTemplate, type StringMap } from '../analysis/kube-objects.ts';
import { isMap } from '../lib/values/index.ts';

/*
 * References between the objects of one environment that the API server accepts unresolved and
 * that then fail without an error anywhere: a Service that selects no pod (no endpoints), or
 * whose named targetPort no pod it selects declares (no endpoint on that port); a
 * PodDisruptionBudget that selects no pod (it protects nothing); an autoscaler whose target does
 * not exist; an Ingress whose backend Service or port does not; a pod's ServiceAccount,
 * ConfigMaps, Secrets and claims that nothing creates (its pods never start, or start without
 * the data); a RoleBinding to a Role or for a ServiceAccount that does not exist; a StatefulSet
 * without its headless governing Service (its members get no DNS names); a NetworkPolicy whose
 * pod selector selects no pod (the flows it was to allow stay denied). Every reference
 * must resolve within the environment's own objects, in the referrer's namespace. A Secret
 * resolves to a Secret, or to what makes one: an ExternalSecret, a SealedSecret, a cert-manager
 * Certificate; and no Secret may have two makers, whose controllers would overwrite each other's data.
 */

type Obj = Readonly<Record<string, unknown>>;

/** A pod template of the environment, the object it is in, and the namespace its pods run in. */
interface Pods {
  readonly owner: KubeObject;
  readonly namespace: string | undefined;
  readonly template: PodTemplate;
}

const shown = (selector: Obj): string => Object.entries(selector).map(([k, v]) => `${k}=${String(v)}`).join(', ');
const selectsNothing = (selector: Obj, outcome: string): string => `selects no pod of the environment (${shown(selector)}): ${outcome}`;

/** The pod templates `selector` selects in `namespace`. */
function selected(pods: readonly Pods[], namespace: string | undefined, selector: Obj): PodTemplate[] {
  return pods.filter((p) => p.namespace === namespace && matchesSelector({ matchLabels: selector as StringMap }, p.template.labels)).map((p) => p.template);
}

function declaresPort(template: PodTemplate, name: string): boolean {
  return (['containers', 'initContainers'] as const).some((group) => list(template.spec[group]).some((c) => list(c['ports']).some((p) => p['name'] === name)));
}

function serviceProblems(service: KubeObject, pods: readonly Pods[]): string[] {
  const selector = at(service, 'spec', 'selector');
  if (!isMap(selector) || Object.keys(selector).length === 0 || at(service, 'spec', 'type') === 'ExternalName') return [];
  const templates = selected(pods, service.metadata?.namespace, selector);
  if (templates.length === 0) return [`spec.selector: ${selectsNothing(selector, 'the Service has no endpoints')}`];
  return list(at(service, 'spec', 'ports')).flatMap((port, i) => {
    const target = port['targetPort'];
    if (typeof target !== 'string' || templates.some((t) => declaresPort(t, target))) return [];
    return [`spec.ports[${i}].targetPort: no pod the Service selects declares a port named ${JSON.stringify(target)}: the Service has no endpoint on it`];
  });
}

/** The ConfigMap every namespace has, which the cluster publishes (the API server's CA). */
const CLUSTER_CONFIG_MAPS = new Set(['kube-root-ca.crt']);

/** The annotations that have cert-manager make an Ingress's TLS Secrets. @see https://cert-manager.io/docs/usage/ingress/ */
const ISSUER_ANNOTATIONS = ['cert-manager.io/cluster-issuer', 'cert-manager.io/issuer'];

/**
 * An object that makes a Secret: a Secret or SealedSecret by its name, an ExternalSecret by its
 * target, a cert-manager Certificate by its secretName, an Ingress cert-manager issues for by
 * each TLS entry's secretName.
 */
interface SecretMaker {
  readonly maker: KubeObject;
  /** The field naming the Secret. */
  readonly field: string;
  readonly name: string;
}

function secretMakers(objects: readonly KubeObject[]): SecretMaker[] {
  return objects.flatMap((o): SecretMaker[] => {
    const name = o.metadata?.name;
    if (o.kind === 'Secret' || o.kind === 'SealedSecret') return [{ maker: o, field: 'metadata.name', name: String(name) }];
    if (o.kind === 'ExternalSecret') {
      const target = at(o, 'spec', 'target', 'name');
      return [target === undefined ? { maker: o, field: 'metadata.name', name: String(name) } : { maker: o, field: 'spec.target.name', name: String(target) }];
    }
    if (o.kind === 'Certificate') return [{ maker: o, field: 'spec.secretName', name: String(at(o, 'spec', 'secretName')) }];
    // cert-manager's ingress-shim makes a Certificate for each TLS entry of an annotated Ingress.
    const annotations = o.metadata?.annotations ?? {};
    if (o.kind === 'Ingress' && ISSUER_ANNOTATIONS.some((a) => a in annotations)) {
      return list(at(o, 'spec', 'tls')).flatMap((t, i) => (typeof t['secretName'] === 'string' ? [{ maker: o, field: `spec.tls[${i}].secretName`, name: t['secretName'] }] : []));
    }
    return [];
  });
}

/**
 * A Secret two objects of the environment make: their controllers (cert-manager, External
 * Secrets, Sealed Secrets) each write its data in turn, and each overwrites the other's. Two
 * objects of one kind and name are one duplicate, reported as such (_object-identity.ts).
 */
function secretsMadeTwice(makers: readonly SecretMaker[]): string[] {
  const first = new Map<string, SecretMaker>();
  const problems: string[] = [];
  // An ExternalSecret merging into a Secret (creationPolicy Merge or None) writes beside its owner, by design.
  const owners = makers.filter((m) => !['Merge', 'None'].includes(String(at(m.maker, 'spec', 'target', 'creationPolicy'))));
  for (const m of owners) {
    const key = JSON.stringify([m.maker.metadata?.namespace ?? null, m.name]);
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, m);
      continue;
    }
    if (objectId(earlier.maker) === objectId(m.maker)) continue;
    problems.push(`${objectId(m.maker)} ${m.field}: Secret/${m.name} is made by ${objectId(earlier.maker)} (${earlier.field}) too: each overwrites the other's data`);
  }
  return problems;
}

/** What a pod template refers to by name: `[field path, kind, name]`, optional references left out. */
function podReferences(template: PodTemplate): [string, 'ServiceAccount' | 'ConfigMap' | 'Secret' | 'PersistentVolumeClaim', string][] {
  const { spec, path } = template;
  const refs: [string, 'ServiceAccount' | 'ConfigMap' | 'Secret' | 'PersistentVolumeClaim', string][] = [];
  const account = spec['serviceAccountName' as keyof typeof spec];
  if (typeof account === 'string' && account !== 'default') refs.push([`${path}.serviceAccountName`, 'ServiceAccount', account]);
  const source = (where: string, kind: 'ConfigMap' | 'Secret', ref: unknown, nameKey: string): void => {
    if (isMap(ref) && typeof ref[nameKey] === 'string' && ref['optional'] !== true) refs.push([`${where}.${nameKey}`, kind, ref[nameKey] as string]);
  };
  list(spec.volumes).forEach((v, i) => {
    const where = `${path}.volumes[${i}]`;
    source(`${where}.configMap`, 'ConfigMap', v['configMap'], 'name');
    source(`${where}.secret`, 'Secret', v['secret'], 'secretName');
    const claim = at(v, 'persistentVolumeClaim', 'claimName');
    if (typeof claim === 'string') refs.push([`${where}.persistentVolumeClaim.claimName`, 'PersistentVolumeClaim', claim]);
    list(at(v, 'projected', 'sources')).forEach((s, k) => {
      source(`${where}.projected.sources[${k}].configMap`, 'ConfigMap', s['configMap'], 'name');
      source(`${where}.projected.sources[${k}].secret`, 'Secret', s['secret'], 'name');
    });
  });
  for (const group of ['initContainers', 'containers'] as const) {
    list(spec[group]).forEach((c, i) => {
      const where = `${path}.${group}[${i}]`;
      list(c['envFrom']).forEach((e, k) => {
        source(`${where}.envFrom[${k}].configMapRef`, 'ConfigMap', e['configMapRef'], 'name');
        source(`${where}.envFrom[${k}].secretRef`, 'Secret', e['secretRef'], 'name');
      });
      list(c['env']).forEach((e, k) => {
        source(`${where}.env[${k}].valueFrom.configMapKeyRef`, 'ConfigMap', at(e, 'valueFrom', 'configMapKeyRef'), 'name');
        source(`${where}.env[${k}].valueFrom.secretKeyRef`, 'Secret', at(e, 'valueFrom', 'secretKeyRef'), 'name');
      });
    });
  }
  return refs;
}

/** The claims a StatefulSet's pods get from its claim templates, `<template>-<set>-<ordinal>`: a pod never names them. */
const claimTemplates = (o: KubeObject): string[] => list(at(o, 'spec', 'volumeClaimTemplates')).map((c) => String(at(c, 'metadata', 'name')));

/** Each reference problem of `objects` (one environment's), as `Kind/name field: message`. */
export function referenceProblems(objects: readonly KubeObject[]): string[] {
  const pods: Pods[] = objects.flatMap((owner) => podSpecsOf(owner).map((template) => ({ owner, namespace: owner.metadata?.namespace, template })));
  const key = (kind: unknown, name: unknown, namespace: string | undefined): string => JSON.stringify([kind, name, namespace ?? null]);
  const index = new Map(objects.map((o) => [key(o.kind, o.metadata?.name, o.metadata?.namespace), o] as const));
  const find = (kind: unknown, name: unknown, namespace: string | undefined): KubeObject | undefined => index.get(key(kind, name, namespace));
  const exists = (kind: unknown, name: unknown, namespace: string | undefined): boolean => find(kind, name, namespace) !== undefined;
  // The Secrets the environment makes, by namespace and name: their own, and those their controllers write.
  const makers = secretMakers(objects);
  const secrets = new Set(makers.map((m) => JSON.stringify([m.maker.metadata?.namespace ?? null, m.name])));
  const provided = (kind: string, name: string, namespace: string | undefined): boolean => {
    if (kind === 'Secret') return secrets.has(JSON.stringify([namespace ?? null, name]));
    return (kind === 'ConfigMap' && CLUSTER_CONFIG_MAPS.has(name)) || exists(kind, name, namespace);
  };
  const problems: string[] = [];
  for (const { owner, namespace, template } of pods) {
    const claims = claimTemplates(owner);
    for (const [field, kind, name] of podReferences(template)) {
      if (kind === 'PersistentVolumeClaim' && claims.includes(name)) continue;
      if (!provided(kind, name, namespace)) problems.push(`${objectId(owner)} ${field}: names ${kind}/${name}, which nothing in the environment creates in its namespace`);
    }
  }
  for (const o of objects) {
    const where = objectId(o);
    const namespace = o.metadata?.namespace;
    if (o.kind === 'RoleBinding') {
      const role = at(o, 'roleRef') as { kind?: unknown; name?: unknown } | undefined;
      if (role?.kind === 'Role' && !exists('Role', role.name, namespace)) problems.push(`${where} roleRef: names Role/${String(role.name)}, which the environment does not have in its namespace`);
    }
    if (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') {
      list(at(o, 'subjects')).forEach((s, i) => {
        const inNamespace = typeof s['namespace'] === 'string' ? s['namespace'] : namespace;
        if (s['kind'] === 'ServiceAccount' && s['name'] !== 'default' && !exists('ServiceAccount', s['name'], inNamespace)) {
          problems.push(`${where} subjects[${i}]: names ServiceAccount/${String(s['name'])}, which the environment does not have in namespace ${String(inNamespace)}`);
        }
      });
    }
    if (o.kind === 'Service') problems.push(...serviceProblems(o, pods).map((p) => `${where} ${p}`));
    if (o.kind === 'StatefulSet') {
      const serviceName = at(o, 'spec', 'serviceName');
      const governing = find('Service', serviceName, namespace);
      if (typeof serviceName === 'string' && (!governing || at(governing, 'spec', 'clusterIP') !== 'None')) {
        problems.push(`${where} spec.serviceName: names Service/${serviceName}, which the environment does not have as a headless Service in its namespace: the members get no DNS names`);
      }
    }
    if (o.kind === 'NetworkPolicy') {
      const selector = at(o, 'spec', 'podSelector', 'matchLabels');
      if (isMap(selector) && Object.keys(selector).length > 0 && selected(pods, namespace, selector).length === 0) {
        problems.push(`${where} spec.podSelector.matchLabels: ${selectsNothing(selector, 'the policy applies to nothing')}`);
      }
    }
    if (o.kind === 'PodDisruptionBudget') {
      const selector = at(o, 'spec', 'selector', 'matchLabels');
      if (isMap(selector) && selected(pods, namespace, selector).length === 0) {
        problems.push(`${where} spec.selector.matchLabels: ${selectsNothing(selector, 'the budget protects nothing')}`);
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
          const target = find('Service', service['name'], namespace);
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
  problems.push(...secretsMadeTwice(makers));
  return problems;
}
