import { describe, expect, it } from 'vitest';
import { Duration } from '../../../src/lib/index.ts';

describe('Duration |', () => {
  it.each([
    ['250ms', 250],
    ['15s', 15_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['0s', 0],
  ])('GIVEN %s THEN it is %d ms', (text, ms) => {
    expect(Duration.parse(text).milliseconds).toBe(ms);
  });

  it.each([
    ['0.5s', 'takes no fraction: write 500ms'],
    ['0.3s', 'takes no fraction: write 300ms'],
    ['1.5h', 'takes no fraction: write 90m'],
    ['0.0005s', 'is finer than a millisecond'],
    ['5 seconds', 'needs a whole number and one unit: ms, s, m or h'],
    ['15S', 'needs a whole number and one unit: ms, s, m or h'],
    ['1d', 'needs a whole number and one unit: ms, s, m or h'],
    ['99999999999999999h', 'is too long'],
  ])('GIVEN %s THEN it is refused: %s', (text, reason) => {
    expect(() => Duration.parse(text)).toThrow(`"${text}" is not a duration such as 250ms, 15s or 5m: ${reason}`);
  });
});
