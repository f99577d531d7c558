import { dirname } from 'node:path';
import { ALERTMANAGER_FILE, parseAlertmanager } from './alertmanager-diff.ts';
import { ALERT_FILE, parseRules } from './alert-diff.ts';
import { DASHBOARD_FILE, parseDashboard } from './dashboard-diff.ts';
import { ENVOY_FILE, parseEnvoy } from './envoy-diff.ts';
import { diffFlows } from './flow-diff.ts';
import { countLineChanges } from './line-diff.ts';
import { diffManifests, parseManifests } from './manifest-diff.ts';
import { diffUnits, type UnitChange, type UnitKind } from './unit-change.ts';

/** File contents by path relative to the output root (`dist/prod/web.k8s.yaml`). */
export type OutputFiles = ReadonlyMap<string, string>;

/** The ops files compared by their own units (rules, panels, Envoy resources, routes), and how each is parsed into them. */
const UNIT_FILES: readonly { readonly file: RegExp; readonly kind: UnitKind; readonly parse: (text: string) => ReadonlyMap<string, unknown> }[] = [
  { file: ALERT_FILE, kind: 'alert', parse: parseRules },
  { file: DASHBOARD_FILE, kind: 'panel', parse: parseDashboard },
  { file: ENVOY_FILE, kind: 'envoy', parse: parseEnvoy },
  { file: ALERTMANAGER_FILE, kind: 'routing', parse: parseAlertmanager },
];

/** Within a folder, objects first, then the flows they allow, then the units of other files. */
const KIND_ORDER: readonly UnitChange['kind'][] = ['object', 'flow', 'alert', 'panel', 'envoy', 'routing', 'file'];

const MANIFEST = /^dist\/.+\.ya?ml$/;

function manifestsByFolder(files: OutputFiles): Map<string, Map<string, Record<string, unknown>>> {
  const out = new Map<string, Map<string, Record<string, unknown>>>();
  for (const [path, text] of files) {
    if (!MANIFEST.test(path)) continue;
    const folder = out.get(dirname(path)) ?? new Map<string, Record<string, unknown>>();
    for (const [key, obj] of parseManifests(text)) folder.set(key, obj);
    out.set(dirname(path), folder);
  }
  return out;
}

function fileChange(path: string, before: string | undefined, after: string | undefined): UnitChange | undefined {
  const group = dirname(path);
  const unit = path.slice(group.length + 1);
  if (after === undefined) return { group, kind: 'file', unit, change: 'removed', fields: [], summary: `${before!.split('\n').length} lines` };
  if (before === undefined) return { group, kind: 'file', unit, change: 'added', fields: [], summary: `${after.split('\n').length} lines` };
  if (before === after) return undefined;
  const { added, removed } = countLineChanges(before, after);
  return { group, kind: 'file', unit, change: 'changed', fields: [], summary: `file changed: +${added} -${removed} lines` };
}

/**
 * Everything that differs between two output trees: Kubernetes objects and the network flows
 * their NetworkPolicies allow per `dist/` folder,
 * alert and recording rules per rule file, dashboards by panel, Envoy
 * clusters, listeners and routes by name, Alertmanager routes, receivers and inhibit rules, and every other file by its changed lines. Sorted by
 * group, kind and unit, so the same inputs always give the same list.
 */
export function diffOutputs(base: OutputFiles, head: OutputFiles): UnitChange[] {
  const changes: UnitChange[] = [];
  const baseObjects = manifestsByFolder(base);
  const headObjects = manifestsByFolder(head);
  for (const folder of new Set([...baseObjects.keys(), ...headObjects.keys()])) {
    const before = baseObjects.get(folder) ?? new Map();
    const after = headObjects.get(folder) ?? new Map();
    changes.push(...diffManifests(folder, before, after), ...diffFlows(folder, [...before.values()], [...after.values()]));
  }
  for (const path of new Set([...base.keys(), ...head.keys()])) {
    if (MANIFEST.test(path)) continue;
    const before = base.get(path);
    const after = head.get(path);
    if (before === after) continue;
    const units = UNIT_FILES.find((u) => u.file.test(path));
    if (units) {
      changes.push(...diffUnits(path, units.kind, units.parse(before ?? ''), units.parse(after ?? '')));
      continue;
    }
    const change = fileChange(path, before, after);
    if (change) changes.push(change);
  }
  return changes.sort((a, b) => compare(a.group, b.group) || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || compare(a.unit, b.unit));
}

/** Code-unit order: the same in every locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
