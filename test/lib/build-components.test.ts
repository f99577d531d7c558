import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { buildComponents, ComponentRegistry } from '../../src/lib/index.ts';
import { testChart } from '../_helpers.ts';
import { api, LABELS, NO_FEATURES, placeAll, SETTINGS, type TestModel } from './_components.ts';

/*
 * buildComponents gives each declared component the scope the stack names for it: a scope two
 * components share would have them clash on construct ids, so it is refused naming both.
 */

const registry = ComponentRegistry.of<TestModel>([api('first-api', { port: 8080 }), api('second-api', { port: 8080 })]);
const model: TestModel = { components: { firstApi: SETTINGS, secondApi: SETTINGS } };

describe('buildComponents | monitors', () => {
  it("GIVEN the stack's monitor labels WHEN components declaring metrics on a Service port and on a pod-only port are built THEN every monitor carries them", () => {
    // GIVEN
    const catalogue = [{ name: 'api_requests_total', type: 'counter' as const, labels: [], help: 'Requests answered.' }];
    const metrics = { port: 'http', path: '/metrics', catalogue };
    const scraped = ComponentRegistry.of<TestModel>([
      api('first-api', { port: 8080 }, { metrics }),
      api('second-api', { port: 8080 }, { metrics: { port: 'admin', catalogue }, ports: { http: { port: 8080, healthPath: '/healthz' }, admin: { port: 9090 } } }),
    ]);
    const monitorLabels = { release: 'prometheus', team: 'db' };
    const chart = testChart();
    // WHEN
    buildComponents({ registry: scraped, model, labels: LABELS, features: { ...NO_FEATURES, serviceMonitor: true }, scopeFor: (name) => new Construct(chart, name), monitorLabels });
    // THEN
    const monitors = (chart.toJson() as { kind: string; metadata: { name: string; labels: Record<string, string> } }[]).filter((o) => o.kind.endsWith('Monitor'));
    expect(monitors.map((m) => `${m.kind}/${m.metadata.name}`).sort()).toEqual(['PodMonitor/second-api', 'ServiceMonitor/first-api']);
    for (const m of monitors) expect(m.metadata.labels, m.metadata.name).toMatchObject(monitorLabels);
  });
});

describe('buildComponents | routes', () => {
  it('GIVEN a component declaring routes in a stack without an edge THEN it is refused naming the component and its routes, not left unrouted', () => {
    const routed = ComponentRegistry.of<TestModel>([api('first-api', { port: 8080 }, { routes: [{ name: 'first', prefix: '/first/', port: 'http', timeout: '5s' }] })]);
    const chart = testChart();
    const place = (edge: boolean) => buildComponents({ registry: routed, model, labels: LABELS, features: NO_FEATURES, scopeFor: (name) => new Construct(chart, `${name}-${edge}`), edge });
    expect(() => place(false)).toThrow('component "first-api" routes: declares first, but the stack has no edge to serve them; reach the component through the stack\'s own ingress, or leave routes out');
    expect(place(true).map((p) => p.declaration.name)).toEqual(['first-api']);
  });
});

describe('buildComponents | one scope per component', () => {
  it('GIVEN each component its own scope in one chart THEN both are built there, each under its own name', () => {
    const { chart, placed } = placeAll(registry, model);
    expect(placed.map((p) => p.declaration.name)).toEqual(['first-api', 'second-api']);
    const deployments = (chart.toJson() as { kind: string; metadata: { name: string } }[]).filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name);
    expect(deployments.sort()).toEqual(['first-api', 'second-api']);
  });

  it('GIVEN one scope for two components THEN it throws naming both and the scope', () => {
    const chart = testChart();
    expect(() => buildComponents({ registry, model, labels: LABELS, features: NO_FEATURES, scopeFor: () => chart })).toThrow(
      /^component "second-api": scopeFor gives it the scope of component "first-api" \(test\); each component needs a scope of its own/,
    );
  });
});
