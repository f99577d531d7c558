import { load } from 'js-yaml';

type Resource = Record<string, unknown>;

/** Envoy bootstraps: `ops/envoy/<env>/envoy.yaml` and each stack's `ops/<stack>/envoy/<env>/envoy.yaml`. */
export const ENVOY_FILE = /^ops\/(?:[^/]+\/)?envoy\/.+\.ya?ml$/;

const records = (value: unknown): Resource[] => (Array.isArray(value) ? value.filter((v): v is Resource => typeof v === 'object' && v !== null) : []);

/**
 * Takes the routes out of a listener's HTTP connection managers: each becomes its own unit
 * `route:<listener>/<virtual host>/<route>`, and the listener keeps the route names in order
 * (Envoy takes the first route that matches, so the order is part of the listener).
 */
function splitRoutes(listener: Resource, listenerName: string, out: Map<string, Resource>): Resource {
  const copy = structuredClone(listener);
  for (const chain of records(copy['filter_chains'])) {
    for (const filter of records(chain['filters'])) {
      const config = filter['typed_config'] as Resource | undefined;
      const routeConfig = config?.['route_config'] as Resource | undefined;
      for (const host of records(routeConfig?.['virtual_hosts'])) {
        host['routes'] = records(host['routes']).map((route, i) => {
          const name = `${listenerName}/${String(host['name'] ?? '?')}/${String(route['name'] ?? i)}`;
          out.set(`route:${name}`, route);
          return String(route['name'] ?? i);
        });
      }
    }
  }
  return copy;
}

/**
 * The units of an Envoy bootstrap: `cluster:<name>`, `listener:<name>` and
 * `route:<listener>/<virtual host>/<route>` from its static resources, `bootstrap` for the rest.
 */
export function parseEnvoy(text: string): Map<string, Resource> {
  const out = new Map<string, Resource>();
  if (text === '') return out;
  const { static_resources: statics, ...rest } = (load(text) ?? {}) as { static_resources?: { clusters?: Resource[]; listeners?: Resource[] } } & Resource;
  out.set('bootstrap', rest);
  for (const [i, cluster] of records(statics?.clusters).entries()) out.set(`cluster:${String(cluster['name'] ?? i)}`, cluster);
  for (const [i, listener] of records(statics?.listeners).entries()) {
    const name = String(listener['name'] ?? i);
    out.set(`listener:${name}`, splitRoutes(listener, name, out));
  }
  return out;
}
