import { isDeepStrictEqual } from 'node:util';
import { objectId } from '../../analysis/kube-objects.ts';
import { withSyncWave, type WaveObject } from '../../lib/gitops/index.ts';
import { LABEL_VALUE_PIPELINES } from '../../lib/labels.ts';
import { isMap } from '../../lib/values/index.ts';
import { at } from './chart-fields.ts';
import type { ChartToggle } from './component-chart.ts';
import type { Kube } from './config-files-values.ts';
import { STRING_MARKER, valuePathOf, type Sentinels } from './sentinels.ts';

/*
 * Synth's proof, without Helm, that a chart renders each environment's dist/ objects: the
 * chart's objects (as templated, with their sync wave, without the Helm-only labels) with each
 * marker replaced by what it renders for the environment's values (values.yaml under
 * values-<env>.yaml) must equal the environment's objects, for the objects its values switch on.
 * A marker that reads a value as it is (`$.Values.x`) renders that value; any other (a helper
 * such as the fullname, a release field) is bound to what dist/ has at its first place and must
 * render the same at every other. What is not a marker is literal in the chart: where dist/
 * differs there, the objects read a model field that differs between environments and that the
 * chart has no value for, so the chart would install the first environment's value everywhere.
 */

/** One object of a chart: as templated (without the Helm-only labels), and the switch it is rendered under. */
export interface ChartedObject {
  readonly object: Kube;
  /** @default - always rendered */
  readonly toggle?: ChartToggle;
}

/** An environment the chart serves: its values (values.yaml with its overlay) and its objects in dist/. */
export interface ProvedEnvironment {
  readonly env: string;
  readonly values: Record<string, unknown>;
  readonly objects: readonly Kube[];
}

/** A field's absence, on either side. */
const ABSENT = Symbol('absent');

/** Why a field differs, and what fixes it. */
const CAUSES = {
  model: 'the value comes from a model field the chart has no value for: make it a chart value (a ChartField of the chart, or a setting of the component, as statelessComponent ownSettings makes one) or the same in every environment',
  value: 'the chart renders it from its values, which do not give what the model gives: make the chart carry the value as the constructs render it',
  object: 'whether it exists comes from a model field the chart has no switch for: make that field a switch (a ChartToggle of the chart) or the same in every environment',
} as const;

