import { describe, expect, it } from 'vitest';
import { runCli, sharedSynth, tempDir } from '../_helpers.ts';

/*
 * Issue 14's memory budget: a full synth, as `npm run synth` runs it, peaks within 150 MiB of RSS.
 * Measured on a run after the shared synth has exited, so with the bundle built and V8's code
 * cache written, as every run but a checkout's first (which builds both, and peaks a few MiB
 * higher).
 */
const PEAK_RSS_BUDGET_MIB = 150;

describe('synth | resource budget', () => {
  it(`GIVEN every stack and environment WHEN synthesized as npm runs it THEN the process peaks within ${PEAK_RSS_BUDGET_MIB} MiB of RSS`, async () => {
    expect((await sharedSynth()).run.code).toBe(0);
    const run = await runCli('synth', ['--out', tempDir('budget')], {}, true);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^synth: \d+ environments, \d+ objects/m);
    expect(run.peakRssMiB).toBeGreaterThan(0);
    expect(run.peakRssMiB!, `peak RSS ${run.peakRssMiB!.toFixed(1)} MiB`).toBeLessThanOrEqual(PEAK_RSS_BUDGET_MIB);
  });
});
