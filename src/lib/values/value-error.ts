/**
 * `value` as it appears in a message: JSON, cut at `max` characters (80 unless told) with an
 * ellipsis so a huge value never floods the terminal. Values JSON cannot represent (BigInt,
 * functions, symbols, cycles) are described instead of throwing.
 */
export function quote(value: unknown, max = 80): string {
  let text: string;
  if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`;
  try {
    text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value);
  } catch {
    text = `[unprintable ${typeof value}]`;
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A text that a value type refuses: what was expected and every reason it is not that. */
export class ValueError extends Error {
  public constructor(
    /** The text as given. */
    public readonly text: string,
    /** What a valid text is, e.g. `a cron schedule`. */
    public readonly expected: string,
    /** Each problem found, e.g. `minute 99 is not in 0-59`. */
    public readonly reasons: readonly string[],
  ) {
    super(`${quote(text)} is not ${expected}: ${reasons.join('; ')}`);
    this.name = 'ValueError';
  }
}