interface Problem {
  readonly path: string;
  readonly chart: unknown;
  readonly dist: unknown;
  readonly cause: keyof typeof CAUSES;
  /** What differs, in place of both values. @default - both values */
  readonly what?: string;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Whether text holds a string marker (STRING_MARKER is global, so its `test` would keep state). */
const HAS_MARKER = new RegExp(STRING_MARKER.source);

/** A scalar as `{{ x }}` or `{{ x | quote }}` prints it. */
function printed(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** The chart's objects compared with one environment's, field by field. */
class EnvironmentRender {
  /** What each marker that reads no value as it is renders in this environment, learnt from dist/. */
  private readonly bound = new Map<string, string>();
  private readonly reads = new Map<string, { value: unknown } | undefined>();
  /** Where the comparison is: keys and indexes from the object down, joined only for a difference. */
  private readonly path: (string | number)[] = [];
  public readonly problems: Problem[] = [];

  public constructor(
    private readonly s: Sentinels,
    private readonly values: Record<string, unknown>,
  ) {}

  /** The value `expression` renders as it is, when it reads one. */
  public read(expression: string): { value: unknown } | undefined {
    if (!this.reads.has(expression)) {
      const path = valuePathOf(expression);
      this.reads.set(expression, path ? { value: at(this.values, path) } : undefined);
    }
    return this.reads.get(expression);
  }

  /** Compares the chart's `chart` with dist/'s `dist` (one object's), recording each difference. */
  public compare(chart: unknown, dist: unknown): void {
    if (typeof chart === 'string') return this.string(chart, dist);
    if (typeof chart === 'number' && this.s.owns(chart)) return this.whole(this.s.numberMarkers().get(chart)!, dist, false);
    if (Array.isArray(chart)) return this.list(chart, dist);
    if (isMap(chart)) {
      if (!isMap(dist)) return this.differ(chart, dist, 'model');
      for (const k in chart) {
        this.path.push(k);
        if (Object.hasOwn(dist, k)) this.compare(chart[k], dist[k]);
        // A field the chart renders under a condition (replicas an autoscaler owns) may be left out.
        else if (!(typeof chart[k] === 'number' && this.s.numberConditions().has(chart[k]))) this.differ(chart[k], ABSENT, 'model');
        this.path.pop();
      }
      for (const k in dist) {
        if (Object.hasOwn(chart, k)) continue;
        this.path.push(k);
        this.differ(ABSENT, dist[k], 'model');
        this.path.pop();
      }
      return;
    }
    if (!isDeepStrictEqual(chart, dist)) this.differ(chart, dist, 'model');
  }

  private string(chart: string, dist: unknown): void {
    const whole = this.s.wholeValues().get(chart);
    if (whole !== undefined) return this.whole(whole, dist, false);
    const expression = this.s.stringMarkers().get(chart);
    if (expression !== undefined) {
      const key = this.path[this.path.length - 1];
      const pipeline = typeof key === 'string' ? LABEL_VALUE_PIPELINES[key] : undefined;
      return this.whole(pipeline ? `${expression} | ${pipeline}` : expression, dist, true);
    }
    if (!HAS_MARKER.test(chart)) return void (chart === dist || this.differ(chart, dist, 'model'));
    this.inString(chart, dist);
  }

  /** A marker standing for the whole field: its value, as text when `quoted` (`{{ x | quote }}`). */
  private whole(expression: string, dist: unknown, quoted: boolean): void {
    const read = this.read(expression);
    if (read) {
      const rendered = quoted ? printed(read.value) ?? read.value : read.value;
      if (!isDeepStrictEqual(rendered, dist)) this.differ(rendered, dist, 'value');
      return;
    }
    const key = quoted ? `text ${expression}` : `json ${expression}`;
    const text = quoted && typeof dist === 'string' ? dist : JSON.stringify(dist);
    const first = this.bound.get(key);
    if (first === undefined) this.bound.set(key, text);
    else if (first !== text) this.differ(quoted ? first : (JSON.parse(first) as unknown), dist, 'value');
  }

  /** Text with markers as far as this environment renders them: a value, or what dist/ showed; `{{ x }}` for a marker not seen yet. */
  public text(chart: string): { parts: string[]; expressions: string[]; texts: (string | undefined)[]; rendered: string } {
    const parts = chart.split(STRING_MARKER);
    const expressions = [...chart.matchAll(STRING_MARKER)].map((m) => this.s.stringMarkers().get(m[0]) ?? m[0]);
    const texts = expressions.map((e) => {
      const read = this.read(e);
      return read ? printed(read.value) : this.bound.get(`text ${e}`);
    });
    const rendered = parts.map((p, i) => p + (i < texts.length ? (texts[i] ?? `{{ ${expressions[i]} }}`) : '')).join('');
    return { parts, expressions, texts, rendered };
  }

  /**
   * Text with markers inside (`{{ x }}` among literal text): the literal text with each marker's
   * value, or what it renders elsewhere in the environment; a marker not seen yet matches any
   * text, and renders that from then on.
   */
  private inString(chart: string, dist: unknown): void {
    const { parts, expressions, texts, rendered } = this.text(chart);
    if (rendered === dist) return;
    const groups = new Map<string, string>();
    const pattern = parts.map((p, i) => {
      if (i >= texts.length) return escapeRegExp(p);
      const e = expressions[i]!;
      const text = texts[i];
      if (text !== undefined) return escapeRegExp(p) + escapeRegExp(text);
      if (groups.has(e)) return `${escapeRegExp(p)}\\k<${groups.get(e)}>`;
      groups.set(e, `m${groups.size}`);
      return `${escapeRegExp(p)}(?<${groups.get(e)}>[\\s\\S]*?)`;
    });
    const hit = groups.size > 0 && typeof dist === 'string' ? new RegExp(`^${pattern.join('')}$`).exec(dist) : null;
    if (hit) {
      for (const [e, group] of groups) this.bound.set(`text ${e}`, hit.groups![group]!);
      return;
    }
    // The literal text matches with any rendering of the markers: a value renders otherwise than dist/ has it.
    const literal = new RegExp(`^${parts.map(escapeRegExp).join('[\\s\\S]*?')}$`);
    this.differ(rendered, dist, typeof dist === 'string' && literal.test(dist) ? 'value' : 'model');
  }

  /** A list, with each item that holds a list marker expanded to one item per element of its value. */
  private list(chart: readonly unknown[], dist: unknown): void {
    const items = this.expand(chart);
    if (items === undefined) return;
    // Items a list value renders come from the values; any other item is literal in the chart.
    const cause = items.length === chart.length ? 'model' : 'value';
    if (!Array.isArray(dist)) return this.differ(items, dist, cause);
    if (items.length !== dist.length) return this.differ(items, dist, cause, `the chart renders ${items.length} items where dist/ has ${dist.length}`);
    items.forEach((item, i) => {
      this.path.push(i);
      this.compare(item, dist[i]);
      this.path.pop();
    });
  }

  /** The items the chart's `range` renders; undefined when a list marker reads no list of the values. */
  private expand(chart: readonly unknown[]): unknown[] | undefined {
    const out: unknown[] = [];
    for (const item of chart) {
      const marker = typeof item === 'string' && this.s.listMarkers().has(item) ? item : listMarkerIn(item, this.s);
      if (marker === undefined) {
        out.push(item);
        continue;
      }
      const read = this.read(this.s.listMarkers().get(marker)!);
      if (!read || !Array.isArray(read.value)) return undefined;
      const copies = read.value.map((v) => (item === marker ? v : replaced(item, marker, v)));
      const expanded = item === marker ? copies : this.expand(copies);
      if (expanded === undefined) return undefined;
      out.push(...expanded);
    }
    return out;
  }

  private differ(chart: unknown, dist: unknown, cause: Problem['cause'], what?: string): void {
    const path = this.path.map((k, i) => (typeof k === 'number' ? `[${k}]` : /^[A-Za-z_$][\w$]*$/.test(k) ? `${i > 0 ? '.' : ''}${k}` : `[${JSON.stringify(k)}]`)).join('');
    this.problems.push({ path, chart, dist: dist === undefined ? ABSENT : dist, cause, ...(what ? { what } : {}) });
  }
}

/** The list marker a field of `item` is (through its maps, not its lists), the item the chart's `range` repeats. */
function listMarkerIn(item: unknown, s: Sentinels): string | undefined {
  if (!isMap(item)) return undefined;
  for (const v of Object.values(item)) {
    if (typeof v === 'string' && s.listMarkers().has(v)) return v;
    const inner = listMarkerIn(v, s);
    if (inner !== undefined) return inner;
  }
  return undefined;
}

/** `item` with the field that is `marker` set to `value`. */
function replaced(item: unknown, marker: string, value: unknown): unknown {
  if (item === marker) return value;
  if (!isMap(item)) return item;
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, replaced(v, marker, value)]));
}

