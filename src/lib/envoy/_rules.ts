/*
 * The protoc-gen-validate rules Envoy applies when it loads a configuration, for the ones that
 * are cheap to check and catch real mistakes:
 *
 * - `(validate.rules).message.required` (and `duration.required`, `any.required`, the same rule
 *   on those types): the field must be set;
 * - `(validate.required)` on a oneof: one member must be set;
 * - `(validate.rules).string.min_len` (with `ignore_empty`), counted in characters as
 *   protoc-gen-validate counts runes;
 * - `gt`, `gte`, `lt` and `lte` on every numeric type, on the field or on its wrapper
 *   (`google.protobuf.UInt32Value` and the like);
 * - `(validate.rules).repeated.min_items` and `max_items`.
 *
 * As in protoc-gen-validate, the rules of a scalar without presence (neither in a oneof nor a
 * message) apply to its default value when it is not set: an unset `name` with `min_len: 1` is an
 * error, as Envoy reports it.
 *
 * Not checked: string `max_len`, `max_bytes`, `len`, `prefix`, `pattern`, `in`, `not_in` and
 * `well_known_regex` (header names and values; RE2 patterns), bytes rules, `bool.const`,
 * `enum.not_in` (`enum.defined_only` is always enforced: unknown enum numbers are refused),
 * duration bounds (protobufjs drops the empty message of the common `gt {}` when it parses the
 * option, so the bound would be checked for some fields and not others), timestamp rules, map
 * rules (`min_pairs`, `keys`, `values`), `repeated.unique` and `repeated.items`, and
 * `any.in`. The import drops their options from the bundle.
 */

/** The rules of one field, read from its options in the bundle. */
export interface FieldRules {
  /** The field must be set. */
  readonly required: boolean;
  /** Minimum length of a string, in characters. */
  readonly minLen?: number;
  /** Bounds of a number, exclusive (`gt`, `lt`) or inclusive (`gte`, `lte`). */
  readonly gt?: number;
  readonly gte?: number;
  readonly lt?: number;
  readonly lte?: number;
  /** The string and number rules do not apply to the default value (`""`, `0`). */
  readonly ignoreEmpty: boolean;
  readonly minItems?: number;
  readonly maxItems?: number;
}

const RULE = /^\(validate\.rules\)\.([a-z0-9]+)\.([a-z_]+)$/;

/** The rules in a field's options (`{"(validate.rules).uint32.gt": 0}`). */
export function fieldRules(options: Readonly<Record<string, unknown>> | undefined, requiredByRule: boolean): FieldRules {
  const rules: { -readonly [K in keyof FieldRules]: FieldRules[K] } = { required: requiredByRule, ignoreEmpty: false };
  for (const [key, value] of Object.entries(options ?? {})) {
    const match = RULE.exec(key);
    if (!match) continue;
    const [, kind, rule] = match;
    if (rule === 'required' && value === true) rules.required = true;
    else if (rule === 'ignore_empty' && value === true) rules.ignoreEmpty = true;
    else if (typeof value !== 'number') continue;
    else if (kind === 'string' && rule === 'min_len') rules.minLen = value;
    else if (kind === 'repeated' && rule === 'min_items') rules.minItems = value;
    else if (kind === 'repeated' && rule === 'max_items') rules.maxItems = value;
    else if (rule === 'gt' || rule === 'gte' || rule === 'lt' || rule === 'lte') rules[rule] = value;
  }
  return rules;
}

/** True when the field has a string or number rule to check on its value. */
export function hasValueRules(rules: FieldRules): boolean {
  return rules.minLen !== undefined || rules.gt !== undefined || rules.gte !== undefined || rules.lt !== undefined || rules.lte !== undefined;
}

/**
 * The problem of a string or number value under `rules`, or undefined. `value` has already been
 * checked to be of the field's type; numbers may be given as strings in proto3 JSON.
 */
export function valueRuleProblem(rules: FieldRules, value: string | number, unset: boolean): string | undefined {
  const got = `got ${JSON.stringify(value)}${unset ? ' (not set)' : ''}`;
  if (typeof value === 'string' && rules.minLen !== undefined) {
    if (rules.ignoreEmpty && value === '') return undefined;
    const length = [...value].length;
    return length < rules.minLen ? `must be at least ${rules.minLen} character${rules.minLen === 1 ? '' : 's'} long, ${got}` : undefined;
  }
  const n = Number(value);
  if (rules.ignoreEmpty && n === 0) return undefined;
  const { gt, gte, lt, lte } = rules;
  const lower = gt ?? gte;
  const upper = lt ?? lte;
  const aboveLower = lower === undefined || (gt !== undefined ? n > gt : n >= lower);
  const belowUpper = upper === undefined || (lt !== undefined ? n < lt : n <= upper);
  const lowerText = gt !== undefined ? `greater than ${gt}` : `at least ${gte}`;
  const upperText = lt !== undefined ? `less than ${lt}` : `at most ${lte}`;
  // protoc-gen-validate reads a lower bound above the upper one as a range to stay out of.
  if (lower !== undefined && upper !== undefined && lower > upper) {
    return aboveLower || belowUpper ? undefined : `must be ${lowerText} or ${upperText}, ${got}`;
  }
  if (aboveLower && belowUpper) return undefined;
  if (lower !== undefined && upper !== undefined) return `must be ${lowerText} and ${upperText}, ${got}`;
  return `must be ${lower !== undefined ? lowerText : upperText}, ${got}`;
}

/** The problem of a list of `count` items under `rules`, or undefined. */
export function itemsRuleProblem(rules: FieldRules, count: number): string | undefined {
  if (rules.minItems !== undefined && count < rules.minItems) {
    return `must have at least ${rules.minItems} item${rules.minItems === 1 ? '' : 's'}, got ${count}`;
  }
  if (rules.maxItems !== undefined && count > rules.maxItems) {
    return `must have at most ${rules.maxItems} item${rules.maxItems === 1 ? '' : 's'}, got ${count}`;
  }
  return undefined;
}
