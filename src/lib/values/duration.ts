import { ValueError } from './value-error.ts';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

/**
 * A duration written as a whole number and one unit (`250ms`, `15s`, `5m`, `1h`; `0s` for none),
 * kept in milliseconds. A fraction is refused with the whole-number spelling of the same duration
 * (`0.5s`: write 500ms), so the value converts exactly to Envoy's and Kubernetes' durations.
 */
export class Duration {
  /** Parses `text`; throws a {@link ValueError} (suggesting the whole-number spelling of a fraction). */
  public static parse(text: string): Duration {
    const m = /^([0-9]+)(?:\.([0-9]+))?(ms|s|m|h)$/.exec(text);
    const fail = (reason: string): never => {
      throw new ValueError(text, 'a duration such as 250ms, 15s or 5m', [reason]);
    };
    if (!m) return fail('needs a whole number and one unit: ms, s, m or h');
    const unit = UNIT_MS[m[3] as keyof typeof UNIT_MS];
    // Integer arithmetic on the digits, so 0.3s is exactly 300 ms.
    const ms = Number(m[1]) * unit + (m[2] === undefined ? 0 : (Number(m[2]) * unit) / 10 ** m[2].length);
    if (m[2] !== undefined) {
      return fail(Number.isInteger(ms) ? `takes no fraction: write ${Duration.spell(ms)}` : 'is finer than a millisecond');
    }
    if (!Number.isSafeInteger(ms)) return fail('is too long');
    return new Duration(text, ms);
  }

  /** The shortest whole-number spelling of `ms` milliseconds. */
  private static spell(ms: number): string {
    if (ms === 0) return '0s';
    const [unit, size] = (Object.entries(UNIT_MS) as [string, number][]).reverse().find(([, size]) => ms % size === 0) ?? ['ms', 1];
    return `${ms / size}${unit}`;
  }

  private constructor(
    /** The duration as written. */
    public readonly text: string,
    public readonly milliseconds: number,
  ) {}

  public toString(): string {
    return this.text;
  }
}