/** Whether the environment's values switch the object on. */
function switchedOn(toggle: ChartToggle | undefined, values: Record<string, unknown>): boolean {
  if (!toggle) return true;
  const on = (key: string): boolean => at(values, [...key.split('.'), 'enabled']) === true;
  return on(toggle.key) && (toggle.part === undefined || on(`global.${toggle.part}`));
}

const WIDTH = 48;

/** A value for one line: JSON, strings cut to a window around where they differ from `other`. */
function shown(value: unknown, other: unknown): string {
  if (value === ABSENT) return 'nothing';
  if (typeof value !== 'string') {
    const json = JSON.stringify(value);
    return json.length > WIDTH ? `${json.slice(0, WIDTH)}…` : json;
  }
  let from = 0;
  if (typeof other === 'string') {
    while (from < value.length && value[from] === other[from]) from++;
    from = Math.max(0, from - WIDTH / 2);
  }
  const text = (from > 0 ? '…' : '') + value.slice(from, from + WIDTH) + (value.length > from + WIDTH ? '…' : '');
  return JSON.stringify(text);
}

/**
 * Throws, one line per field, unless the chart renders each environment's objects of dist/: the
 * environment, the chart's folder, the object and field, both values and what to change.
 */
export function proveEnvironments(chart: string, s: Sentinels, objects: readonly ChartedObject[], environments: readonly ProvedEnvironment[]): void {
  const lines: string[] = [];
  const waved = objects.map((o) => ({ ...o, object: withSyncWave(o.object as WaveObject) as Kube }));
  for (const { env, values, objects: dist } of environments) {
    const render = new EnvironmentRender(s, values);
    const where = `[${env}] charts-out/${chart}`;
    const rendered = waved.filter((o) => switchedOn(o.toggle, values)).map((o) => o.object);
    const pairs = pair(rendered, dist, s, render);
    for (const [mine, theirs] of pairs.matched) {
      const before = render.problems.length;
      render.compare(mine, theirs);
      for (const p of render.problems.slice(before)) {
        const what = p.what ?? `the chart renders ${shown(p.chart, p.dist)} where dist/ has ${shown(p.dist, p.chart)}`;
        lines.push(`${where} ${objectId(theirs)} ${p.path}: ${what}: ${CAUSES[p.cause]}`);
      }
    }
    for (const o of pairs.missing) lines.push(`${where} ${objectId(o)}: dist/ has it but the chart does not render it: ${CAUSES.object}`);
    for (const o of pairs.extra) lines.push(`${where} ${o.kind}/${render.text(o.metadata.name ?? '').rendered}: the chart renders it but dist/ does not have it: ${CAUSES.object}`);
  }
  if (lines.length > 0) throw new Error(lines.join('\n'));
}

