/*
 * Turns a CRD's `openAPIV3Schema` (the Kubernetes structural-schema dialect of OpenAPI v3) into a
 * JSON Schema that ajv validates the way the API server and `kubectl apply --validate=strict` do.
 *
 * | in the CRD                               | here                                                   |
 * | ---------------------------------------- | ------------------------------------------------------ |
 * | `x-kubernetes-int-or-string`             | `type: [integer, string]` (a bare integer/string `anyOf` is dropped) |
 * | `x-kubernetes-preserve-unknown-fields`   | unknown fields allowed at that node; declared ones still checked |
 * | `nullable: true`                         | `null` added to `type` (and to `enum`)                 |
 * | `x-kubernetes-list-type: set`            | `uniqueItems: true` (the API server rejects duplicates) |
 * | `x-kubernetes-list-type: map`/`atomic`, `-list-map-keys`, `-map-type` | dropped: merge hints; duplicate map keys are not checked |
 * | `x-kubernetes-validations` (CEL rules)   | dropped: ajv cannot evaluate CEL; the API server still does |
 * | `format`                                 | see {@link CRD_FORMATS}; any other format is refused   |
 * | `pattern` (Go RE2 syntax)                | RE2's `(?i)` (case-insensitive to the end of the group) spelled out as `[xX]`, which JavaScript lacks; a pattern JavaScript still cannot compile is refused |
 * | `description`, `default`, `example`, `externalDocs`, `title` | dropped: documentation; defaults are the API server's to apply |
 * | any other `x-kubernetes-*`               | refused, so a new upstream extension is a decision, not a silent gap |
 *
 * Unknown fields: the API server prunes fields a structural schema does not declare, and
 * `kubectl apply --validate=strict` rejects them, so a misspelled field would vanish silently.
 * Every object node (`properties` or `type: object`) gets `additionalProperties: false` unless
 * it declares `additionalProperties` (a map) or `x-kubernetes-preserve-unknown-fields`. Nodes
 * inside `anyOf`/`allOf`/`oneOf`/`not` only add constraints to their parent, so they are left
 * open. The root's `metadata` is ObjectMeta, which CRD schemas do not describe: it must be an
 * object and nothing more.
 */

/** A JSON Schema node, as parsed from YAML. */
type SchemaNode = Record<string, unknown>;

/**
 * The `format`s the CRDs use, all validated with ajv-formats' implementations:
 * `byte` (base64) and `date-time` (RFC 3339) as the API server validates them; `int32` and
 * `int64` as integer ranges, stricter than the API server (which ignores both) because the
 * controller decodes the field into a Go int32/int64 and fails on anything outside.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/extend-resources/custom-resource-definition-v1/#JSONSchemaProps
 */
export const CRD_FORMATS = ['byte', 'date-time', 'int32', 'int64'] as const;

/** `x-kubernetes-*` extensions that carry no validation ajv can do (see the table above). */
const DROPPED_EXTENSIONS = new Set(['x-kubernetes-list-map-keys', 'x-kubernetes-map-type', 'x-kubernetes-validations']);
const HANDLED_EXTENSIONS = new Set(['x-kubernetes-int-or-string', 'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-list-type']);
const JUNCTORS = ['anyOf', 'allOf', 'oneOf'] as const;
/**
 * Keywords that document and never validate. Dropped so the generated code does not carry them
 * (ajv embeds the schema); the typed bindings in imports/ keep the descriptions.
 */
const ANNOTATIONS = new Set(['description', 'example', 'externalDocs', 'default', 'title']);

/** A problem in a CRD's schema, naming the file and the YAML path of the field. */
export class CrdSchemaError extends Error {}

function isNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `[aA]` for a letter in a case-insensitive scope; anything else as it is. */
function bothCases(c: string): string {
  const lower = c.toLowerCase();
  const upper = c.toUpperCase();
  return lower === upper ? c : `[${lower}${upper}]`;
}

/** The body of a character class (between `[` and `]`) with the other case of every letter and letter range added. */
function classBothCases(body: string): string {
  const extra: string[] = [];
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\') {
      i++;
      continue;
    }
    const from = body[i]!;
    const to = body[i + 1] === '-' && i + 2 < body.length ? body[i + 2]! : undefined;
    const swap = (c: string): string => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase());
    if (to !== undefined) {
      if (/[a-z]/i.test(from) && /[a-z]/i.test(to) && (from < 'a') === (to < 'a')) extra.push(`${swap(from)}-${swap(to)}`);
      i += 2;
    } else if (/[a-z]/i.test(from)) {
      extra.push(swap(from));
    }
  }
  return body + extra.join('');
}

/**
 * A Go RE2 pattern as a JavaScript one. RE2's `(?i)` makes the rest of its group
 * case-insensitive and `(?i:...)` its own group; JavaScript (on Node 20) has neither, so the
 * letters in their scope become `[xX]`. Everything else is left to JavaScript's parser.
 */
