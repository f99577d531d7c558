import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import yaml from 'js-yaml';
import { tempDir } from '../_helpers.ts';
import { shared } from '../_run-cache.ts';
import { folderDigest, type Helm, type HelmResult } from './_helm.ts';

/*
 * `helm template` of several charts in one Helm process, as Helm renders an umbrella's
 * subcharts: a wrapper chart whose charts/ folder links each chart, each chart's values nested
 * under its name. Helm's start is most of a small chart's render (0.09 of 0.13 s), and five
 * charts render in one process in about the time of one.
 *
 * What a chart renders as a subchart of a wrapper with no values of its own is what it renders
 * alone: the same values (its values.yaml, then the file and --set given for it), the same release
 * name and namespace, the same `.Chart`; its values.schema.json is checked the same way.
 * charts.test.ts proves it for every chart and Helm: the objects, hooks included, and their order
 * are those of the chart's own `helm template`. A chart whose batch fails (one member's schema
 * refusing a value fails the whole render) is rendered alone.
 *
 * Values a schema must refuse batch the same way (`batchedRefusals`): Helm checks every chart's
 * values and prints each chart's errors under its name.
 */

/** One `helm template` call that a batch can make: release, namespace, values file and --set values. */
export interface TemplateCall {
  readonly release: string;
  readonly chartDir: string;
  /** `-n`. @default - none */
  readonly namespace?: string;
  /** `-f`: a file of the chart's own folder (`values-prod.yaml`), given to every member that has one. @default - none */
  readonly valuesFile?: string;
  /** `--set` values, in order. @default - none */
  readonly sets: readonly string[];
}

/** A `--set` value that names one key (no `a=1,b=2`), which the batch nests under a chart's name. */
const SINGLE_SET = /^[A-Za-z_][\w-]*(\[\d+\])?(\.[A-Za-z_][\w-]*(\[\d+\])?)*=(\{[^{}]*\}|[^,{}]*)$/;

/**
 * The call `args` (after `template <release> <chart>`) make, when a batch can make it: only
 * `-n`, `--set` of one key each, and `-f` of a values file of the chart's own folder.
 */
export function batchableCall(release: string, chartDir: string, args: readonly string[]): TemplateCall | undefined {
  let namespace: string | undefined;
  let valuesFile: string | undefined;
  const sets: string[] = [];
  for (let i = 0; i < args.length; i += 2) {
    const [flag, value] = [args[i], args[i + 1]];
    if (value === undefined) return undefined;
    if (flag === '-n' && namespace === undefined) namespace = value;
    else if (flag === '--set' && SINGLE_SET.test(value)) sets.push(value);
    else if (flag === '-f' && valuesFile === undefined && join(chartDir, basename(value)) === value) valuesFile = basename(value);
    else return undefined;
  }
  return { release, chartDir, sets, ...(namespace === undefined ? {} : { namespace }), ...(valuesFile === undefined ? {} : { valuesFile }) };
}

/** The charts of `chartDirs` that can join `call`'s batch: those whose values.yaml has the top key of every --set value, and that have the values file. */
function members(call: TemplateCall, chartDirs: readonly string[]): string[] {
  const keys = call.sets.map((s) => /^[A-Za-z_][\w-]*/.exec(s)![0]);
  return chartDirs.filter((dir) => {
    if (call.valuesFile !== undefined && !existsSync(join(dir, call.valuesFile))) return false;
    const defaults = (yaml.load(readFileSync(join(dir, 'values.yaml'), 'utf8')) ?? {}) as Record<string, unknown>;
    return keys.every((k) => k in defaults);
  });
}

