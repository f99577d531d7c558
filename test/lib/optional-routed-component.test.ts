import { describe, expect, it } from 'vitest';
import { componentFlows, ComponentRegistry, edgeFlows, NetworkPolicyMatrix, Peer } from '../../src/lib/index.ts';
import { api, LABELS, placeAll, routeTable, SETTINGS, type TestModel } from './_components.ts';

/*
 * An optional component (one with `enabled`) that declares edge routes: where it does not run,
 * its routes are left out (its backend group stays, so the Edge dashboard is every
 * environment's); where it runs, the edge's egress to it, and its callers', ship with its own
 * policies, so theirs are the same in every environment.
 */

const route = (name: string, prefix: string) => ({ routes: [{ name, prefix, port: 'http', timeout: '5s' }] });
const registry = ComponentRegistry.of<TestModel>([
  api('edge', { port: 8443 }),
  api('search-api', { port: 8080 }, { ...route('search-api', '/search/'), calls: [{ component: 'preview-api', port: 'http' }] }),
  api('preview-api', { port: 8081 }, { ...route('preview-api', '/preview/'), enabled: (m) => m.preview === true }),
]);

type Obj = { kind: string; metadata: { name: string }; spec: { podSelector: { matchLabels: Record<string, string> }; egress?: { to: { podSelector?: { matchLabels: Record<string, string> } }[] }[] } };

/** The components of an environment with the preview on or off, their route table and the NetworkPolicies of their flows. */
function environment(preview: boolean, declared = true) {
  const { chart, placed } = placeAll(registry, { preview, components: { edge: SETTINGS, searchApi: SETTINGS, previewApi: SETTINGS } });
  const table = routeTable(registry, placed, declared ? { declared: registry.components } : {});
  const edge = placed.find((p) => p.declaration.name === 'edge')!.built.workload;
  const matrix = new NetworkPolicyMatrix(chart, 'Matrix', { labels: LABELS });
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
