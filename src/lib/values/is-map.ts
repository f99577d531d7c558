/** A JSON object (a map), not an array nor null: the test every reader of unvalidated data makes before reading a field. */
export function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