export function re2ToJavaScript(pattern: string): string {
  let out = '';
  // One entry per open group: whether it is case-insensitive.
  const groups: boolean[] = [false];
  for (let i = 0; i < pattern.length; i++) {
    const ci = groups.at(-1)!;
    const c = pattern[i]!;
    if (c === '\\') {
      out += pattern.slice(i, i + 2);
      i++;
    } else if (c === '[') {
      let end = i + 1;
      if (pattern[end] === '^') end++;
      if (pattern[end] === ']') end++;
      while (end < pattern.length && pattern[end] !== ']') end += pattern[end] === '\\' ? 2 : 1;
      const body = pattern.slice(i + 1, end);
      out += `[${ci ? classBothCases(body) : body}]`;
      i = end;
    } else if (pattern.startsWith('(?i)', i)) {
      groups[groups.length - 1] = true;
      i += 3;
    } else if (pattern.startsWith('(?i:', i)) {
      out += '(?:';
      groups.push(true);
      i += 3;
    } else if (c === '(') {
      out += c;
      groups.push(ci);
    } else if (c === ')') {
      out += c;
      if (groups.length > 1) groups.pop();
    } else {
      out += ci ? bothCases(c) : c;
    }
  }
  return out;
}

/** True for `anyOf: [{type: integer}, {type: string}]`, which int-or-string already says. */
function isBareIntOrString(anyOf: unknown): boolean {
  return (
    Array.isArray(anyOf) &&
    anyOf.length === 2 &&
    anyOf.every((b) => isNode(b) && Object.keys(b).length === 1) &&
    JSON.stringify(anyOf.map((b: SchemaNode) => b['type']).sort()) === '["integer","string"]'
  );
}

/**
 * Converts one node and everything under it. `open` marks nodes inside a junctor, which must not
 * close their object. `where` is the YAML path, for errors.
 */
function convert(node: SchemaNode, where: string, open: boolean): SchemaNode {
  const fail = (field: string, message: string): never => {
    throw new CrdSchemaError(`${where}.${field}: ${message}`);
  };
  const out: SchemaNode = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('x-') && !DROPPED_EXTENSIONS.has(key) && !HANDLED_EXTENSIONS.has(key)) {
      fail(key, 'unsupported extension; teach src/cli/_structural-schema.ts what it means before importing this CRD');
    }
    if (key.startsWith('x-') || key === 'nullable' || ANNOTATIONS.has(key)) continue;
    if (key === 'properties') {
      if (!isNode(value)) return fail(key, 'must be a map of schemas');
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [name, convertChild(sub, `${where}.properties.${name}`, open)]),
      );
    } else if (key === 'items' || (key === 'additionalProperties' && typeof value !== 'boolean') || key === 'not') {
      out[key] = convertChild(value, `${where}.${key}`, open || key === 'not');
    } else if ((JUNCTORS as readonly string[]).includes(key)) {
      if (!Array.isArray(value)) return fail(key, 'must be a list of schemas');
      out[key] = value.map((sub, i) => convertChild(sub, `${where}.${key}[${i}]`, true));
    } else if (key === 'format') {
      if (!(CRD_FORMATS as readonly unknown[]).includes(value)) {
        fail(key, `unsupported format ${JSON.stringify(value)}; supported: ${CRD_FORMATS.join(', ')} (add it to CRD_FORMATS in src/cli/_structural-schema.ts)`);
      }
      out[key] = value;
    } else if (key === 'pattern') {
      if (typeof value !== 'string') return fail(key, 'must be a string');
      out[key] = re2ToJavaScript(value);
      try {
        new RegExp(out[key] as string, 'u');
      } catch (err) {
        fail(key, `Go RE2 pattern ${JSON.stringify(value)} has no JavaScript equivalent: ${(err as Error).message}`);
      }
    } else {
      out[key] = value;
    }
  }

  if (node['x-kubernetes-int-or-string'] === true) {
    out['type'] = ['integer', 'string'];
    if (isBareIntOrString(out['anyOf'])) delete out['anyOf'];
  }
  if (node['nullable'] === true) {
    if (typeof out['type'] === 'string') out['type'] = [out['type'], 'null'];
    else if (Array.isArray(out['type'])) out['type'] = [...out['type'], 'null'];
    if (Array.isArray(out['enum'])) out['enum'] = [...out['enum'], null];
  }
  if (node['x-kubernetes-list-type'] === 'set') out['uniqueItems'] = true;
  const isObject = 'properties' in node || node['type'] === 'object';
  if (isObject && !open && node['x-kubernetes-preserve-unknown-fields'] !== true && !('additionalProperties' in node)) {
    out['additionalProperties'] = false;
  }
  return out;
}

function convertChild(value: unknown, where: string, open: boolean): SchemaNode {
  if (!isNode(value)) throw new CrdSchemaError(`${where}: must be a schema object`);
  return convert(value, where, open);
}

/** Identifies the kind a schema validates, for the root's apiVersion and kind. */
export interface KindVersion {
  /** `external-secrets.io/v1` */
  readonly apiVersion: string;
  /** `ExternalSecret` */
  readonly kind: string;
}

/**
 * The ajv schema of one CRD version: its `openAPIV3Schema` converted, with a root that requires
 * `apiVersion` and `kind` equal to this version's and `metadata` as an object. The root is
 * closed like any other object node (a structural root is `type: object`), unless it preserves
 * unknown fields.
 * `where` is the YAML path of `openAPIV3Schema`, prefixed with the file, for errors.
 */
export function crdVersionSchema(openAPIV3Schema: unknown, target: KindVersion, where: string): SchemaNode {
  const root = convertChild(openAPIV3Schema, where, false);
  const properties = isNode(root['properties']) ? root['properties'] : {};
  const required = Array.isArray(root['required']) ? (root['required'] as unknown[]) : [];
  return {
    ...root,
    type: 'object',
    properties: {
      ...properties,
      apiVersion: { type: 'string', const: target.apiVersion },
      kind: { type: 'string', const: target.kind },
      metadata: { type: 'object' },
    },
    required: [...new Set([...required, 'apiVersion', 'kind', 'metadata'])],
  };
}
