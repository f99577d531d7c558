import type { FieldChange } from './field-diff.ts';

/** What kind of unit a change is about, which decides the risk rules that apply to it. */
export type UnitKind = 'object' | 'alert' | 'panel' | 'envoy' | 'file';

/** One unit (Kubernetes object, alert rule, file) added, removed or changed between base and head. */
export interface UnitChange {
  /** Folder (`dist/prod`) or file (`ops/prometheus/alerts.yaml`) the unit belongs to. */
  readonly group: string;
  readonly kind: UnitKind;
  /** `StatefulSet/crumpet/cin-node-en`, `alert:EdgeHigh5xxRate`, `panel:H/3 ratio`, `cluster:web-3000`, `runbooks/x.md`. */
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
