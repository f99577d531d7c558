import { closeSync, openSync, readSync, statSync } from 'node:fs';
import yaml from 'js-yaml';
import { FORBIDDEN_KEYS, toPlainData } from './_plain-data.ts';
import { isMap, quote } from '../lib/values/index.ts';
import { formatPath, type PathSegment } from './_path.ts';

export { formatPath, type PathSegment } from './_path.ts';

/*
 * Ad-hoc overrides with Helm's semantics: `-f` files are deep-merged in order (maps merge,
 * everything else replaces, `null` removes a key), then every `--set`, then every `--set-string`
 * (Helm's order). `--set` takes Helm's syntax: `a.b[0].c=v`, several assignments separated by
 * commas, `{x,y}` for a list, a backslash escaping `.[]\,=` (`tls\.crt`); it types true, false,
 * null and integers, `--set-string` keeps every value a string.
 */

/** Overrides from the command line. */
export interface Overrides {
  /** Parsed `-f` files, each with the file name for messages. */
  readonly files: readonly { readonly file: string; readonly values: unknown }[];
  /** `--set` expressions, verbatim, in order. */
  readonly sets: readonly string[];
  /** `--set-string` expressions, verbatim, in order. @default - none */
  readonly setStrings?: readonly string[];
  /**
   * Whether an assignment, or a file's value, at a path is this model's: the others are left out
   * (see {@link overridesFor}). @default - every one is
   */
  readonly applies?: (path: readonly PathSegment[]) => boolean;
}

export const NO_OVERRIDES: Overrides = { files: [], sets: [] };

/** One problem applying an override to an environment's model. */
export interface OverrideIssue {
  readonly path: string;
  readonly message: string;
}

/** Bad overrides: the message is one line per problem; `issues` holds those tied to a field. */
export class OverrideError extends Error {
  public constructor(
    message: string,
    public readonly issues: readonly OverrideIssue[] = [],
  ) {
    super(message);
    this.name = 'OverrideError';
  }
}

/** One `path=value` of a `--set`. */
export interface Assignment {
  readonly path: readonly PathSegment[];
  readonly value: unknown;
}

/** Helm's typing for `--set`: booleans, null and integers are typed, the rest is a string. */
function typed(text: string): unknown {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  // Helm reads `-0` as the integer 0; JavaScript's -0 would be written -0.0.
  if (/^-?(0|[1-9][0-9]{0,14})$/.test(text)) return Number(text) === 0 ? 0 : Number(text);
  return text;
}

/**
 * Parses one `--set` (or, with `strings`, `--set-string`) argument into its assignments.
 * Throws an OverrideError naming the argument and the character where it goes wrong.
 */
export function parseSet(text: string, strings = false): Assignment[] {
  const flag = strings ? '--set-string' : '--set';
  const fail = (at: number, why: string): never => {
    throw new OverrideError(`${flag} ${quote(text)}: ${why} at character ${at + 1}`);
  };
  const out: Assignment[] = [];
  let i = 0;
  /** Reads up to an unescaped character of `stops` (or the end), resolving escapes. */
  const until = (stops: string): string => {
    let s = '';
    while (i < text.length && !stops.includes(text[i]!)) {
      if (text[i] === '\\') {
        if (i + 1 >= text.length) fail(i, 'a backslash ends the text');
        s += text[i + 1];
        i += 2;
      } else s += text[i++];
    }
    return s;
  };
  do {
    const start = i;
    const path: PathSegment[] = [];
    for (;;) {
      const keyAt = i;
      const key = until('.[=,{}');
      if (key === '') fail(keyAt, 'a field name is missing');
      if (FORBIDDEN_KEYS.has(key)) fail(keyAt, `"${key}" is not allowed as a field name`);
      path.push(key);
      while (text[i] === '[') {
        const m = /^\[(\d{1,6})\]/.exec(text.slice(i));
        if (!m) fail(i, 'an index must be digits in brackets, such as [0]');
        path.push(Number(m![1]));
        i += m![0].length;
      }
      if (text[i] === '.') {
        i += 1;
        continue;
      }
      if (text[i] === '=') break;
      fail(i, i >= text.length ? `"${text.slice(start)}" has no "=value"` : `unexpected "${text[i]}"`);
    }
    i += 1;
    let value: unknown;
    if (text[i] === '{') {
      i += 1;
      const items: unknown[] = [];
      while (text[i] !== '}') {
        if (i >= text.length) fail(i, 'a list "{" is not closed');
        const item = until(',}');
        items.push(strings ? item : typed(item));
        if (text[i] === ',') i += 1;
      }
      i += 1;
      value = items.length === 1 && items[0] === '' ? [] : items;
    } else {
      const raw = until(',');
      value = strings ? raw : typed(raw);
    }
    out.push({ path, value });
    if (i < text.length) {
      if (text[i] !== ',') fail(i, `unexpected "${text[i]}"`);
      i += 1;
      if (i >= text.length) fail(i - 1, 'a comma ends the text');
    }
  } while (i < text.length);
  return out;
}

