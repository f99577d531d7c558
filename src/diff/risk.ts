import { formatValue, sameValue } from './field-diff.ts';
import type { UnitChange } from './unit-change.ts';

/** One reason a reviewer should look twice, computed from the unit changes. */
export interface Risk {
  /** `replicas lowered`, `image changed`, `network policy widened`, ... */
  readonly rule: string;
  readonly group: string;
  readonly unit: string;
  readonly detail: string;
}

type Obj = Record<string, unknown>;

function get(obj: unknown, ...path: string[]): unknown {
  let v = obj;
  for (const key of path) v = typeof v === 'object' && v !== null ? (v as Obj)[key] : undefined;
  return v;
}

/** A PDB budget as a comparable number: `2` or `50%` (percentages only compare with percentages). */
function budget(value: unknown): { n: number; percent: boolean } | undefined {
  if (typeof value === 'number') return { n: value, percent: false };
  const m = typeof value === 'string' ? /^(\d+(?:\.\d+)?)%$/.exec(value) : null;
  return m ? { n: Number(m[1]), percent: true } : undefined;
}

const THRESHOLD = /^(.*?)\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*$/i;

/**
 * How an alert expression of the form `<query> > N` (or `<`, `>=`, `<=`) moved: `loosened` when
 * the alert now needs a worse value to fire, `tightened` when a better one. Undefined when the
 * query or the operator changed, or the expression has no such threshold.
 */
export function thresholdMove(before: unknown, after: unknown): { move: 'loosened' | 'tightened'; from: number; to: number } | undefined {
  if (typeof before !== 'string' || typeof after !== 'string') return undefined;
  const a = THRESHOLD.exec(before.trim());
  const b = THRESHOLD.exec(after.trim());
  if (!a || !b || a[1] !== b[1] || a[2] !== b[2]) return undefined;
  const from = Number(a[3]);
  const to = Number(b[3]);
  if (from === to) return undefined;
  const above = a[2]!.startsWith('>');
  return { move: above === to > from ? 'loosened' : 'tightened', from, to };
}

/** Items of `after` that `before` does not hold, by deep equality. */
function addedItems(before: unknown, after: unknown): unknown[] {
  const old = Array.isArray(before) ? before : [];
  return (Array.isArray(after) ? after : []).filter((item) => !old.some((o) => sameValue(o, item)));
}

/** Every value under a key named `key` anywhere in `value` that `accept` takes, in document order (not below a match). */
function valuesAt<T>(value: unknown, key: string, accept: (v: unknown) => v is T): T[] {
  const found: T[] = [];
  const visit = (v: unknown, k: string): void => {
    if (k === key && accept(v)) found.push(v);
    else if (Array.isArray(v)) v.forEach((x) => visit(x, ''));
    else if (typeof v === 'object' && v !== null) for (const [child, x] of Object.entries(v)) visit(x, child);
  };
  visit(value, '');
  return found;
}

const isString = (v: unknown): v is string => typeof v === 'string';

function containerImages(obj: unknown): string[] {
  return [...new Set(valuesAt(get(obj, 'spec'), 'image', isString))].sort();
}

const WORKLOADS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Rollout'];

const pinned = (image: string): boolean => image.includes('@sha256:');

function objectRisks(c: UnitChange): Risk[] {
  const risks: Risk[] = [];
  const add = (rule: string, detail: string): void => {
    risks.push({ rule, group: c.group, unit: c.unit, detail });
  };
  const kind = get(c.after ?? c.before, 'kind');
  if (c.change === 'changed') {
    for (const f of c.fields) {
      // A workload's count, or an autoscaler's floor (the count it never goes below).
      const count = f.path === 'spec.replicas' || (kind === 'HorizontalPodAutoscaler' && f.path === 'spec.minReplicas');
      if (count && typeof f.before === 'number' && typeof f.after === 'number' && f.after < f.before) {
        add('replicas lowered', `${f.path}: ${f.before} → ${f.after}`);
      }
      if (kind === 'PodDisruptionBudget' && (f.path === 'spec.minAvailable' || f.path === 'spec.maxUnavailable')) {
        const a = budget(f.before);
        const b = budget(f.after);
        const lowered = f.path === 'spec.minAvailable' ? (x: number, y: number) => y < x : (x: number, y: number) => y > x;
        if (!b || !a || (a.percent === b.percent && lowered(a.n, b.n)) || a.percent !== b.percent) {
          add('disruption budget loosened', `${f.path}: ${formatValue(f.before)} → ${formatValue(f.after)}`);
        }
      }
      if (/(^|\.)image$/.test(f.path) && typeof f.after === 'string') {
        add('image changed', `${f.path}: ${formatValue(f.before ?? '(none)')} → ${f.after}${pinned(f.after) ? '' : ' (unpinned: no @sha256)'}`);
      }
    }
  }
  if (c.change === 'removed' && typeof kind === 'string' && WORKLOADS.includes(kind)) {
    add('workload removed', `replicas: ${formatValue(get(c.before, 'spec', 'replicas') ?? '(unset)')} → 0`);
  }
  if (c.change === 'added') {
    for (const image of containerImages(c.after).filter((i) => !pinned(i))) add('image unpinned', `${image} (no @sha256)`);
  }
  if (c.change !== 'removed' && (kind === 'Role' || kind === 'ClusterRole')) {
    for (const rule of addedItems(get(c.before, 'rules'), get(c.after, 'rules'))) add('RBAC widened', `rule added: ${JSON.stringify(rule)}`);
  }
  return risks;
}

