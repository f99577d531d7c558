import { describe, scalarProblem, type ScalarType } from './_scalars.ts';

/*
 * The well-known types whose proto3 JSON form is not an object of their fields
 * (https://protobuf.dev/programming-guides/json/). google.protobuf.Any is one of them, but is
 * validated by the walker, which resolves its `@type`.
 */

export const ANY = 'google.protobuf.Any';

/** Wrappers are given as their bare value: `max_requests: 100` for a UInt32Value. */
export const WRAPPERS: Readonly<Record<string, ScalarType>> = {
  'google.protobuf.BoolValue': 'bool',
  'google.protobuf.BytesValue': 'bytes',
  'google.protobuf.DoubleValue': 'double',
  'google.protobuf.FloatValue': 'float',
  'google.protobuf.Int32Value': 'int32',
  'google.protobuf.Int64Value': 'int64',
  'google.protobuf.StringValue': 'string',
  'google.protobuf.UInt32Value': 'uint32',
  'google.protobuf.UInt64Value': 'uint64',
};

/** proto3 JSON: decimal seconds with up to 9 fractional digits and an `s` suffix. */
const DURATION = /^-?([0-9]+)(\.[0-9]{1,9})?s$/;
/** The range of google.protobuf.Duration: about 10,000 years. */
const DURATION_MAX_SECONDS = 315_576_000_000n;
/** RFC 3339 with an upper-case `T` and `Z`, as protobuf requires. */
const TIMESTAMP = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$/;

function durationProblem(value: unknown): string | undefined {
  const match = typeof value === 'string' ? DURATION.exec(value) : null;
  if (!match) return `must be a duration in seconds with an "s" suffix, such as "1s", "0.250s" or "1.5s", got ${describe(value)}`;
  return BigInt(match[1]!) > DURATION_MAX_SECONDS ? `must be a duration of at most ${DURATION_MAX_SECONDS} seconds, got ${describe(value)}` : undefined;
}

function timestampProblem(value: unknown): string | undefined {
  const match = typeof value === 'string' ? TIMESTAMP.exec(value) : null;
  const [year, month, day, hour, minute, second] = (match ?? []).slice(1, 7).map(Number) as number[];
  const date = match ? new Date(Date.UTC(year!, month! - 1, day!, hour!, minute!, second!)) : undefined;
  const valid = date !== undefined && date.getUTCMonth() === month! - 1 && date.getUTCDate() === day! && hour! < 24 && minute! < 60 && second! < 60;
  return valid ? undefined : `must be an RFC 3339 timestamp such as "2024-01-31T12:00:00Z", got ${describe(value)}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const CHECKS: Readonly<Record<string, (value: unknown) => string | undefined>> = {
  'google.protobuf.Duration': durationProblem,
  'google.protobuf.Timestamp': timestampProblem,
  'google.protobuf.Struct': (value) => (isObject(value) ? undefined : `must be an object (google.protobuf.Struct), got ${describe(value)}`),
  'google.protobuf.Value': () => undefined,
  'google.protobuf.ListValue': (value) => (Array.isArray(value) ? undefined : `must be a list (google.protobuf.ListValue), got ${describe(value)}`),
  'google.protobuf.Empty': (value) => (isObject(value) && Object.keys(value).length === 0 ? undefined : `must be {} (google.protobuf.Empty), got ${describe(value)}`),
  'google.protobuf.FieldMask': (value) => (typeof value === 'string' ? undefined : `must be a string of comma-separated field paths (google.protobuf.FieldMask), got ${describe(value)}`),
  ...Object.fromEntries(Object.entries(WRAPPERS).map(([name, scalar]) => [name, (value: unknown) => scalarProblem(scalar, value)])),
};

/** True for the well-known types with their own JSON form (Any included). */
export function isWellKnown(typeName: string): boolean {
  return typeName === ANY || Object.prototype.hasOwnProperty.call(CHECKS, typeName);
}

/** The problem of `value` as the well-known type `typeName` (not Any), or undefined. */
export function wellKnownProblem(typeName: string, value: unknown): string | undefined {
  return CHECKS[typeName]!(value);
}
