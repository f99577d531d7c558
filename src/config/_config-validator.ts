import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import { FORMAT_NAMES } from './_formats.ts';
import type { ModelDefinition } from './load.ts';

/*
 * A model's validator. Compiling a schema with ajv takes about 200 ms, paid by every synth, so
 * `npm run import:config` writes each stack's once as ajv standalone code to imports/config/;
 * synth uses that file when it was generated from the schema as it is now, and compiles
 * otherwise. A test fails when a committed file is stale.
 */

const require = createRequire(import.meta.url);

/** Where a model's precompiled validator lives, from the project root. */
export function precompiledValidatorPath(model: Pick<ModelDefinition<unknown>, 'name'>): string {
  return `imports/config/${model.name}.cjs`;
}

/**
 * `allErrors`: every problem at once; `verbose`: messages quote the value and the schema's
 * description; `useDefaults`: a field the environment leaves out takes its schema's `default`
 * (a component's declared settings); `formats`: the schema's formats are checked by
 * src/config/_formats.ts, not by ajv.
 */
export const VALIDATOR_OPTIONS = {
  allErrors: true,
  verbose: true,
  strict: true,
  useDefaults: true,
  formats: Object.fromEntries(FORMAT_NAMES.map((name) => [name, true as const])),
} as const;

/** sha256 of a model's schema, which names its precompiled validator's source. */
export function schemaHash(model: Pick<ModelDefinition<unknown>, 'schema'>): string {
  return createHash('sha256').update(JSON.stringify(model.schema)).digest('hex');
}

const validators = new Map<string, ValidateFunction>();

/** The validator of a model: the precompiled one when it is current, else compiled now. */
export function modelValidator(model: Pick<ModelDefinition<unknown>, 'name' | 'schema'>): ValidateFunction {
  const cached = validators.get(model.name);
  if (cached) return cached;
  let precompiled: (ValidateFunction & { schemaHash?: string }) | undefined;
  try {
    precompiled = require(`../../${precompiledValidatorPath(model)}`) as ValidateFunction & { schemaHash?: string };
  } catch {
    precompiled = undefined;
  }
  const validator = precompiled?.schemaHash === schemaHash(model) ? precompiled : new Ajv(VALIDATOR_OPTIONS).compile(model.schema);
  validators.set(model.name, validator);
  return validator;
}
