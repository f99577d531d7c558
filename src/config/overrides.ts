import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';

/*
 * Ad-hoc overrides with Helm's semantics: `-f` files are deep-merged in order (maps merge,
 * everything else replaces, `null` removes a key), then every `--set` is applied in order.
 */

/** One step of a path: a map key or an array index. */
export type PathSegment = string | number;

/** Overrides from the command line, in the order they were given. */
export interface Overrides {
  /** Parsed `-f` files, each with the file name for messages. */
  readonly files: readonly { readonly file: string; readonly values: unknown }[];
  /** `--set path=value` expressions, verbatim. */
  readonly sets: readonly string[];
}

export const NO_OVERRIDES: Overrides = { files: [], sets: [] };

export class OverrideError extends Error {}

/** Formats a path the way `--set` takes it: `components.cinNode.languages[0].code`. */
export function formatPath(path: readonly PathSegment[]): string {
  return path.reduce<string>(
    (out, seg) => (typeof seg === 'number' ? `${out}[${seg}]` : out ? `${out}.${seg}` : seg),
    '',
  ) || '(root)';
}

/** Parses `a.b[0].c` into its segments. */
export function parsePath(text: string): PathSegment[] {
  const segments: PathSegment[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]/gy;
  let pos = 0;
  while (pos < text.length) {
    if (text[pos] === '.' && segments.length > 0) pos += 1;
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) throw new OverrideError(`--set path "${text}" is malformed at character ${pos + 1}`);
    segments.push(m[1] !== undefined ? m[1] : Number(m[2]));
    pos = re.lastIndex;
  }
  if (segments.length === 0 || typeof segments[0] === 'number') {
    throw new OverrideError(`--set path "${text}" must start with a field name`);
  }
  return segments;
}

/** Helm's scalar typing for `--set`: booleans, null and integers are typed, the rest is a string. */
function parseScalar(text: string): unknown {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  if (/^-?(0|[1-9][0-9]{0,14})$/.test(text)) return Number(text);
  return text;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function setAt(root: Record<string, unknown>, path: readonly PathSegment[], value: unknown): void {
  let node: unknown = root;
  for (const [i, seg] of path.entries()) {
    const last = i === path.length - 1;
    const container = node as Record<string | number, unknown>;
    if (last) {
      if (value === null && isMap(container)) delete container[seg];
      else container[seg] = value;
      return;
    }
    const next = path[i + 1]!;
    if (typeof container[seg] !== 'object' || container[seg] === null) {
      container[seg] = typeof next === 'number' ? [] : {};
    }
    node = container[seg];
  }
}

/** Deep merge with Helm's rules; returns a new value and never mutates its inputs. */
export function mergeValues(base: unknown, overlay: unknown): unknown {
  if (!isMap(base) || !isMap(overlay)) return structuredClone(overlay);
  const out: Record<string, unknown> = structuredClone(base);
  for (const [key, value] of Object.entries(overlay)) {
    if (value === null) delete out[key];
    else out[key] = key in out ? mergeValues(out[key], value) : structuredClone(value);
  }
  return out;
}

/** Applies every override to a copy of `config`. */
export function applyOverrides(config: unknown, overrides: Overrides): unknown {
  let out = structuredClone(config);
  for (const { values } of overrides.files) out = mergeValues(out, values);
  for (const expr of overrides.sets) {
    const eq = expr.indexOf('=');
    if (eq <= 0) throw new OverrideError(`--set "${expr}" must have the form path=value`);
    setAt(out as Record<string, unknown>, parsePath(expr.slice(0, eq)), parseScalar(expr.slice(eq + 1)));
  }
  return out;
}

/** Reads an `-f` file; it must hold one YAML map. */
export function readOverrideFile(file: string): Overrides['files'][number] {
  let values: unknown;
  try {
    values = yaml.load(readFileSync(file, 'utf8'), { filename: file });
  } catch (err) {
    throw new OverrideError(`-f ${file}: ${(err as Error).message}`);
  }
  if (!isMap(values)) throw new OverrideError(`-f ${file}: must hold a YAML map of overrides`);
  return { file, values };
}
