import { describe, expect, it } from 'vitest';
import { runEntry } from '../_helpers.ts';

/*
 * `npm run bench` runs outside vitest (tsx), so nothing it imports may import vitest: a helper
 * shared with the tests that does breaks the bench at load. Refusing a bad `--scale` happens after
 * every module has loaded, and before any synth or Helm run.
 */
describe('bench | the script runs outside vitest', () => {
  it('GIVEN npm run bench WHEN started with a bad --scale THEN every module it imports loads and it refuses the argument', async () => {
    const run = await runEntry('test/bench/synth-bench.ts', ['--scale', '0']);
    expect(run.stderr).not.toMatch(/vitest/i);
    expect(run.stderr).toContain('--scale needs a whole number >= 1, got 0');
    expect(run.code).not.toBe(0);
  });
});
