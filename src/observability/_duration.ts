/** A Prometheus duration with one unit, e.g. `10m`. */
export type Duration = `${number}${'s' | 'm' | 'h' | 'd'}`;

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 } as const;

/** The duration in seconds. */
export function seconds(d: Duration): number {
  return Number(d.slice(0, -1)) * UNIT_SECONDS[d.slice(-1) as keyof typeof UNIT_SECONDS];
}

/** Seconds as a Prometheus duration in whole minutes (`0m` for zero). */
export function minutes(totalSeconds: number): Duration {
  return `${Math.round(totalSeconds / 60)}m`;
}

/** A number as PromQL and promtool write it: no exponent, at most six decimals, no trailing zeros. */
export function num(n: number): string {
  return String(Number(n.toFixed(6)));
}