function alertRisks(c: UnitChange): Risk[] {
  if (!c.unit.startsWith('alert:')) return [];
  if (c.change === 'removed') return [{ rule: 'alert removed', group: c.group, unit: c.unit, detail: formatValue(get(c.before, 'expr')) }];
  if (c.change !== 'changed') return [];
  const moved = thresholdMove(get(c.before, 'expr'), get(c.after, 'expr'));
  return moved?.move === 'loosened' ? [{ rule: 'alert threshold loosened', group: c.group, unit: c.unit, detail: `threshold ${moved.from} → ${moved.to}` }] : [];
}

/** The routes of a listener's virtual host, in order, as the listener unit keeps them. */
function routeOrders(listener: unknown): string[][] {
  return valuesAt(listener, 'routes', (v): v is string[] => Array.isArray(v) && v.every(isString));
}

/**
 * Routes that change which backend a request reaches: a route sending to another cluster (or
 * other weights), a route removed, or routes that both versions hold now in another order (the
 * first match wins, so a reorder can shadow a route).
 */
function envoyRisks(c: UnitChange): Risk[] {
  const risk = (rule: string, detail: string): Risk => ({ rule, group: c.group, unit: c.unit, detail });
  if (c.unit.startsWith('route:') && c.change === 'removed') return [risk('route removed', `was to ${formatValue(get(c.before, 'route', 'cluster') ?? get(c.before, 'route', 'weighted_clusters') ?? '(no cluster)')}`)];
  const backends = c.fields
    .filter((f) => /^route\.(cluster|weighted_clusters)(\.|\[|$)/.test(f.path))
    .map((f) => risk('route backend changed', `${f.path}: ${formatValue(f.before ?? '(none)')} → ${formatValue(f.after ?? '(none)')}`));
  if (!c.unit.startsWith('listener:') || c.change !== 'changed') return backends;
  const before = routeOrders(c.before);
  const after = routeOrders(c.after);
  const reordered = after.flatMap((order, i) => {
    const common = order.filter((r) => before[i]?.includes(r));
    const old = (before[i] ?? []).filter((r) => common.includes(r));
    return sameValue(common, old) ? [] : [risk('routes reordered', `${old.join(', ')} → ${common.join(', ')}`)];
  });
  return [...backends, ...reordered];
}

/** A connection the NetworkPolicies now allow, or no longer allow (which may break a caller). */
function flowRisks(c: UnitChange): Risk[] {
  if (c.change === 'changed') return [];
  return [{ rule: c.change === 'added' ? 'network flow opened' : 'network flow closed', group: c.group, unit: c.unit, detail: c.change === 'added' ? 'now allowed' : 'no longer allowed' }];
}

/**
 * Alert routing that may stop a page reaching its receiver: a route removed or sent to another
 * receiver, a receiver removed, an inhibit rule added or requiring fewer `equal` labels (it then
 * mutes alerts of other services or scopes too).
 */
function routingRisks(c: UnitChange): Risk[] {
  const risk = (rule: string, detail: string): Risk[] => [{ rule, group: c.group, unit: c.unit, detail }];
  if (c.unit.startsWith('route:')) {
    if (c.change === 'removed') return risk('alert route removed', `was to ${formatValue(get(c.before, 'receiver') ?? '(parent receiver)')}`);
    const receiver = c.fields.find((f) => f.path === 'receiver');
    return receiver ? risk('alert route changed', `receiver: ${formatValue(receiver.before ?? '(parent)')} → ${formatValue(receiver.after ?? '(parent)')}`) : [];
  }
  if (c.unit.startsWith('receiver:') && c.change === 'removed') return risk('receiver removed', 'alerts routed to it are dropped');
  if (c.unit.startsWith('inhibit:') && c.change === 'added') return risk('inhibition widened', `new inhibit rule, equal: ${formatValue(get(c.after, 'equal') ?? [])}`);
  if (c.unit.startsWith('inhibit:') && c.change === 'changed') {
    const before = get(c.before, 'equal');
    const after = get(c.after, 'equal');
    const dropped = (Array.isArray(before) ? before : []).filter((l) => !(Array.isArray(after) ? after : []).includes(l));
    if (dropped.length > 0) return risk('inhibition widened', `equal no longer requires ${dropped.join(', ')}`);
  }
  return [];
}

/** The risks of a set of changes, in the order of the changes. */
export function assessRisks(changes: readonly UnitChange[]): Risk[] {
  const rules: Partial<Record<UnitChange['kind'], (c: UnitChange) => Risk[]>> = { object: objectRisks, flow: flowRisks, alert: alertRisks, envoy: envoyRisks, routing: routingRisks };
  return changes.flatMap((c) => rules[c.kind]?.(c) ?? []);
}
