import type { AlertDefinition, Dashboard, MetricDefinition, Runbook, SloDefinition } from '../../observability/index.ts';
import type { ComponentDeclaration } from './component.ts';

/** What components add to a stack's observability: each item owned by (labelled with) its component. */
export interface ObservabilityContributions {
  readonly metrics: readonly MetricDefinition[];
  readonly alerts: readonly AlertDefinition[];
  readonly runbooks: readonly Runbook[];
  readonly slos: readonly SloDefinition[];
  readonly dashboards: readonly Dashboard[];
}

/**
 * The metrics, alerts (their `service` the component), runbooks written beside them, SLOs and
 * dashboards (`<stack>-<component>` unless the declaration names its uid) of `components`.
 */
export function componentObservability(stack: string, components: readonly ComponentDeclaration<unknown, unknown>[]): ObservabilityContributions {
  return {
    metrics: components.flatMap((c) => (c.metrics?.catalogue ?? []).map((m) => ({ ...m, owner: c.name }))),
    alerts: components.flatMap((c) =>
      (c.alerts ?? []).map((a) => ({ ...a, service: c.name, runbook: typeof a.runbook === 'string' ? a.runbook : a.runbook.name })),
    ),
    runbooks: components.flatMap((c) => (c.alerts ?? []).flatMap((a) => (typeof a.runbook === 'string' ? [] : [a.runbook]))),
    slos: componentSlos(components),
    dashboards: components.flatMap((c) => (c.dashboard ? [c.dashboard.build(c.dashboard.uid ?? `${stack}-${c.name}`).about(c.name)] : [])),
  };
}

/** The SLOs `components` declare, each about (its `service`) its component. */
export function componentSlos(components: readonly ComponentDeclaration<unknown, unknown>[]): SloDefinition[] {
  return components.flatMap((c) => (c.slos ?? []).map((s) => ({ ...s, service: c.name })));
}
