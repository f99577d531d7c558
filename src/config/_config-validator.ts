import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import type standaloneCode from 'ajv/dist/standalone/index.js';
import { requireLater } from '../lib/_require-module.ts';
import { valueSchemas } from '../lib/values/index.ts';
import { FORMAT_NAMES } from './_formats.ts';
import type { ModelDefinition } from './load.ts';

/*
 * A model's validator. Compiling a schema with ajv takes about 200 ms, so the first run after a
 * schema change writes ajv's standalone code for it to the cache folder below, named by the
 * schema's hash, and later runs load that file: a validator compiled from another schema can
 * never be used, and there is no step to forget after editing a schema. The file is a build
 * cache, not committed: ajv numbers its identifiers through the whole file, so one field added to
 * a schema would renumber thousands of lines of a committed validator.
 */

const require = createRequire(import.meta.url);

/** ajv and its code generator, loaded only when a schema has no cached validator yet. */
const ajvModule = requireLater<typeof import('ajv')>(require, 'ajv');
const standalone = requireLater<typeof standaloneCode>(require, 'ajv/dist/standalone/index.js');

/** Where compiled validators are kept: npm's conventional cache folder of the project. */
export const VALIDATOR_CACHE = fileURLToPath(new URL('../../node_modules/.cache/model-validators/', import.meta.url));

/**
 * `allErrors`: every problem at once; `verbose`: messages quote the value and the schema's
 * description; `useDefaults`: a field the environment leaves out takes its schema's `default`
 * (a component's declared settings); `formats` and `keywords`: the schema's formats and object
 * formats are checked by src/config/_formats.ts, not by ajv.
 */
export const VALIDATOR_OPTIONS = {
  allErrors: true,
  verbose: true,
  strict: true,
  useDefaults: true,
  formats: Object.fromEntries(FORMAT_NAMES.map((name) => [name, true as const])),
  keywords: [valueSchemas.OBJECT_FORMAT_KEYWORD] as string[],
} as const;

/** sha256 of a model's schema, which names its cached validator. */
export function schemaHash(model: Pick<ModelDefinition<unknown>, 'schema'>): string {
  return createHash('sha256').update(JSON.stringify(model.schema)).digest('hex');
}

/** The cache file of a model's validator for its schema as it is now. */
export function cachedValidatorPath(model: Pick<ModelDefinition<unknown>, 'name' | 'schema'>): string {
  return join(VALIDATOR_CACHE, `${model.name}-${schemaHash(model).slice(0, 16)}.cjs`);
}

/**
 * Compiles the schema and writes the validator's standalone code to the cache: to a temporary
 * file renamed into place, so a concurrent run reads a whole file or none; the model's files for
 * schemas unused for a week are removed. A cache that cannot be written (a read-only checkout) only
 * costs the compile on every run.
 */
function compileAndCache(model: Pick<ModelDefinition<unknown>, 'name' | 'schema'>): ValidateFunction {
  const ajv = new (ajvModule().Ajv)({ ...VALIDATOR_OPTIONS, code: { source: true } });
  const validate = ajv.compile(model.schema);
  const path = cachedValidatorPath(model);
  try {
    mkdirSync(VALIDATOR_CACHE, { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, standalone().default(ajv, validate));
    renameSync(temporary, path);
    // Another checkout sharing node_modules may use another schema right now: only files
    // nobody has written for a week are removed.
    const weekAgo = Date.now() - 7 * 24 * 3600 * 1000;
    for (const old of readdirSync(VALIDATOR_CACHE)) {
      const file = join(VALIDATOR_CACHE, old);
      if (old.startsWith(`${model.name}-`) && statSync(file).mtimeMs < weekAgo) rmSync(file, { force: true });
    }
  } catch {
    // Nothing to undo: the validator compiled above is used either way.
  }
  return validate;
}

const validators = new Map<string, ValidateFunction>();

/** The validator of a model: the cached one for its schema as it is now, else compiled (and cached) now. */
export function modelValidator(model: Pick<ModelDefinition<unknown>, 'name' | 'schema'>): ValidateFunction {
  const key = `${model.name}-${schemaHash(model)}`;
  const known = validators.get(key);
  if (known) return known;
  let validator: ValidateFunction;
  try {
    validator = require(cachedValidatorPath(model)) as ValidateFunction;
  } catch {
    validator = compileAndCache(model);
  }
  validators.set(key, validator);
  return validator;
}
