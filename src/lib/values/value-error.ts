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

const ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * `text` with every control character (C0, DEL) written as an escape (`\n`, `\u001b`), so that a
 * message naming a key or a value as given is one line, and no escape sequence reaches a
 * terminal; with `lines`, line breaks are kept (a message joining one problem per line).
 */
export function printable(text: string, lines = false): string {
  return text.replace(lines ? /[\u0000-\u0009\u000b-\u001f\u007f]/g : /[\u0000-\u001f\u007f]/g, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
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
