import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import { FORMAT_NAMES } from './_formats.ts';
import { platformConfigSchema } from './schema.ts';

/*
 * The model's validator. Compiling the schema with ajv takes about 200 ms, paid by every synth,
 * so `npm run import:config` writes it once as ajv standalone code to imports/config/; synth uses
 * that file when it was generated from the schema as it is now, and compiles otherwise. A test
 * fails when the committed file is stale.
 */

const require = createRequire(import.meta.url);

/** Where the precompiled validator lives, from the project root. */
export const PRECOMPILED_VALIDATOR = 'imports/config/platform-config.cjs';

/**
 * `allErrors`: every problem at once; `verbose`: messages quote the value and the schema's
 * description; `formats`: the schema's formats are checked by src/config/_formats.ts, not by ajv.
 */
export const VALIDATOR_OPTIONS = {
  allErrors: true,
  verbose: true,
  strict: true,
  formats: Object.fromEntries(FORMAT_NAMES.map((name) => [name, true as const])),
} as const;

/** sha256 of the schema, which names the precompiled validator's source. */
export function schemaHash(): string {
  return createHash('sha256').update(JSON.stringify(platformConfigSchema)).digest('hex');
}

let validator: ValidateFunction | undefined;

/** The validator of the model: the precompiled one when it is current, else compiled now. */
export function configValidator(): ValidateFunction {
  if (validator) return validator;
  let precompiled: (ValidateFunction & { schemaHash?: string }) | undefined;
  try {
    precompiled = require(`../../${PRECOMPILED_VALIDATOR}`) as ValidateFunction & { schemaHash?: string };
  } catch {
    precompiled = undefined;
  }
  validator = precompiled?.schemaHash === schemaHash() ? precompiled : new Ajv(VALIDATOR_OPTIONS).compile(platformConfigSchema);
  return validator;
}