/** Parses a path alone (`a.b[0].c`), for tests and messages. */
export function parsePath(text: string): PathSegment[] {
  try {
    return [...parseSet(`${text}=x`)[0]!.path];
  } catch (err) {
    throw new OverrideError(`--set path ${quote(text)} is malformed: ${(err as Error).message.replace(/^--set "[^"]*": /, '')}`);
  }
}

/** Sets one value; a problem with the model's shape is reported at the assignment's path. */
function setAt(root: Record<string, unknown>, { path, value }: Assignment): OverrideIssue | undefined {
  let node: unknown = root;
  for (const [i, seg] of path.entries()) {
    const here = formatPath(path.slice(0, i));
    if (Array.isArray(node)) {
      if (typeof seg !== 'number') {
        return { path: formatPath(path), message: `${here} is a list: --set addresses its items by index, such as ${here}[0]` };
      }
      if (seg > node.length) {
        return { path: formatPath(path), message: `${here} has ${node.length} item${node.length === 1 ? '' : 's'}: an index must be at most ${node.length} (which appends)` };
      }
    } else if (typeof seg === 'number') {
      return { path: formatPath(path), message: `${here} is a map: --set addresses its fields by name, not by index` };
    }
    const container = node as Record<string | number, unknown>;
    if (i === path.length - 1) {
      if (value === null && isMap(container)) delete container[seg];
      else container[seg] = value;
      return undefined;
    }
    const next = path[i + 1]!;
    const current = Object.hasOwn(container, seg) ? container[seg] : undefined;
    if (typeof current !== 'object' || current === null) container[seg] = typeof next === 'number' ? [] : {};
    node = container[seg];
  }
  return undefined;
}

/** Deep merge with Helm's rules; returns a new value and never mutates its inputs. */
export function mergeValues(base: unknown, overlay: unknown): unknown {
  if (!isMap(base) || !isMap(overlay)) return structuredClone(overlay);
  const out: Record<string, unknown> = structuredClone(base);
  for (const [key, value] of Object.entries(overlay)) {
    if (value === null) delete out[key];
    else out[key] = Object.hasOwn(out, key) ? mergeValues(out[key], value) : structuredClone(value);
  }
  return out;
}

/** `values` without the values at paths `applies` refuses; a map left empty so goes too. */
function pruned(values: Record<string, unknown>, applies: (path: readonly PathSegment[]) => boolean, at: readonly PathSegment[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    const path = [...at, key];
    if (isMap(value) && Object.keys(value).length > 0) {
      const kept = pruned(value, applies, path);
      if (Object.keys(kept).length > 0) out[key] = kept;
    } else if (applies(path)) out[key] = value;
  }
  return out;
}

/** The part of a JSON Schema that {@link schemaHasPath} follows. */
interface SchemaNode {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly additionalProperties?: SchemaNode | boolean;
  readonly items?: SchemaNode;
}

/** Whether a schema node is of `type` (a node without a type may be anything). */
function mayBe(node: SchemaNode, type: string): boolean {
  return node.type === undefined || node.type === type || (Array.isArray(node.type) && node.type.includes(type));
}

/**
 * Whether a model of `schema` has a field at `path`: each key a property, or any key of a map
 * whose values the schema gives; each index an item of a list. Below a map or list whose contents
 * the schema leaves open, every path is.
 */
export function schemaHasPath(schema: object, path: readonly PathSegment[]): boolean {
  let node = schema as SchemaNode;
  for (const seg of path) {
    if (typeof seg === 'number') {
      if (!mayBe(node, 'array')) return false;
      if (!node.items) return true;
      node = node.items;
    } else if (node.properties && Object.hasOwn(node.properties, seg)) node = node.properties[seg]!;
    else if (typeof node.additionalProperties === 'object') node = node.additionalProperties;
    else return mayBe(node, 'object') && node.additionalProperties !== false;
  }
  return true;
}

