import { groupOf, objectId, type KubeObject } from '../analysis/kube-objects.ts';

/*
 * An object's identity in a cluster is its API group, kind, namespace and name; the version is
 * not part of it (`autoscaling/v1` and `autoscaling/v2` serve one autoscaler). Two objects with
 * the same identity are one object to `kubectl apply` and to Argo CD: the last applied replaces
 * the first, silently. Within an environment, two components both naming a Service `api` leave
 * one of them without its Service; across environments, two environments in one namespace
 * overwrite each other's objects, and their Argo CD Applications both claim them.
 */

/** Objects by what renders them: a chart of one environment, or a whole environment. */
export interface OwnedObjects {
  readonly owner: string;
  readonly objects: readonly KubeObject[];
}

const identity = (o: KubeObject): string => JSON.stringify([groupOf(o.apiVersion), o.kind, o.metadata?.namespace ?? null, o.metadata?.name]);
const inNamespace = (o: KubeObject): string => (o.metadata?.namespace === undefined ? '' : ` in namespace ${o.metadata.namespace}`);

/** Each object of one environment's charts whose identity an earlier object already has, named with both charts. */
export function duplicateObjects(charts: readonly OwnedObjects[]): string[] {
  const first = new Map<string, string>();
  const problems: string[] = [];
  for (const { owner: chart, objects } of charts) {
    for (const o of objects) {
      const earlier = first.get(identity(o));
      if (earlier === undefined) {
        first.set(identity(o), chart);
        continue;
      }
      const charts = earlier === chart ? `twice in chart ${chart}` : `charts ${earlier} and ${chart}`;
      problems.push(`${objectId(o)} metadata.name: two objects of this kind and name${inNamespace(o)} (${charts}): kubectl apply keeps only the last one applied`);
    }
  }
  return problems;
}

/**
 * What environments of one run render in common, by environment: a namespace another
 * environment renders too (one line for it and everything in it), or any other object another
 * environment renders (a cluster-scoped one, or one in a third namespace).
 */
export function sharedObjects(environments: readonly OwnedObjects[]): Map<string, string[]> {
  const shared = new Map<string, string[]>();
  const report = (env: string, line: string): void => void shared.set(env, [...(shared.get(env) ?? []), line]);
  const namespaces = new Map<string, string>();
  const sharedNamespaces = new Set<string>();
  for (const { owner: env, objects } of environments) {
    for (const o of objects) {
      if (o.kind !== 'Namespace' || o.metadata?.name === undefined) continue;
      const earlier = namespaces.get(o.metadata.name);
      if (earlier === undefined || earlier === env) {
        namespaces.set(o.metadata.name, env);
        continue;
      }
      sharedNamespaces.add(o.metadata.name);
      report(env, `Namespace/${o.metadata.name} metadata.name: environment ${earlier} renders this namespace too: two environments in one namespace overwrite each other's objects, and their Argo CD Applications both claim them; give each environment a namespace of its own`);
    }
  }
  const owners = new Map<string, string>();
  for (const { owner: env, objects } of environments) {
    for (const o of objects) {
      if (o.kind === 'Namespace' || sharedNamespaces.has(o.metadata?.namespace ?? '')) continue;
      const earlier = owners.get(identity(o));
      if (earlier === undefined || earlier === env) {
        owners.set(identity(o), env);
        continue;
      }
      report(env, `${objectId(o)} metadata.name${inNamespace(o)}: environment ${earlier} renders this object too: the last applied replaces the other's, and their Argo CD Applications both claim it`);
    }
  }
  return shared;
}