/**
 * The chart's objects paired with dist/'s by kind and name: a name's markers that read a value
 * are that value, any other matches any text. An object of the same name is taken first, and the
 * objects with fewest candidates choose first.
 */
function pair(chart: readonly Kube[], dist: readonly Kube[], s: Sentinels, render: EnvironmentRender): { matched: [Kube, Kube][]; missing: Kube[]; extra: Kube[] } {
  const pattern = (o: Kube): RegExp => {
    const name = o.metadata.name ?? '';
    const parts = name.split(STRING_MARKER).map(escapeRegExp);
    const markers = [...name.matchAll(STRING_MARKER)].map((m) => {
      const read = render.read(s.stringMarkers().get(m[0]) ?? m[0]);
      const text = read ? printed(read.value) : undefined;
      return text === undefined ? '[\\s\\S]*?' : escapeRegExp(text);
    });
    return new RegExp(`^${parts.map((p, i) => p + (markers[i] ?? '')).join('')}$`);
  };
  const left = new Set(dist);
  const matched: [Kube, Kube][] = [];
  const extra: Kube[] = [];
  const candidates = chart.map((o) => {
    const re = pattern(o);
    return { o, exact: dist.filter((d) => d.kind === o.kind && d.metadata.name === o.metadata.name), all: dist.filter((d) => d.kind === o.kind && re.test(d.metadata.name ?? '')) };
  });
  for (const { o, exact, all } of [...candidates].sort((a, b) => a.all.length - b.all.length)) {
    const found = [...exact, ...all].find((d) => left.has(d));
    if (found) {
      left.delete(found);
      matched.push([o, found]);
    } else extra.push(o);
  }
  return { matched, missing: [...left], extra };
}
