
type Panel = Record<string, unknown>;

/** Grafana dashboards: `ops/grafana/*.json` and each stack's `ops/<stack>/grafana/*.json`. */
export const DASHBOARD_FILE = /^ops\/(?:[^/]+\/)?grafana\/[^/]+\.json$/;

/**
 * The units of a dashboard: `panel:<title>` for each panel (rows' panels included, `#2` on a
 * repeated title) and `dashboard` for everything but the panels.
 */
export function parseDashboard(text: string): Map<string, Panel> {
  const out = new Map<string, Panel>();
  if (text === '') return out;
  const { panels, ...rest } = JSON.parse(text) as { panels?: Panel[] } & Panel;
  out.set('dashboard', rest);
  const visit = (list: readonly Panel[] | undefined): void => {
    for (const panel of list ?? []) {
      const { panels: nested, ...own } = panel as { panels?: Panel[] } & Panel;
      const base = `panel:${String(panel['title'] ?? panel['id'])}`;
      let key = base;
      for (let n = 2; out.has(key); n++) key = `${base}#${n}`;
      out.set(key, own);
      visit(nested);
    }
  };
  visit(panels);
  return out;
}
