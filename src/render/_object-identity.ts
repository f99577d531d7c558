import { groupOf, objectId, type KubeObject } from '../analysis/kube-objects.ts';

/*
 * An object's identity in a cluster is its API group, kind, namespace and name; the version is
 * not part of it (`autoscaling/v1` and `autoscaling/v2` serve one autoscaler). Two objects of one
 * environment with the same identity are one object to `kubectl apply` and to Argo CD: the last
 * applied replaces the first, silently (two components both naming a Service `api` leave one of
 * them without its Service, or its Ingress pointing at the other's pods).
 */

/** Objects of one environment by the chart (file) that renders them. */
export interface ChartObjects {
  readonly chart: string;
  readonly objects: readonly KubeObject[];
}

/** Each object of `charts` whose identity an earlier object already has, named with both charts. */
export function duplicateObjects(charts: readonly ChartObjects[]): string[] {
  const first = new Map<string, string>();
  const problems: string[] = [];
  for (const { chart, objects } of charts) {
    for (const o of objects) {
      const namespace = o.metadata?.namespace;
      const key = JSON.stringify([groupOf(o.apiVersion), o.kind, namespace ?? null, o.metadata?.name]);
      const earlier = first.get(key);
      if (earlier === undefined) {
        first.set(key, chart);
        continue;
      }
      const where = namespace === undefined ? '' : ` in namespace ${namespace}`;
      const charts = earlier === chart ? `twice in chart ${chart}` : `charts ${earlier} and ${chart}`;
      problems.push(`${objectId(o)} metadata.name: two objects of this kind and name${where} (${charts}): kubectl apply keeps only the last one applied`);
    }
  }
  return problems;
}