const nameOf = (chartDir: string): string => (yaml.load(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8')) as { name: string }).name;

/**
 * The wrapper chart of `dirs`: its folder, and the values file holding each member's values under
 * its name (those of its `valuesFile`, when given).
 */
function wrapper(dirs: readonly string[], valuesFile?: string): { chart: string; values: string } {
  const root = tempDir('helm-batch');
  const chart = join(root, 'batch');
  mkdirSync(join(chart, 'charts'), { recursive: true });
  writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: batch\nversion: 0.0.0\n');
  const values: Record<string, unknown> = {};
  for (const dir of dirs) {
    const name = nameOf(dir);
    symlinkSync(dir, join(chart, 'charts', name));
    values[name] = valuesFile === undefined ? {} : (yaml.load(readFileSync(join(dir, valuesFile), 'utf8')) ?? {});
  }
  const file = join(root, 'values.yaml');
  writeFileSync(file, yaml.dump(values));
  return { chart, values: file };
}

/** Each member's documents of a batch's output, by chart name, as its own `helm template` prints them (each `---` and its `# Source` line). */
function split(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const doc of stdout.split(/^---\n/m)) {
    const name = /^# Source: batch\/charts\/([^/]+)\//m.exec(doc)?.[1];
    if (name !== undefined) out.set(name, `${out.get(name) ?? ''}---\n${doc.replace(/^# Source: batch\/charts\//m, '# Source: ')}`);
  }
  return out;
}

/**
 * `helm template` as `call` asks it of its chart, made in one Helm process with the same call of
 * every other chart of `chartDirs` that can take it: the chart's stdout as its own render prints
 * its documents, or undefined when the batch failed (the caller renders the chart alone). Each
 * distinct batch runs once per test run (test/_run-cache.ts).
 */
export async function batchedTemplate(h: Helm, call: TemplateCall, chartDirs: readonly string[]): Promise<HelmResult | undefined> {
  const dirs = members(call, chartDirs);
  if (dirs.length < 2 || !dirs.includes(call.chartDir)) return undefined;
  const key = JSON.stringify({ batch: h.path, call: { ...call, chartDir: undefined }, charts: dirs.map((d) => [d, folderDigest(d)]) });
  const dir = await shared(key, async (d) => {
    const { chart, values } = wrapper(dirs, call.valuesFile);
    const namespace = call.namespace === undefined ? [] : ['-n', call.namespace];
    const sets = dirs.flatMap((m) => call.sets.flatMap((s) => ['--set', `${nameOf(m)}.${s}`]));
    const out = await h.run('template', call.release, chart, '-f', values, ...namespace, ...sets);
    writeFileSync(join(d, 'result.json'), JSON.stringify(out.code === 0 ? Object.fromEntries(split(out.stdout)) : null));
  });
  const parts = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as Record<string, string> | null;
  if (parts === null) return undefined;
  return { stdout: parts[nameOf(call.chartDir)] ?? '', stderr: '', code: 0 };
}

/**
 * `h`'s `helm template <release> <chartDir> ...args`: in one Helm process with the same call of
 * the other charts of `batchWith` where a batch can make it, else alone.
 */
export async function templateChart(h: Helm, release: string, chartDir: string, args: readonly string[], batchWith: readonly string[]): Promise<HelmResult> {
  const call = batchableCall(release, chartDir, args);
  return (call && (await batchedTemplate(h, call, batchWith))) ?? h.run('template', release, chartDir, ...args);
}

/** A value a chart's values.schema.json must refuse: the chart, and the one `--set` that gives it. */
export interface Refusal {
  readonly chartDir: string;
  readonly set: string;
}

const SCHEMA_ERRORS = "values don't meet the specifications of the schema(s) in the following chart(s):\n";

/**
 * The schema errors of a failed `helm template`, by chart name: Helm checks the values of every
 * chart it renders against the chart's own values.schema.json, and lists every error under the
 * chart's name (Helm 3 one line per error, Helm 4 a tree of `- at '<pointer>'` lines). Undefined
 * when Helm did not fail a schema check.
 */
export function schemaErrorsByChart(stderr: string): Map<string, string[]> | undefined {
  const at = stderr.indexOf(SCHEMA_ERRORS);
  if (at < 0) return undefined;
  const out = new Map<string, string[]>();
  let errors: string[] | undefined;
  for (const line of stderr.slice(at + SCHEMA_ERRORS.length).split('\n')) {
    if (line.trim() === '') break;
    const chart = /^([^\s-][^\s]*):$/.exec(line)?.[1];
    if (chart !== undefined) out.set(chart, (errors = []));
    else errors?.push(line);
  }
  return out;
}

/**
 * Every refusal of `refusals` in one Helm process: a wrapper links each of their charts (as
 * batchedTemplate does), each chart takes every value refused of it at once, and Helm prints each
 * chart's schema errors under its name. Each chart's errors are those the chart alone prints
 * given the same values (charts.test.ts proves it per chart and Helm), and an error names its
 * key, so each value's own refusal can be read from them. Returns each chart's error lines by its
 * folder, or undefined when Helm did not fail the batch as a schema check fails (the caller runs
 * each refusal alone). Each distinct batch runs once per test run (test/_run-cache.ts).
 */
export async function batchedRefusals(h: Helm, refusals: readonly Refusal[]): Promise<Map<string, string[]> | undefined> {
  const dirs = [...new Set(refusals.map((r) => r.chartDir))];
  const key = JSON.stringify({ refusals: h.path, sets: refusals.map((r) => [r.chartDir, r.set]), charts: dirs.map((d) => [d, folderDigest(d)]) });
  const dir = await shared(key, async (d) => {
    const { chart, values } = wrapper(dirs);
    const sets = refusals.flatMap((r) => ['--set', `${nameOf(r.chartDir)}.${r.set}`]);
    const out = await h.run('template', 'crumpet', chart, '-f', values, ...sets);
    const errors = out.code === 0 ? undefined : schemaErrorsByChart(out.stderr);
    writeFileSync(join(d, 'result.json'), JSON.stringify(errors === undefined ? null : Object.fromEntries(dirs.map((c) => [c, errors.get(nameOf(c)) ?? null]))));
  });
  const byDir = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as Record<string, string[] | null> | null;
  if (byDir === null) return undefined;
  return new Map(Object.entries(byDir).flatMap(([d, lines]) => (lines === null ? [] : [[d, lines] as const])));
}