/**
 * The overrides a model of `schema` takes when several models are synthesized together (every
 * stack's environments of `--env staging`): an assignment or a file's value whose path another
 * model has and this one does not is the other's. A path no model has is every model's, so each
 * reports its unknown field.
 */
export function overridesFor(overrides: Overrides, schema: object, others: readonly object[]): Overrides {
  return { ...overrides, applies: (path) => schemaHasPath(schema, path) || !others.some((o) => schemaHasPath(o, path)) };
}

/**
 * Applies every override to a copy of `config` (plain data), those its `applies` refuses left
 * out. Throws an OverrideError listing every assignment the model's shape refuses.
 */
export function applyOverrides(config: unknown, overrides: Overrides): unknown {
  const applies = overrides.applies ?? (() => true);
  let out = structuredClone(config);
  for (const { values } of overrides.files) out = mergeValues(out, isMap(values) ? pruned(values, applies) : values);
  const assignments = [
    ...overrides.sets.flatMap((s) => parseSet(s)),
    ...(overrides.setStrings ?? []).flatMap((s) => parseSet(s, true)),
  ].filter((a) => applies(a.path));
  const issues = assignments.flatMap((a) => setAt(out as Record<string, unknown>, a) ?? []);
  if (issues.length > 0) throw new OverrideError(issues.map((i) => `${i.path}: ${i.message}`).join('\n'), issues);
  return out;
}

/** `-f` files larger than this are refused before parsing: values files are a few KiB. */
export const MAX_VALUES_FILE_BYTES = 4 * 1024 * 1024;

/** YAML as Helm reads values: the core schema (dates stay text) plus merge keys `<<`. */
// js-yaml exports its built-in types as `types`; @types/js-yaml does not declare it.
const VALUES_SCHEMA = yaml.CORE_SCHEMA.extend({ implicit: [(yaml as unknown as { types: { merge: yaml.Type } }).types.merge] });

/** Reads an `-f` file; it must hold one YAML map of plain data, or nothing (only comments), which overrides nothing as in Helm. */
/**
 * The text of `file`, read up to `max` bytes: a pipe or a device (`-f /dev/stdin`) has no size
 * to check beforehand, and may never end.
 */
function readAtMost(file: string, max: number): string {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(max + 1);
    let length = 0;
    for (let n = -1; n !== 0 && length <= max; length += n) n = readSync(fd, buffer, length, max + 1 - length, null);
    if (length > max) throw new OverrideError(`-f ${file}: holds more than ${max} bytes; a values file may hold ${max} at the most`);
    return buffer.toString('utf8', 0, length);
  } finally {
    closeSync(fd);
  }
}

export function readOverrideFile(file: string): Overrides['files'][number] {
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > MAX_VALUES_FILE_BYTES) throw new OverrideError(`-f ${file}: is ${size} bytes; a values file may hold ${MAX_VALUES_FILE_BYTES} at the most`);
    text = readAtMost(file, MAX_VALUES_FILE_BYTES);
  } catch (err) {
    if (err instanceof OverrideError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw new OverrideError(`-f ${file}: cannot read it: ${e.code ?? e.message}`);
  }
  let parsed: unknown;
  try {
    parsed = yaml.load(text, { filename: file, schema: VALUES_SCHEMA });
  } catch (err) {
    const e = err as { reason?: string; mark?: { line: number; column: number }; message: string };
    const where = e.mark ? `:${e.mark.line + 1}:${e.mark.column + 1}` : '';
    throw new OverrideError(`-f ${file}${where}: ${e.reason ?? e.message.split('\n')[0]}`);
  }
  if (parsed === undefined || parsed === null) return { file, values: {} };
  if (!isMap(parsed)) throw new OverrideError(`-f ${file}: must hold a YAML map of overrides`);
  const { value, issues } = toPlainData(parsed);
  if (issues.length > 0) throw new OverrideError(issues.map((i) => `-f ${file}: ${i.path.length > 0 ? `${formatPath(i.path)}: ` : ''}${i.message}`).join('\n'));
  return { file, values: value };
}
