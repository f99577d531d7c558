import { Construct } from 'constructs';
import {
  AppLabels,
  buildComponents,
  declaredRoutes,
  EdgeRouteTable,
  statelessComponent,
  type ComponentFeatures,
  type ComponentPort,
  type ComponentRegistry,
  type EdgeRouteTableProps,
  type PlacedComponent,
  type ResourcesSpec,
  type StatelessComponentProps,
} from '../../src/lib/index.ts';
import { testChart } from '../_helpers.ts';

/* Small stacks of components for the library's tests: declarations, a model's settings, and what buildComponents places. */

/** A model of such a stack: the components' settings, and what a test's `enabled` reads. */
export interface TestModel {
  readonly components: Record<string, unknown>;
  readonly preview?: boolean;
}

const RESOURCES: ResourcesSpec = { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '100m', memory: '64Mi' } };

/** The settings every component of a test model has. */
export const SETTINGS = { image: { repository: 'registry.example.org/api', tag: '1.0.0' }, replicas: 1, resources: RESOURCES };

export const LABELS = new AppLabels({ name: 'shop', instance: 'shop', component: 'shop', partOf: 'shop', version: '1' });

/** Every optional part off. */
export const NO_FEATURES: ComponentFeatures = { autoscaling: false, podDisruptionBudget: false, serviceMonitor: false };

/** A stateless API with one port (`http` unless named otherwise) whose health path is `/healthz`, and `more` of its declaration. */
export function api(name: string, port: ComponentPort, more: Partial<StatelessComponentProps<TestModel>> = {}, portName = 'http') {
  return statelessComponent<TestModel>({
    name,
    role: 'api',
    ports: { [portName]: { healthPath: '/healthz', ...port } },
    defaults: { replicas: 1, resources: RESOURCES },
    container: { health: { path: '/healthz', port: portName } },
    ...more,
  });
}

/** The components of `registry` that run in `model`, each in a scope of its own in one test chart. */
export function placeAll(registry: ComponentRegistry<TestModel>, model: TestModel, features: ComponentFeatures = NO_FEATURES): { chart: ReturnType<typeof testChart>; placed: PlacedComponent[] } {
  const chart = testChart();
  return { chart, placed: buildComponents({ registry, model, labels: LABELS, features, scopeFor: (name) => new Construct(chart, name), edge: true }) };
}

/** The edge's table of the routes the registry declares, resolved against `placed`. */
export function routeTable(registry: ComponentRegistry<TestModel>, placed: readonly PlacedComponent[], more: Partial<EdgeRouteTableProps> = {}): EdgeRouteTable {
  return new EdgeRouteTable({
    namespace: 'shop',
    routes: declaredRoutes(registry.components),
    components: new Map(placed.map((p) => [p.declaration.name, p] as const)),
    where: 'routes',
    ...more,
  });
}
