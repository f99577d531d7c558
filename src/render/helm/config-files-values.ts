import { combinedChecksum, configChecksum } from '../../lib/config-files.ts';
import type { Sentinels } from './sentinels.ts';

/*
 * ConfigMaps in the Helm charts: their data is a value, `configFiles`, carried as synth renders it
 * and never parsed, and the pods' `checksum/*` annotations are recomputed from it in the chart.
 */

/** A rendered object, as far as these helpers read it. */
export type Kube = { kind: string; metadata: { name?: string; annotations?: Record<string, string> }; [k: string]: unknown };

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

/** The ConfigMaps of a chart's objects, as `configFiles` values: data by `configFiles` key. */
export function configFilesOf(objects: readonly Kube[], chart: string): Record<string, Record<string, string>> {
  return Object.fromEntries(
    objects.filter((o) => o.kind === 'ConfigMap').map((o) => [configFilesKey(o, chart), { ...(o['data'] as Record<string, string>) }]),
  );
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

  public constructor(chart: string, objects: readonly Kube[], sentinels: Sentinels) {
    this.chart = chart;
    this.sentinels = sentinels;
    this.keys = Object.keys(configFilesOf(objects, chart)).sort();
  }

  /** `obj` with its ConfigMap data or checksum annotations taken from values. */
  public template(obj: Kube): Kube {
    if (obj.kind === 'ConfigMap') {
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
