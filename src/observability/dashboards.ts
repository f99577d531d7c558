/** Upstreams of the edge that serve one purpose, such as one API served by a workload per region. */
export interface EdgeBackendGroup {
  /** Panel name, e.g. `api-http`. */
  readonly name: string;
  /** RE2 matching the `envoy_cluster_name` of every cluster of the group, e.g. `api-[a-z]{2}-8080`. */
  readonly clusterRegex: string;
  /** The component serving the group: its panels are left out where it does not run. */
  readonly component: string;
}

/** Per-second rate of a counter over Grafana's rate interval. */
export const perSecond = (series: string): string => `rate(${series}[$__rate_interval])`;
/** Quantile `q` of a histogram, by the labels `by`, over Grafana's rate interval. */
export const quantileBy = (q: number, histogram: string, by: string): string =>
  `histogram_quantile(${q}, sum by (${by}, le) (${perSecond(`${histogram}_bucket`)}))`;
