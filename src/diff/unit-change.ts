import { diffFields, type FieldChange } from './field-diff.ts';

/** What kind of unit a change is about, which decides the risk rules that apply to it. */
export type UnitKind = 'object' | 'flow' | 'alert' | 'panel' | 'envoy' | 'routing' | 'file';

/** One unit (Kubernetes object, alert rule, file) added, removed or changed between base and head. */
export interface UnitChange {
  /** Folder (`dist/prod`) or file (`ops/prometheus/alerts.yaml`) the unit belongs to. */
  readonly group: string;
  readonly kind: UnitKind;
  /** `StatefulSet/crumpet/cin-node-en`, `edge/envoy -> crumpet/cin-node-en 8080/TCP`, `alert:EdgeHigh5xxRate`, `panel:H/3 ratio`, `cluster:web-3000`, `runbooks/x.md`. */
  readonly unit: string;
  readonly change: 'added' | 'removed' | 'changed';
  /** Field-level changes of a changed unit, redacted. */
  readonly fields: readonly FieldChange[];
  /** One-line summary for files diffed by lines: `+3 -1 lines`. */
  readonly summary?: string;
  /** The unit before and after, for the risk rules; never printed (they may hold secrets). */
  readonly before?: unknown;
  readonly after?: unknown;
}

/**
 * The units added, removed and changed between two keyed sets (objects of a folder, rules of a
 * file, panels, Envoy resources), sorted by key; a changed unit lists its changed fields, those
 * `redact` names (secret values) without their values.
 */
export function diffUnits<T>(
  group: string,
  kind: UnitKind,
  base: ReadonlyMap<string, T>,
  head: ReadonlyMap<string, T>,
  redact?: (after: T) => (path: string) => boolean,
): UnitChange[] {
  const changes: UnitChange[] = [];
  for (const unit of [...new Set([...base.keys(), ...head.keys()])].sort()) {
    const before = base.get(unit);
    const after = head.get(unit);
    if (after === undefined) changes.push({ group, kind, unit, change: 'removed', fields: [], before });
    else if (before === undefined) changes.push({ group, kind, unit, change: 'added', fields: [], after });
    else {
      const fields = diffFields(before, after, redact?.(after));
      if (fields.length > 0) changes.push({ group, kind, unit, change: 'changed', fields, before, after });
    }
  }
  return changes;
}
