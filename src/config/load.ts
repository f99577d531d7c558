import type { ErrorObject } from 'ajv';
import { printable, quote } from '../lib/values/index.ts';
import { importEnvironment, listEnvironments } from './environment-files.ts';
import { applyOverrides, formatPath, NO_OVERRIDES, OverrideError, type Overrides, type PathSegment } from './overrides.ts';
import { modelValidator } from './_config-validator.ts';
import { formatIssues } from './_formats.ts';

/**
 * A stack's model: the shape of one environment's configuration, the rules across its fields and
 * where its environment files live. The loading, overrides and validation here serve every stack.
 */
export interface ModelDefinition<C> {
  /** Names the model in messages and its cached validator. */
  readonly name: string;
  /** JSON Schema of one environment (a `JSONSchemaType<C>`, so the compiler keeps it in step with `C`). */
  readonly schema: object;
  /** Folder of the environment files, one `<env>.ts` each. */
  readonly environmentsDir: string;
  /** The rules that read several fields, run once the shape is right; each problem at its field path. */
  checks(env: string, config: C): ConfigIssue[];
}

/** One problem in an environment's configuration. */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

/** Every problem found in one environment's configuration, reported together. */
export class ConfigError extends Error {
  public constructor(
    public readonly environment: string,
    public readonly issues: readonly ConfigIssue[],
  ) {
    super(issues.map((i) => printable(`[${environment}] config ${i.path}: ${i.message}`)).join('\n'));
    this.name = 'ConfigError';
  }
}

function pointerToPath(pointer: string): PathSegment[] {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function describe(value: unknown): string {
  if (value === undefined || value === null) return value === null ? 'null' : 'nothing';
  return `${Array.isArray(value) ? 'array' : typeof value} ${quote(value)}`;
}

/** A key the user wrote, as a path segment: cut like a value, so a huge key cannot flood the terminal. */
function userKey(key: string): string {
  return key.length > 80 ? `${key.slice(0, 79)}…` : key;
}

function schemaIssue(e: ErrorObject): ConfigIssue {
  // An error about a property name (propertyNames) is reported at that property.
  const at = [...pointerToPath(e.instancePath), ...(e.propertyName === undefined ? [] : [userKey(e.propertyName)])];
  const description = (e.parentSchema as { description?: string } | undefined)?.description;
  switch (e.keyword) {
    case 'additionalProperties': {
      const allowed = Object.keys((e.parentSchema as { properties?: object }).properties ?? {}).join(', ');
      return { path: formatPath([...at, userKey(e.params.additionalProperty)]), message: `unknown field (allowed: ${allowed})` };
    }
    case 'required':
      return { path: formatPath([...at, e.params.missingProperty]), message: 'is required' };
    case 'pattern':
      return { path: formatPath(at), message: `must be ${description ?? `like ${e.params.pattern}`}, got ${quote(e.data)}` };
    case 'type':
      return { path: formatPath(at), message: `must be ${e.params.type}, got ${describe(e.data)}` };
    case 'enum':
      return { path: formatPath(at), message: `must be one of ${(e.params.allowedValues as unknown[]).map((v) => quote(v)).join(', ')}, got ${describe(e.data)}` };
    case 'uniqueItems': {
      const [first, again] = [Math.min(e.params.i, e.params.j), Math.max(e.params.i, e.params.j)];
      return { path: formatPath([...at, again]), message: `duplicate ${quote((e.data as unknown[])[again])} (already at ${formatPath([...at, first])})` };
    }
    default:
      return { path: formatPath(at), message: `${e.message ?? e.keyword}, got ${quote(e.data)}` };
  }
}

/**
 * Checks `candidate` against the model; throws a ConfigError listing every problem: the schema's,
 * then the formats' (value types, wherever the shape lets them be reached; a field the schema
 * already refused is not reported twice), then, once the shape is right, the rules that read
 * several fields.
 */
export function validateConfig<C>(model: ModelDefinition<C>, env: string, candidate: unknown): C {
  const validate = modelValidator(model);
  const shaped = validate(candidate);
  const lines = shaped ? [] : (validate.errors ?? []).filter((e) => e.keyword !== 'propertyNames').map(schemaIssue);
  // One problem per field, its first: a value that is empty and also malformed is one mistake.
  const firsts = new Map<string, ConfigIssue>();
  for (const line of lines) if (!firsts.has(line.path)) firsts.set(line.path, line);
  const schema = [...firsts.values()];
  const refused = new Set(firsts.keys());
  const formats = formatIssues(model.schema, candidate).filter((i) => !refused.has(i.path));
  const issues = [...schema, ...formats, ...(shaped ? model.checks(env, candidate as C) : [])];
  if (issues.length > 0) throw new ConfigError(env, issues);
  return candidate as C;
}

/**
 * Reads an environment's file as written: its default export as plain data, before defaults,
 * overrides and validation. Throws an EnvironmentFileError when the module cannot be loaded, or a
 * ConfigError naming each field that is not data (a BigInt, NaN, a getter that throws ...).
 */
export async function readEnvironment(env: string, dir: string): Promise<unknown> {
  const data = await importEnvironment(env, dir);
  if (data.issues.length > 0) throw new ConfigError(env, data.issues.map((i) => ({ path: formatPath(i.path), message: i.message })));
  return data.value;
}

/**
 * Loads an environment's file (from `dir`, by default the model's folder), applies the overrides
 * and validates the result. Throws a ConfigError listing every problem of the model, or an
 * EnvironmentFileError when the file itself is wrong.
 */
export async function loadEnvironment<C>(
  model: ModelDefinition<C>,
  env: string,
  overrides: Overrides = NO_OVERRIDES,
  dir: string = model.environmentsDir,
): Promise<C> {
  const known = listEnvironments(dir);
  if (!known.includes(env)) {
    throw new ConfigError(env, [{ path: '--env', message: `unknown environment ${quote(env)}; known: ${known.join(', ')}` }]);
  }
  // The schema's defaults first (a component's declared settings, the declared routes), as Helm
  // puts values.yaml under -f and --set: an override can then change a defaulted value.
  const defaulted = structuredClone(await readEnvironment(env, dir));
  modelValidator(model)(defaulted);
  let candidate: unknown;
  try {
    candidate = applyOverrides(defaulted, overrides);
  } catch (err) {
    if (!(err instanceof OverrideError)) throw err;
    throw new ConfigError(env, err.issues.length > 0 ? err.issues : [{ path: '(overrides)', message: err.message }]);
  }
  return validateConfig(model, env, candidate);
}
