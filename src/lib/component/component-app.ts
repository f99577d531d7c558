import type { Construct } from 'constructs';
import type { AppLabels } from '../labels.ts';
import { MetricsMonitor } from '../metrics-monitor.ts';
import { settingsKey, type BuiltComponent, type ComponentFeatures, type PlacedComponent } from './component.ts';
import type { MeshCertificates } from './mesh-certificates.ts';
import type { ComponentRegistry } from './registry.ts';

/** Props of {@link buildComponents}. */
export interface BuildComponentsProps<M> {
  readonly registry: ComponentRegistry<M>;
  /** The environment's model; each component's settings are `components.<key>` of it. */
  readonly model: M & { readonly components: object };
  /** The stack's labels; each component's name, role and version (its image tag) are set on them. */
  readonly labels: AppLabels;
  readonly features: ComponentFeatures;
  /** The scope (a chart, or a construct in one) a component renders into, by its name: one of its own per component. */
  readonly scopeFor: (name: string) => Construct;
  /** The mesh's certificates, where the environment turns mTLS on. @default - none: every port serves plaintext */
  readonly mesh?: MeshCertificates;
  /**
   * Labels every component's monitor carries: those the stack's Prometheus selects monitors by
   * (its `serviceMonitorSelector` and `podMonitorSelector`, e.g. `release: prometheus`), so that
   * a component added to the stack is scraped without saying so. A component's own monitor
   * labels (`BuiltComponent.monitor.labels`) come on top.
   * @default - none: the stack's Prometheus selects every monitor
   */
  readonly monitorLabels?: Readonly<Record<string, string>>;
  /**
   * The stack has an edge that serves its components' declared `routes` (an EdgeRouteTable).
   * @default false: a component declaring routes is refused, as nothing would route to it
   */
  readonly edge?: boolean;
}

/**
 * Builds every declared component that runs in the environment, each in its own scope, and the
 * monitor of each that declares metrics (a ServiceMonitor, or a PodMonitor for a port its
 * Service does not publish). Components with `after: 'others'` come last. Returns what each built.
 */
export function buildComponents<M>(props: BuildComponentsProps<M>): PlacedComponent[] {
  const { model, features } = props;
  const placed: PlacedComponent[] = [];
  const scopes = new Map<Construct, string>();
  const ordered = [...props.registry.components.filter((c) => c.after !== 'others'), ...props.registry.components.filter((c) => c.after === 'others')];
  for (const c of ordered) {
    if (c.enabled && !c.enabled(model)) continue;
    if (c.routes?.length && props.edge !== true) {
      throw new Error(`component "${c.name}" routes: declares ${c.routes.map((r) => r.name).join(', ')}, but the stack has no edge to serve them; reach the component through the stack's own ingress, or leave routes out`);
    }
    const settings = (model.components as Record<string, { image?: { tag?: string } }>)[settingsKey(c.name)];
    if (settings === undefined) throw new Error(`component "${c.name}": the model has no components.${settingsKey(c.name)}`);
    const scope = props.scopeFor(c.name);
    const sharing = scopes.get(scope);
    if (sharing !== undefined) {
      throw new Error(`component "${c.name}": scopeFor gives it the scope of component "${sharing}" (${scope.node.path || '(app)'}); each component needs a scope of its own, e.g. new Construct(chart, name)`);
    }
    scopes.set(scope, c.name);
    const labels = props.labels.withComponent({ name: c.name, component: c.role, ...(settings.image?.tag ? { version: settings.image.tag } : {}) });
    const others = new Map(placed.map((p) => [p.declaration.name, p] as const));
    const built: BuiltComponent = c.build({ scope, settings, model, labels, features, others, declared: props.registry.components, ...(props.mesh ? { mesh: props.mesh } : {}) });
    if (c.metrics && features.serviceMonitor) {
      const target = (built.servicePorts ?? Object.keys(c.ports)).includes(c.metrics.port) ? 'service' : 'pod';
      new MetricsMonitor(scope, 'Monitor', {
        workload: built.workload,
        port: c.metrics.port,
        target,
        ...(c.metrics.path ? { path: c.metrics.path } : {}),
        ...(c.metrics.interval ? { interval: c.metrics.interval } : {}),
        ...built.monitor,
        labels: { ...props.monitorLabels, ...built.monitor?.labels },
      });
    }
    placed.push({ declaration: c, built });
  }
  return placed;
}
