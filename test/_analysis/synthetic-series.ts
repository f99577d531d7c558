/*
 * Synthetic series for every metric of a catalogue, as Prometheus would have scraped them from an
 * environment's targets over a window, written as OpenMetrics text for
 * `promtool tsdb create-blocks-from openmetrics`.
 *
 * Which series: each metric is scraped from every target of its owner (the component named by
 * the pods' `app.kubernetes.io/name`), with the target's labels. An owner that no workload of the
 * stack runs is an exporter outside it (the kubelet, node-exporter, kube-state-metrics,
 * cert-manager), scraped as kube-prometheus does (`job` the exporter's name, `honorLabels`);
 * the owner `prometheus` stands for the series Prometheus records per target itself (`up`), one
 * per target of the environment. A metric's own labels take, in this order: the values the
 * environment's objects give them (see `objectLabelRelations`); the values its `# HELP` text
 * lists (`by result (success, failure, timeout)`); the values the conventions of HTTP, Envoy and
 * kube-state-metrics give the label names of {@link CONVENTIONAL_VALUES}; otherwise the values
 * the stack's own queries select, plus two of its own. A label the exporter sets that the target
 * also sets becomes `exported_<label>` unless the target honours labels, as Prometheus does.
 *
 * Which values, all derived from a hash of the series so every run writes the same file:
 * counters grow at a rate that swings by a third over an hour (error-looking label values, such
 * as a 5xx status or `timeout`, at a fiftieth of it); gauges stay in a range their name implies
 * (`_bytes` below a per-object capacity shared by the `capacity`/`size` series of the same
 * labels, `_seconds` ages, `_timestamp_seconds` shortly before or days after the sample, `up` 1);
 * histograms observe a log-normal distribution around a median their unit implies, on a bucket
 * ladder their unit implies (`_ms`, `_seconds`, `_bytes`, else counts), cumulative, with `+Inf`,
 * `_sum` and `_count`. A series has a sample at every scrape of its target, the last one at the
 * end of the window.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { StringMap } from '../../src/analysis/kube-objects.ts';
import type { MetricDefinition } from '../../src/observability/index.ts';
import type { LabelRelation, ScrapeTarget } from './scrape-targets.ts';

/** The owner of the series Prometheus records for each target it scrapes (`up`). */
const SCRAPER_OWNER = 'prometheus';

/** Seconds between two scrapes of an exporter outside the stack (kube-prometheus' default). */
const EXTERNAL_INTERVAL = 30;

/** Values that conventions give some label names, whoever exports them. */
const CONVENTIONAL_VALUES: Readonly<Record<string, readonly string[]>> = {
  // HTTP status codes.
  status: ['200', '404', '429', '500', '503'],
  code: ['200', '404', '429', '500', '503'],
  // Envoy's response code classes (1xx-5xx).
  envoy_response_code_class: ['2', '3', '4', '5'],
  // kube-state-metrics' container termination reasons.
  reason: ['Completed', 'Error', 'OOMKilled'],
};

/** Label values that read as failures: their counters grow at a fiftieth of the rate. */
const ERROR_VALUE = /^(5(\d\d)?|timeout|fail\w*|error\w*|oomkilled)$/i;

/** Bucket ladders and medians by the unit a histogram's name ends in. */
const HISTOGRAM_UNITS: readonly { readonly suffix: RegExp; readonly buckets: readonly number[]; readonly median: number }[] = [
  { suffix: /_(ms|milliseconds)$/, buckets: [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000], median: 80 },
  { suffix: /_seconds$/, buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], median: 0.02 },
  { suffix: /_bytes$/, buckets: [1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216], median: 65536 },
  { suffix: /$/, buckets: [1, 2, 3, 5, 8, 13, 21], median: 3 },
];

