import yaml from 'js-yaml';
import { withSyncWave, type WaveObject } from '../../lib/gitops/index.ts';
import { LABEL_VALUE_PIPELINES } from '../../lib/labels.ts';
import { STRING_MARKER, type Sentinels } from './sentinels.ts';

/** One object of a chart, with the condition under which the chart renders it. */
export interface TemplateObject {
  readonly object: unknown;
  /** Go template condition (e.g. `.Values.autoscaling.enabled`). @default - always rendered */
  readonly condition?: string;
}

/*
 * The objects' own braces (Prometheus annotations, Grafana legends) are set aside as private-use
 * characters while the markers become template actions, then printed by actions of their own,
 * so Helm renders them as they are.
 */
const [OPEN, CLOSE] = ['\uE000', '\uE001'];
const setAside = (text: string): string => text.replace(/\{\{/g, OPEN).replace(/\}\}/g, CLOSE);
const printBraces = (text: string): string => text.replace(/[\uE000\uE001]/g, (c) => (c === OPEN ? '{{ "{{" }}' : '{{ "}}" }}'));

const LINE = /^(\s*)(- )?([^\s:#"'][^:]*: )?(.*)$/;

function unquote(value: string): string {
  if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) return JSON.parse(value) as string;
  if (value.startsWith("'") && value.endsWith("'") && value.length >= 2) return value.slice(1, -1).replace(/''/g, "'");
  return value;
}

/** A YAML double-quoted string of literal text and template actions (left unescaped). */
function quoted(parts: readonly ({ literal: string } | { action: string })[]): string {
  const body = parts
    .map((p) => ('action' in p ? `{{ ${p.action} }}` : JSON.stringify(p.literal).slice(1, -1)))
    .join('');
  return `"${body}"`;
}

/**
 * Turns one YAML line into template text. A scalar that is exactly a whole-value marker renders
 * its expression as is (`toJson`, composites); exactly a string marker, `{{ expr | quote }}`;
 * exactly a number marker, `{{ expr }}` (inside an `if` when the marker has a condition); with
 * markers inside, a quoted string with an action in place of each marker.
 */
function templateLine(line: string, sentinels: Sentinels): string {
  const m = LINE.exec(line);
  if (!m) return line;
  const [, indent = '', dash = '', key = '', rawValue = ''] = m;
  const value = unquote(rawValue);
  const lead = `${indent}${dash}${key}`;
  const list = dash && !key ? sentinels.listMarkers().get(value) : undefined;
  if (list !== undefined) return `${indent}{{- range ${list} }}\n${indent}- {{ . | quote }}\n${indent}{{- end }}`;
  const whole = sentinels.wholeValues().get(value);
  if (whole !== undefined) return `${lead}{{ ${whole} }}`;
  const strings = sentinels.stringMarkers();
  const str = strings.get(value);
  if (str !== undefined) {
    const pipeline = LABEL_VALUE_PIPELINES[key.slice(0, -2)];
    return `${lead}{{ ${str}${pipeline ? ` | ${pipeline}` : ''} | quote }}`;
  }
  const num = /^\d+$/.test(value) ? sentinels.numberMarkers().get(Number(value)) : undefined;
  if (num !== undefined) {
    const condition = sentinels.numberConditions().get(Number(value));
    return condition === undefined ? `${lead}{{ ${num} }}` : `{{- if ${condition} }}\n${lead}{{ ${num} }}\n{{- end }}`;
  }
  if (!value.match(STRING_MARKER)) return line;
  const parts: ({ literal: string } | { action: string })[] = [];
  let last = 0;
  for (const hit of value.matchAll(STRING_MARKER)) {
    parts.push({ literal: value.slice(last, hit.index) }, { action: strings.get(hit[0]) ?? fail(hit[0]) });
    last = hit.index + hit[0].length;
  }
  parts.push({ literal: value.slice(last) });
  return `${lead}${quoted(parts)}`;
}

function fail(marker: string): never {
  throw new Error(`template marker ${marker} has no expression`);
}

/** `text` (literal template text: a block scalar's line, NOTES.txt) with each string marker as its action. */
export function withActions(text: string, sentinels: Sentinels): string {
  return text.replace(STRING_MARKER, (m) => `{{ ${sentinels.stringMarkers().get(m) ?? fail(m)} }}`);
}

const KEY_VALUE = /^(\s*)((?:- )?[^\s:#"'][^:]*: )(.*)$/;
const ITEM = /^(\s*)- /;
const indentOf = (line: string): number => line.length - line.trimStart().length;

/**
 * Expands list items that hold a list-item marker in one of their fields (`- ipBlock: {cidr:
 * <marker>}`) into a `range` over the marker's list, one item per element: the YAML form of
 * `cidrs.map((cidr) => ({ ipBlock: { cidr } }))`. Plain `- <marker>` items are left to
 * {@link templateLine}.
 */
function expandListItems(lines: readonly string[], sentinels: Sentinels): string[] {
  const out = [...lines];
  const markerAt = (line: string) => {
    const m = KEY_VALUE.exec(line);
    const list = m ? sentinels.listMarkers().get(unquote(m[3]!)) : undefined;
    return list === undefined ? undefined : { indent: m![1]!, key: m![2]!, list };
  };
  for (let n = 0; ; n++) {
    const k = out.findIndex((line) => markerAt(line) !== undefined);
    if (k < 0) return out;
    const { indent, key, list } = markerAt(out[k]!)!;
    // The item holding the field: this line when the field is the item's first, else the nearest above.
    let start = k;
    while (start >= 0 && !(ITEM.test(out[start]!) && (start === k || indentOf(out[start]!) < indent.length))) start--;
    if (start < 0) throw new Error(`the list marker of ${list} is in no list item: ${out[k]}`);
    let end = start + 1;
    while (end < out.length && indentOf(out[end]!) > indentOf(out[start]!) + 1) end++;
    const variable = `$item${n}`;
    const pad = ' '.repeat(indentOf(out[start]!));
    out[k] = `${indent}${key}{{ ${variable} | quote }}`;
    out.splice(end, 0, `${pad}{{- end }}`);
    out.splice(start, 0, `${pad}{{- range ${variable} := ${list} }}`);
  }
}

/** A line opening a block scalar (`key: |`, `- >-`): the lines indented deeper are its text. */
const BLOCK_SCALAR = /(?:^\s*- |: )[|>][-+]?\d*$/;

/**
 * Each line as template text. The text of a block scalar (a dashboard's JSON, a multi-line
 * query) is literal: a marker in it becomes its action as is, neither quoted nor parsed as YAML.
 */
function templateLines(lines: readonly string[], sentinels: Sentinels): string[] {
  let block: number | undefined;
  return lines.map((line) => {
    if (block !== undefined && (line.trim() === '' || indentOf(line) > block)) return withActions(line, sentinels);
    block = BLOCK_SCALAR.test(line) ? indentOf(line) : undefined;
    return templateLine(line, sentinels);
  });
}

/**
 * Renders objects into Helm template text: each object a YAML document with its markers
 * replaced, wrapped in `{{- if }}` when it has a condition. Each carries its Argo CD sync wave,
 * as the same object in dist/ does.
 */
export function templateObjects(objects: readonly TemplateObject[], sentinels: Sentinels): string {
  return templateDocuments(objects.map(({ object, condition }) => ({ body: templateObject(object, sentinels), ...(condition ? { condition } : {}) })));
}

/** An autoscaler's replica bound as its template renders it: a value's expression (`$.Values.replicaCount`) or a number. */
const REPLICA_BOUND = (field: string): RegExp => new RegExp(`^ {2}${field}: (?:\\{\\{ (\\$\\.Values\\.[\\w.]+) \\}\\}|(\\d+))$`);

/**
 * Helm's refusal of values that would render an autoscaler the API server refuses at install: a
 * floor below 1 (the model refuses it too: an autoscaler never scales up from 0) or above the
 * ceiling (src/render/_api-server-rules.ts checks that of dist/). `fail`, naming the values,
 * ahead of the object, when a value gives either bound.
 */
function autoscalerGuard(object: unknown, lines: readonly string[]): string[] {
  if ((object as { kind?: unknown }).kind !== 'HorizontalPodAutoscaler') return [];
  const [min, max] = ['minReplicas', 'maxReplicas'].map((field) => {
    const bound = REPLICA_BOUND(field);
    const hit = lines.map((l) => bound.exec(l)).find((m) => m !== null);
    return hit ? { expr: hit[1] ?? hit[2]!, name: hit[1]?.slice('$.Values.'.length) ?? `spec.${field}` } : undefined;
  });
  if (!min || !max || (!min.expr.startsWith('$') && !max.expr.startsWith('$'))) return [];
  const floor = `${min.name} (%d) must be at least 1 while the HorizontalPodAutoscaler is on: it never scales up from 0`;
  const order = `${min.name} (%d) is above ${max.name} (%d): the HorizontalPodAutoscaler's minReplicas must not exceed its maxReplicas`;
  return [
    `{{- if lt (int ${min.expr}) 1 }}`,
    `{{- fail (printf ${JSON.stringify(floor)} (int ${min.expr})) }}`,
    `{{- else if gt (int ${min.expr}) (int ${max.expr}) }}`,
    `{{- fail (printf ${JSON.stringify(order)} (int ${min.expr}) (int ${max.expr})) }}`,
    '{{- end }}',
  ];
}

/** One object as the body of a Helm template document (without its `---`): its markers replaced, its sync wave set. */
export function templateObject(object: unknown, sentinels: Sentinels): string {
  const lines = yaml
    .dump(withSyncWave(object as WaveObject), { sortKeys: true, lineWidth: -1, noRefs: true, quotingType: '"' })
    .trimEnd()
    .split('\n')
    .map(setAside);
  const templated = templateLines(expandListItems(lines, sentinels), sentinels);
  return [...autoscalerGuard(object, templated), ...templated].map(printBraces).join('\n');
}

/** A document of a template: an object's body (templateObject) and the condition it is rendered under. */
export interface TemplateDocument {
  readonly body: string;
  /** Go template condition. @default - always rendered */
  readonly condition?: string;
}

/** Documents as template text, each wrapped in `{{- if }}` when it has a condition. */
export function templateDocuments(docs: readonly TemplateDocument[]): string {
  return `${docs.map(({ body, condition }) => (condition ? `{{- if ${condition} }}\n---\n${body}\n{{- end }}` : `---\n${body}`)).join('\n')}\n`;
}
