import { load } from 'js-yaml';

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