/** What the series are generated from. */
export interface SyntheticSeriesInput {
  readonly metrics: readonly MetricDefinition[];
  /** The environment's scrape targets. */
  readonly targets: readonly ScrapeTarget[];
  /** Components some environment of the stack runs: any other owner is an exporter outside the stack. */
  readonly components: ReadonlySet<string>;
  /** Namespace of the exporters outside the stack. */
  readonly exporterNamespace: string;
  /** Label values from the environment's objects, keyed by the comma-separated labels of each relation. */
  readonly relations: ReadonlyMap<string, LabelRelation>;
  /** Values the stack's rules and dashboards select, by label name. */
  readonly selected: ReadonlyMap<string, readonly string[]>;
  /** Unix seconds: samples from `start` to `end`, the last one at `end`. */
  readonly start: number;
  readonly end: number;
}

/** What was written. */
export interface SyntheticSeriesSummary {
  readonly series: number;
  readonly samples: number;
}

/** A hash of `text` as a number in [0, 1), and a generator of further ones. */
function random(text: string): () => number {
  let state = createHash('sha256').update(text).digest().readUInt32LE(0);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function cartesian(groups: readonly (readonly StringMap[])[]): StringMap[] {
  return groups.reduce<StringMap[]>((acc, rows) => acc.flatMap((a) => rows.map((r) => ({ ...a, ...r }))), [{}]);
}

/** Rows of values for the metric's own labels, grouped as the relations tie them. */
function exporterLabelSets(metric: MetricDefinition, input: SyntheticSeriesInput): StringMap[] {
  const groups: StringMap[][] = [];
  const left = new Set(metric.labels);
  for (const [key, rows] of input.relations) {
    const shared = key.split(',').filter((l) => left.has(l));
    if (shared.length === 0) continue;
    for (const l of shared) left.delete(l);
    groups.push([...new Map(rows.map((r) => Object.fromEntries(shared.map((l) => [l, r[l]!]))).map((r) => [JSON.stringify(r), r])).values()]);
  }
  for (const label of left) {
    const listed = new RegExp(`\\bby ${label} \\(([^)]+)\\)`).exec(metric.help)?.[1]?.split(',').map((v) => v.trim());
    const values = listed ?? CONVENTIONAL_VALUES[label] ?? [...new Set([...(input.selected.get(label) ?? []), `${label}-1`, `${label}-2`])];
    groups.push(values.map((v) => ({ [label]: v })));
  }
  return cartesian(groups);
}

/** The targets a metric is scraped from: its owner's, every target for the scraper's own series, or an exporter outside the stack. */
function targetsOf(metric: MetricDefinition, input: SyntheticSeriesInput): { labels: StringMap; interval: number; honorLabels: boolean }[] {
  if (metric.owner === SCRAPER_OWNER) return input.targets.map((t) => ({ labels: t.labels, interval: t.interval, honorLabels: false }));
  if (input.components.has(metric.owner)) return input.targets.filter((t) => t.component === metric.owner);
  const ns = input.exporterNamespace;
  const labels = { job: metric.owner, namespace: ns, service: metric.owner, endpoint: 'http-metrics', pod: `${metric.owner}-0`, container: metric.owner, instance: `${metric.owner}.${ns}.svc:8080` };
  return [{ labels, interval: EXTERNAL_INTERVAL, honorLabels: true }];
}

/** Target and exporter labels merged as Prometheus merges them. */
function merge(target: StringMap, exporter: StringMap, honorLabels: boolean): StringMap {
  const merged: Record<string, string> = { ...target };
  for (const [k, v] of Object.entries(exporter)) {
    if (k in target && !honorLabels) merged[`exported_${k}`] = v;
    else merged[k] = v;
  }
  return merged;
}

const escape = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

function seriesText(name: string, labels: StringMap): string {
  const body = Object.keys(labels)
    .sort()
    .map((k) => `${k}="${escape(labels[k]!)}"`)
    .join(',');
  return `${name}{${body}}`;
}

/** Standard normal CDF (Abramowitz and Stegun 7.1.26). */
function normalCdf(x: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(x) / Math.SQRT2));
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** A counter's value at `t`: a rate swinging by a third over an hour, integrated. */
function counterAt(rate: number, phase: number, offset: number, t: number, start: number): number {
  const w = (2 * Math.PI) / 3600;
  const x = t - start;
  return Math.floor(offset + rate * x + ((rate / 3) * (Math.cos(phase) - Math.cos(w * x + phase))) / w);
}

