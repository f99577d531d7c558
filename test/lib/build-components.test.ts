import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { AppLabels, buildComponents, ComponentRegistry, statelessComponent, type ResourcesSpec } from '../../src/lib/index.ts';
import { testChart } from '../_helpers.ts';

/*
 * buildComponents gives each declared component the scope the stack names for it: a scope two
 * components share would have them clash on construct ids, so it is refused naming both.
 */

const resources: ResourcesSpec = { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '100m', memory: '64Mi' } };
const api = (name: string) =>
  statelessComponent<Model>({ name, role: 'api', ports: { http: { port: 8080, healthPath: '/healthz' } }, defaults: { replicas: 1, resources }, container: { health: { path: '/healthz', port: 'http' } } });
interface Model {
  readonly components: Record<string, unknown>;
}
const registry = ComponentRegistry.of<Model>([api('first-api'), api('second-api')]);
const settings = { image: { repository: 'registry.example.org/api', tag: '1.0.0' }, replicas: 1, resources };
const model: Model = { components: { firstApi: settings, secondApi: settings } };
const labels = new AppLabels({ name: 'shop', instance: 'shop', component: 'shop', partOf: 'shop', version: '1' });
const features = { autoscaling: false, podDisruptionBudget: true, serviceMonitor: false };

describe('buildComponents | one scope per component', () => {
  it('GIVEN each component its own scope in one chart THEN both are built there, each under its own name', () => {
    const chart = testChart();
    const placed = buildComponents({ registry, model, labels, features, scopeFor: (name) => new Construct(chart, name) });
    expect(placed.map((p) => p.declaration.name)).toEqual(['first-api', 'second-api']);
    const deployments = (chart.toJson() as { kind: string; metadata: { name: string } }[]).filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name);
    expect(deployments.sort()).toEqual(['first-api', 'second-api']);
  });

  it('GIVEN one scope for two components THEN it throws naming both and the scope', () => {
    const chart: Chart = testChart();
    expect(() => buildComponents({ registry, model, labels, features, scopeFor: () => chart })).toThrow(
      /^component "second-api": scopeFor gives it the scope of component "first-api" \(test\); each component needs a scope of its own/,
    );
  });
});
