import { load } from 'js-yaml';

type Section = Record<string, unknown>;

/** Alertmanager configurations: `ops/alertmanager/*.yaml` and each stack's `ops/<stack>/alertmanager/*.yaml`. */
export const ALERTMANAGER_FILE = /^ops\/(?:[^/]+\/)?alertmanager\/[^/]+\.ya?ml$/;

const records = (value: unknown): Section[] => (Array.isArray(value) ? value.filter((v): v is Section => typeof v === 'object' && v !== null) : []);

/** A route's own matchers as one text: `priority="P1"`, or `(root)` for the top route. */
function matcherText(route: Section): string {
  const matchers = [
    ...(Array.isArray(route['matchers']) ? route['matchers'].map(String) : []),
    ...Object.entries((route['match'] as Section | undefined) ?? {}).map(([k, v]) => `${k}="${String(v)}"`),
    ...Object.entries((route['match_re'] as Section | undefined) ?? {}).map(([k, v]) => `${k}=~"${String(v)}"`),
  ];
  return matchers.length > 0 ? matchers.join(',') : '*';
}

/** Puts `value` under `key`, `key#2` and so on when the key is taken. */
function put(out: Map<string, Section>, key: string, value: Section): string {
  let unique = key;
  for (let n = 2; out.has(unique); n++) unique = `${key}#${n}`;
  out.set(unique, value);
  return unique;
}

/**
 * Adds a route and its subtree as `route:<matchers of its ancestors and its own, joined by " > ">`
 * and returns its key; a route keeps its children's keys in order (the first match wins unless
 * `continue`).
 */
function addRoutes(route: Section, path: string, out: Map<string, Section>): string {
  const { routes, ...own } = route;
  const key = put(out, `route:${path}`, own);
  const children = records(routes).map((child) => addRoutes(child, `${path === '(root)' ? '' : `${path} > `}${matcherText(child)}`, out));
  if (children.length > 0) out.set(key, { ...own, routes: children });
  return key;
}

/**
 * The units of an Alertmanager configuration: `route:<matchers path>` per route of the tree,
 * `receiver:<name>`, `inhibit:<source> -> <target>` per inhibit rule, `global` for the rest.
 */
export function parseAlertmanager(text: string): Map<string, Section> {
  const out = new Map<string, Section>();
  if (text === '') return out;
  const { route, receivers, inhibit_rules: inhibits, ...rest } = (load(text) ?? {}) as Section;
  out.set('global', rest);
  if (typeof route === 'object' && route !== null) addRoutes(route as Section, '(root)', out);
  for (const [i, receiver] of records(receivers).entries()) put(out, `receiver:${String(receiver['name'] ?? i)}`, receiver);
  for (const rule of records(inhibits)) {
    const side = (k: string): string => (Array.isArray(rule[k]) ? (rule[k] as unknown[]).map(String).join(',') : '*');
    put(out, `inhibit:${side('source_matchers')} -> ${side('target_matchers')}`, rule);
  }
  return out;
}
