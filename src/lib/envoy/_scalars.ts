/*
 * Scalars in proto3 JSON, as protobuf's JSON parser (which Envoy uses after converting YAML to
 * JSON) reads them: https://protobuf.dev/programming-guides/json/
 */

export type ScalarType =
  | 'double' | 'float'
  | 'int32' | 'sint32' | 'sfixed32' | 'uint32' | 'fixed32'
  | 'int64' | 'sint64' | 'sfixed64' | 'uint64' | 'fixed64'
  | 'bool' | 'string' | 'bytes';

export const SCALAR_TYPES: ReadonlySet<string> = new Set<ScalarType>([
  'double', 'float', 'int32', 'sint32', 'sfixed32', 'uint32', 'fixed32', 'int64', 'sint64', 'sfixed64', 'uint64', 'fixed64', 'bool', 'string', 'bytes',
]);

/** Inclusive ranges of the integer types. */
const INTEGER_RANGES: Readonly<Record<string, readonly [bigint, bigint]>> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  sint32: [-(2n ** 31n), 2n ** 31n - 1n],
  sfixed32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  fixed32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  sint64: [-(2n ** 63n), 2n ** 63n - 1n],
  sfixed64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  fixed64: [0n, 2n ** 64n - 1n],
};

/** The largest finite float32; protobuf refuses a float field beyond it. */
const FLOAT_MAX = 3.4028234663852886e38;

const DECIMAL_INTEGER = /^-?(0|[1-9][0-9]*)$/;
const DECIMAL_NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;
const BASE64_URL = /^[A-Za-z0-9_-]*$/;

/** `"abc"`, `12`, `true`, `an object`, `a list`, `null`: how a value given is quoted in a message. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  return String(value);
}

/** The value of an integer given as a number or a decimal string, or undefined when it is neither. */
function integerValue(value: unknown): bigint | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : undefined;
  if (typeof value === 'string' && DECIMAL_INTEGER.test(value)) return BigInt(value);
  return undefined;
}

/** The problem of `value` as a `type` scalar, or undefined when it is valid. */
export function scalarProblem(type: ScalarType, value: unknown): string | undefined {
  const got = `got ${describe(value)}`;
  switch (type) {
    case 'string':
      return typeof value === 'string' ? undefined : `must be a string, ${got}`;
    case 'bool':
      return typeof value === 'boolean' ? undefined : `must be true or false, ${got}`;
    case 'bytes':
      return typeof value === 'string' && (BASE64.test(value) || BASE64_URL.test(value)) ? undefined : `must be base64-encoded bytes, ${got}`;
    case 'double':
    case 'float': {
      const ok =
        (typeof value === 'number' && Number.isFinite(value)) ||
        (typeof value === 'string' && (DECIMAL_NUMBER.test(value) || value === 'NaN' || value === 'Infinity' || value === '-Infinity'));
      if (!ok) return `must be a number (${type}), "NaN", "Infinity" or "-Infinity", ${got}`;
      if (type === 'float' && Math.abs(Number(value)) > FLOAT_MAX && Number.isFinite(Number(value))) return `must be within the range of a float, ${got}`;
      return undefined;
    }
    default: {
      const [min, max] = INTEGER_RANGES[type]!;
      const n = integerValue(value);
      if (n === undefined) return `must be an integer (${type}) as a number or a decimal string, ${got}`;
      return n < min || n > max ? `must be a ${type}, from ${min} to ${max}, ${got}` : undefined;
    }
  }
}

/** The problem of a map key (always a string in JSON) for a `type` key, or undefined. */
export function mapKeyProblem(type: ScalarType, key: string): string | undefined {
  if (type === 'string') return undefined;
  if (type === 'bool') return key === 'true' || key === 'false' ? undefined : `map key must be "true" or "false", got ${describe(key)}`;
  const problem = scalarProblem(type, key);
  return problem ? `map key ${problem}` : undefined;
}
