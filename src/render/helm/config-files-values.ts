import { combinedChecksum, configChecksum } from '../../lib/config-files.ts';
import type { Sentinels } from './sentinels.ts';

/*
 * ConfigMaps in the Helm charts: the data of those the chart's pods read is a value, `configFiles`,
 * carried as synth renders it and never parsed, and the pods' `checksum/*` annotations are
 * recomputed from it in the chart. A ConfigMap no pod reads (a Grafana dashboard, picked up by
 * its label) is a plain template like any other object.
 */

/** A rendered object, as far as these helpers read it. */
export type Kube = { kind: string; metadata: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; [k: string]: unknown };

/** Pod annotations whose value is a checksum of the chart's ConfigMaps. */
const CHECKSUM_ANNOTATION = /^checksum\//;

function podAnnotations(o: Kube): Record<string, string> | undefined {
  return (o as { spec?: { template?: { metadata?: { annotations?: Record<string, string> } } } }).spec?.template?.metadata?.annotations;
}

/** The `configFiles` key of one of the chart's ConfigMaps: its name after `<chart>-`. */
function configFilesKey(o: Kube, chart: string): string {
  const name = o.metadata.name ?? '';
  if (!name.startsWith(`${chart}-`)) throw new Error(`chart ${chart}: ConfigMap "${name}" must be named ${chart}-<files> to be carried in configFiles`);
  return name.slice(chart.length + 1);
}

/** Fields that name a ConfigMap an object reads: a volume or projected source, `envFrom`, an `env` key reference. */
const CONFIG_MAP_REFERENCES = new Set(['configMap', 'configMapRef', 'configMapKeyRef']);

/** Adds to `names` the names of the ConfigMaps `value` references. */
function referencedConfigMaps(value: unknown, names: Set<string>): void {
  if (Array.isArray(value)) for (const v of value) referencedConfigMaps(v, names);
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      const name = CONFIG_MAP_REFERENCES.has(k) ? (v as { name?: unknown }).name : undefined;
      if (typeof name === 'string') names.add(name);
      else referencedConfigMaps(v, names);
    }
  }
}

/** The ConfigMaps of a chart's objects that its other objects read: its config files. */
function configFileMaps(objects: readonly Kube[]): Kube[] {
  const read = new Set<string>();
  for (const o of objects) if (o.kind !== 'ConfigMap') referencedConfigMaps(o, read);
  return objects.filter((o) => o.kind === 'ConfigMap' && read.has(o.metadata.name ?? ''));
}

/** The config files of a chart's objects (the ConfigMaps its pods read), as `configFiles` values: data by `configFiles` key. */
export function configFilesOf(objects: readonly Kube[], chart: string): Record<string, Record<string, string>> {
  return Object.fromEntries(configFileMaps(objects).map((o) => [configFilesKey(o, chart), { ...(o['data'] as Record<string, string>) }]));
}

/** A `checksum/*` pod annotation as synth computes it (`combinedChecksum`) from `configFiles`. */
function podChecksum(files: Readonly<Record<string, Readonly<Record<string, string>>>>): string {
  return combinedChecksum(Object.fromEntries(Object.entries(files).map(([k, data]) => [k, configChecksum(data)])));
}

/** The same checksum as a template expression over `configFiles`. */
function podChecksumExpression(chart: string, keys: readonly string[]): string {
  const sums = [...keys].sort().map((k) => `include "${chart}.configChecksum" (index $.Values.configFiles "${k}")`);
  return sums.length === 1 ? sums[0]! : `sha256sum (print ${sums.map((x) => `(${x})`).join(' ')})`;
}

/**
 * A chart's ConfigMaps as values: their data is the value `configFiles` (by name after
 * `<chart>-`), carried as is and never parsed, and every `checksum/*` pod annotation is
 * recomputed from it, so a file changed through values rolls the pods as synth's checksum does.
 */
export class ConfigFilesAsValues {
  /** The `configFiles` keys: one per ConfigMap of the chart. */
  public readonly keys: readonly string[];
  private readonly chart: string;
  private readonly sentinels: Sentinels;
  private readonly files: ReadonlySet<Kube>;

  public constructor(chart: string, objects: readonly Kube[], sentinels: Sentinels) {
    this.chart = chart;
    this.sentinels = sentinels;
    this.files = new Set(configFileMaps(objects));
    this.keys = [...this.files].map((o) => configFilesKey(o, chart)).sort();
  }

  /** `obj` with its ConfigMap data or checksum annotations taken from values; any other object as it is. */
  public template(obj: Kube): Kube {
    if (this.files.has(obj)) {
      return { ...obj, data: this.sentinels.object(`(index $.Values.configFiles "${configFilesKey(obj, this.chart)}")`) };
    }
    const checksums = Object.keys(podAnnotations(obj) ?? {}).filter((k) => CHECKSUM_ANNOTATION.test(k));
    if (checksums.length === 0) return obj;
    const out = structuredClone(obj);
    const annotations = podAnnotations(out)!;
    for (const k of checksums) annotations[k] = this.sentinels.string(podChecksumExpression(this.chart, this.keys));
    return out;
  }

  /** The `configFiles` property of the values schema; none when the chart has no ConfigMaps. */
  public schema(): Record<string, object> {
    if (this.keys.length === 0) return {};
    const files = { type: 'object', additionalProperties: { type: 'string' } };
    return {
      configFiles: { type: 'object', additionalProperties: false, required: [...this.keys], properties: Object.fromEntries(this.keys.map((k) => [k, files])) },
    };
  }
}

/**
 * The chart recomputes the pods' `checksum/*` annotations from `configFiles`: prove, for every
 * environment, that this gives synth's value, so the chart rolls pods exactly when dist/ does.
 */
export function proveChecksums(chart: string, rendered: ReadonlyMap<string, readonly Kube[]>): void {
  const problems: string[] = [];
  for (const [env, objects] of rendered) {
    const files = configFilesOf(objects, chart);
    const expected = podChecksum(files);
    for (const o of objects) {
      for (const [k, v] of Object.entries(podAnnotations(o) ?? {})) {
        if (!CHECKSUM_ANNOTATION.test(k) || v === expected) continue;
        problems.push(
          `[${env}] chart ${chart}: ${o.kind}/${o.metadata.name ?? ''} ${k} is ${v}, but the chart computes ${expected} ` +
            `from its ConfigMaps (${Object.keys(files).sort().join(', ') || 'none'}); make src/render/helm/config-files-values.ts compute it as synth does`,
        );
      }
    }
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
}
