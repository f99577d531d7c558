import { load } from 'js-yaml';
import { diffUnits, type UnitChange } from './unit-change.ts';

type Rule = Record<string, unknown>;

/** `ops/prometheus/alerts.yaml` and each stack's `ops/<stack>/prometheus/alerts.yaml`. */
export const ALERT_FILE = /^ops\/(?:[^/]+\/)?prometheus\/alerts\.yaml$/;

/** The rules of a Prometheus rule file by `alert:<name>` or `record:<name>` (`#2` on a repeated name). */
export function parseRules(text: string): Map<string, Rule> {
  const out = new Map<string, Rule>();
  const doc = load(text) as { groups?: { rules?: Rule[] }[] } | null;
  for (const group of doc?.groups ?? []) {
    for (const rule of group.rules ?? []) {
      const base = typeof rule['alert'] === 'string' ? `alert:${rule['alert']}` : `record:${String(rule['record'])}`;
      let key = base;
      for (let n = 2; out.has(key); n++) key = `${base}#${n}`;
      out.set(key, rule);
    }
  }
  return out;
}

/** The rules added, removed and changed (expr, for, labels, annotations) in one rule file, sorted. */
export function diffRules(group: string, base: ReadonlyMap<string, Rule>, head: ReadonlyMap<string, Rule>): UnitChange[] {
  return diffUnits(group, 'alert', base, head);
}
