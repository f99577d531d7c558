import { expect } from 'vitest';
import { standardToggles } from '../../src/render/helm/index.ts';

/** The kinds `serviceMonitor.enabled` switches: a chart's monitors. */
const MONITOR_KINDS = standardToggles([]).find((t) => t.key === 'serviceMonitor')!.kinds;

/**
 * A chart's monitoring switches, proved on its renders (`render` takes more Helm flags and gives
 * `<kind>/<name>` of each object): `monitoring.enabled=false` removes exactly `monitoring` (dist/'s
 * monitoring objects), and `global.observability.enabled=false` those and the chart's monitors.
 */
export async function expectMonitoringSwitches(render: (...flags: string[]) => Promise<string[]>, monitoring: readonly string[]): Promise<void> {
  const all = await render();
  expect(monitoring.length).toBeGreaterThan(0);
  expect(await render('--set', 'monitoring.enabled=false')).toEqual(all.filter((k) => !monitoring.includes(k)));
  const monitors = all.filter((k) => MONITOR_KINDS.includes(k.split('/')[0]!));
  expect(monitors.length).toBeGreaterThan(0);
  expect(await render('--set', 'global.observability.enabled=false')).toEqual(all.filter((k) => !monitoring.includes(k) && !monitors.includes(k)));
}