function gaugeAt(name: string, rnd: () => number, capacity: number, t: number): number {
  const swing = 0.5 + 0.5 * Math.sin((2 * Math.PI * t) / 2700 + rnd() * 6);
  if (/(^|_)up$/.test(name)) return 1;
  if (/_timestamp_seconds$|_time$/.test(name)) return /last|start|created/.test(name) ? t - Math.round(60 + 840 * swing) : t + Math.round(86400 * (1 + 29 * rnd()));
  if (/_seconds$/.test(name)) return Math.round(30 + 600 * swing);
  if (/_bytes$/.test(name)) return /capacity|size|limit|total/.test(name) ? capacity : Math.round(capacity * (0.2 + 0.5 * swing));
  if (/_ratio$/.test(name)) return Math.round(1000 * swing) / 1000;
  return Math.round(100 * swing);
}

/** Writes the series of every metric to `file` as OpenMetrics and says how many it wrote. */
export function writeSyntheticSeries(input: SyntheticSeriesInput, file: string): SyntheticSeriesSummary {
  const fd = openSync(file, 'w');
  let chunk: string[] = [];
  let size = 0;
  const emit = (line: string): void => {
    chunk.push(line);
    size += line.length;
    if (size > 1 << 20) flush();
  };
  const flush = (): void => {
    writeSync(fd, chunk.join(''));
    chunk = [];
    size = 0;
  };
  const seen = new Set<string>();
  let samples = 0;
  let written = 0;
  try {
    for (const metric of input.metrics) {
      for (const target of targetsOf(metric, input)) {
        const times: number[] = [];
        for (let t = input.end; t >= input.start; t -= target.interval) times.unshift(t);
        for (const own of exporterLabelSets(metric, input)) {
          const labels = merge(target.labels, own, target.honorLabels);
          const key = seriesText(metric.name, labels);
          if (seen.has(key)) continue;
          seen.add(key);
          const rnd = random(key);
          const errorLike = Object.values(own).some((v) => ERROR_VALUE.test(v));
          const rate = (0.5 + 20 * rnd()) * (errorLike ? 0.02 : 1);
          const phase = rnd() * 2 * Math.PI;
          const offset = Math.floor(rnd() * 10000);
          const write = (name: string, extra: StringMap, value: (t: number) => number): void => {
            const prefix = seriesText(name, { ...labels, ...extra });
            for (const t of times) emit(`${prefix} ${value(t)} ${t}\n`);
            samples += times.length;
            written++;
          };
          if (metric.type === 'counter') write(metric.name, {}, (t) => counterAt(rate, phase, offset, t, input.start));
          else if (metric.type === 'gauge') {
            const capacity = 2 ** 30 * 50 * (1 + Math.floor(random(JSON.stringify(own))() * 4));
            write(metric.name, {}, (t) => gaugeAt(metric.name, random(key), capacity, t));
          } else {
            const unit = HISTOGRAM_UNITS.find((u) => u.suffix.test(metric.name))!;
            const median = unit.median * (0.7 + 0.6 * rnd());
            const mean = median * Math.exp(0.5);
            const observations = (t: number): number => counterAt(rate, phase, offset, t, input.start);
            for (const le of metric.buckets ?? unit.buckets) {
              const share = normalCdf(Math.log(le / median));
              write(`${metric.name}_bucket`, { le: String(le) }, (t) => Math.floor(observations(t) * share));
            }
            write(`${metric.name}_bucket`, { le: '+Inf' }, observations);
            write(`${metric.name}_sum`, {}, (t) => Math.round(observations(t) * mean * 1000) / 1000);
            write(`${metric.name}_count`, {}, observations);
          }
        }
      }
    }
    emit('# EOF\n');
    flush();
  } finally {
    closeSync(fd);
  }
  return { series: written, samples };
}
