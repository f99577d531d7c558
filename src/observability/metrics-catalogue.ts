/** How Prometheus treats a metric; a histogram also exposes `_bucket`, `_sum` and `_count`. */
export type MetricType = 'counter' | 'gauge' | 'histogram';

/**
 * The component that exports a metric (or the exporter, such as `node-exporter`); alerts on it
 * carry it as their `service` label.
 */
export type MetricOwner = string;

/** One exported metric (spec section 7.1). */
export interface MetricDefinition {
  /** Name as scraped, e.g. `snapshot_age_seconds`; histograms without the `_bucket` suffix. */
  readonly name: string;
  readonly type: MetricType;
  /** Labels the exporter sets, besides the target labels Prometheus adds (`job`, `instance`, `pod`). */
  readonly labels: readonly string[];
  /** The `# HELP` text. */
  readonly help: string;
  readonly owner: MetricOwner;
  /**
   * A histogram's bucket upper bounds as its exporter is configured, without `+Inf`: a query may
   * select a bucket (`le`) only at one of these bounds, since a bound the exporter does not have
   * returns no series and the SLO or alert reading it goes silent.
   * @default none declared: no query may select a bound
   */
  readonly buckets?: readonly number[];
  /**
   * The label naming the namespace of the workload a series is about: an exporter scraped in its
   * own namespace (cert-manager, kube-state-metrics with honoured labels) writes it in
   * `exported_namespace`. Missing-data alerts look for the series of a namespace in it.
   * @default 'namespace'
   */
  readonly namespaceLabel?: string;
  /**
   * `after-event`: series appear only once something happened (a container terminated), so
   * their absence is no missing data and no missing-data alert watches them. An exporter should
   * otherwise initialise the label values it knows, so an `always` metric is there from the start.
   * @see https://prometheus.io/docs/practices/instrumentation/#avoid-missing-metrics
   * @default 'always'
   */
  readonly presence?: 'always' | 'after-event';
}

const HISTOGRAM_SERIES = ['_bucket', '_sum', '_count'] as const;

/**
 * The metric names a PromQL expression may select: the catalogue's, the series of its
 * histograms, and the recording rules defined beside it.
 */
export class MetricsCatalogue {
  private readonly byName = new Map<string, MetricDefinition>();
  private readonly recorded = new Set<string>();

  public constructor(metrics: readonly MetricDefinition[]) {
    for (const m of metrics) {
      if (this.byName.has(m.name)) throw new Error(`metrics catalogue: "${m.name}" is defined twice`);
      this.byName.set(m.name, m);
    }
  }

  /** Every catalogued metric, by name. */
  public get metrics(): readonly MetricDefinition[] {
    return [...this.byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** Makes a recording rule's output selectable. */
  public addRecordingRule(name: string): void {
    this.recorded.add(name);
  }

  /** The definition behind a selected series name, if it is catalogued. */
  public lookup(series: string): MetricDefinition | undefined {
    const direct = this.byName.get(series);
    if (direct) return direct;
    const suffix = HISTOGRAM_SERIES.find((s) => series.endsWith(s));
    if (!suffix) return undefined;
    const base = this.byName.get(series.slice(0, -suffix.length));
    return base?.type === 'histogram' ? base : undefined;
  }

  /** Whether an expression may select `series`; a histogram only through its three series. */
  public knows(series: string): boolean {
    if (this.recorded.has(series)) return true;
    const metric = this.lookup(series);
    return metric !== undefined && (metric.type !== 'histogram' || metric.name !== series);
  }
}
