/** A retention period in whole days; every backend's setting is rendered from one of these. */
export interface RetentionDays {
  readonly days: number;
}

const days = (n: number): RetentionDays => ({ days: n });

/** A retention as a duration in hours, the unit every Loki and Tempo setting accepts. */
export function hours(r: RetentionDays): `${number}h` {
  return `${r.days * 24}h`;
}

/** A retention as a duration in days, as Prometheus and Thanos flags accept it. */
export function promDays(r: RetentionDays): `${number}d` {
  return `${r.days}d`;
}

/**
 * How long telemetry is kept (spec sections 7.2 and 15): logs 14 days hot and 90 days in all,
 * traces 14 days, metrics 13 months as roll-ups. The Loki, Tempo and Thanos files under `ops/`
 * and their documentation are rendered from these figures only.
 */
export const RETENTION = {
  logs: {
    /** Chunks stay in the object store's standard class, the one interactive queries read. */
    hot: days(14),
    /** Total: after the hot period the bucket moves chunks to its cold class until Loki deletes them. */
    total: days(90),
  },
  traces: days(14),
  metrics: {
    /** Prometheus's local TSDB: longer than the longest alert window (3 days), short enough to stay small. */
    local: days(14),
    /** Raw samples, kept long enough for Thanos to build both roll-ups from them. */
    raw: days(30),
    /** The 5-minute roll-up, for dashboards over weeks. */
    fiveMinute: days(90),
    /** The 1-hour roll-up: 13 months, counted as the longest 13 calendar months (366 + 31 days). */
    oneHour: days(397),
  },
} as const;
