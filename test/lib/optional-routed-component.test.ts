import { describe, expect, it } from 'vitest';
import {
  AppLabels,
  buildComponents,
  ComponentRegistry,
  declaredRoutes,
  componentFlows,
  edgeFlows,
  EdgeRouteTable,
  NetworkPolicyMatrix,
  Peer,
  statelessComponent,
  type ResourcesSpec,
} from '../../src/lib/index.ts';
import { Construct } from 'constructs';
import { testChart } from '../_helpers.ts';

/*
 * An optional component (one with `enabled`) that declares edge routes: where it does not run,
 * its routes are left out (its backend group stays, so the Edge dashboard is every
 * environment's); where it runs, the edge's egress to it, and its callers', ship with its own
 * policies, so theirs are the same in every environment.
 */

interface Model {
  readonly preview: boolean;
  readonly components: Record<string, unknown>;
}
const resources: ResourcesSpec = { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '100m', memory: '64Mi' } };
const api = (name: string, port: number, prefix?: string, enabled?: (m: Model) => boolean, calls?: string) =>
  statelessComponent<Model>({
    name,
    role: 'api',
    ...(enabled ? { enabled } : {}),
    ...(calls ? { calls: [{ component: calls, port: 'http' }] } : {}),
    ports: { http: { port, healthPath: '/healthz' } },
    defaults: { replicas: 1, resources },
    container: { health: { path: '/healthz', port: 'http' } },
    ...(prefix ? { routes: [{ name, prefix, port: 'http', timeout: '5s' }] } : {}),
  });
const registry = ComponentRegistry.of<Model>([api('edge', 8443), api('search-api', 8080, '/search/', undefined, 'preview-api'), api('preview-api', 8081, '/preview/', (m) => m.preview)]);
const settings = { image: { repository: 'registry.example.org/api', tag: '1.0.0' }, replicas: 1, resources };
const labels = new AppLabels({ name: 'shop', instance: 'shop', component: 'shop', partOf: 'shop', version: '1' });
const features = { autoscaling: false, podDisruptionBudget: false, serviceMonitor: false };

type Obj = { kind: string; metadata: { name: string }; spec: { podSelector: { matchLabels: Record<string, string> }; egress?: { to: { podSelector?: { matchLabels: Record<string, string> } }[] }[] } };

/** The components of an environment with the preview on or off, their route table and the NetworkPolicies of the edge's flows. */
function environment(preview: boolean, declared = true) {
  const chart = testChart();
  const model: Model = { preview, components: { edge: settings, searchApi: settings, previewApi: settings } };
  const placed = buildComponents({ registry, model, labels, features, scopeFor: (name) => new Construct(chart, name) });
  const table = new EdgeRouteTable({
    namespace: 'shop',
    routes: declaredRoutes(registry.components),
    components: new Map(placed.map((p) => [p.declaration.name, p] as const)),
    ...(declared ? { declared: registry.components } : {}),
    where: 'routes',
  });
  const edge = placed.find((p) => p.declaration.name === 'edge')!.built.workload;
  const matrix = new NetworkPolicyMatrix(chart, 'Matrix', { labels });
  edgeFlows(matrix, edge, table.upstreams, placed);
  componentFlows(matrix, placed, { scraper: Peer.namespace('monitoring', {}), cidrs: (name) => { throw new Error(`no CIDR set ${name}`); } }, registry.components);
  const policies = (chart.toJson() as Obj[]).filter((o) => o.kind === 'NetworkPolicy');
  return { table, policies };
}

describe('An optional component with edge routes |', () => {
  it('GIVEN it does not run THEN its route is left out and its backend group stays', () => {
    const { table } = environment(false);
    expect(table.routes.map((r) => r.name)).toEqual(['search-api']);
    expect(table.backendGroups.map((g) => g.name)).toEqual(['preview-api', 'search-api']);
  });

  it('GIVEN it does not run and the table is not told the declarations THEN its route is refused, naming the backend', () => {
    expect(() => environment(false, false)).toThrow(/routes\[0\] \("preview-api"\): backend "preview-api" is no component running in this environment/);
  });

  it('GIVEN it runs THEN the edge reaches it through a policy of its own, and the edge\'s own policies are those of an environment without it', () => {
    const on = environment(true);
    const off = environment(false);
    expect(on.table.routes.map((r) => r.name)).toEqual(['preview-api', 'search-api']);
    expect(on.table.backendGroups).toEqual(off.table.backendGroups);
    const names = on.policies.map((p) => p.metadata.name).sort();
    expect(names).toEqual(['allow-dns', 'default-deny', 'edge', 'edge-to-preview-api', 'preview-api', 'search-api', 'search-api-to-preview-api']);
    const egress = on.policies.find((p) => p.metadata.name === 'edge-to-preview-api')!;
    expect(egress.spec.podSelector.matchLabels['app.kubernetes.io/name']).toBe('edge');
    expect(egress.spec.egress!.flatMap((e) => e.to.map((t) => t.podSelector?.matchLabels['app.kubernetes.io/name']))).toEqual(['preview-api']);
    const edgeOwn = (policies: Obj[]) => policies.filter((p) => p.metadata.name === 'edge');
    expect(edgeOwn(on.policies)).toEqual(edgeOwn(off.policies));
    // A caller whose call does not say whileItRuns: its egress to the optional component ships with that component too.
    const callerOwn = (policies: Obj[]) => policies.filter((p) => p.metadata.name === 'search-api');
    expect(callerOwn(on.policies)).toEqual(callerOwn(off.policies));
    expect(edgeOwn(on.policies)[0]!.spec.egress!.flatMap((e) => e.to.map((t) => t.podSelector?.matchLabels['app.kubernetes.io/name']))).toEqual(['search-api']);
  });
});
