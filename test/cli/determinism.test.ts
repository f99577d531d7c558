import { describe, expect, it } from 'vitest';
import { readTree, runCli, sharedSynth, tempDir } from '../_helpers.ts';

describe('synth CLI | determinism', () => {
  it('GIVEN two synths under different time zones and locales WHEN compared THEN they are byte-identical', async () => {
    // One is the run's shared synth (SHARED_SYNTH_ENV: UTC, the C locale), the other runs here under another zone and locale.
    const b = tempDir('det-b');
    const [{ root: a, run: ra }, rb] = await Promise.all([sharedSynth(), runCli('synth', ['--out', b], { TZ: 'Asia/Kolkata', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' })]);
    expect(ra.code, ra.stderr).toBe(0);
    expect(rb.code, rb.stderr).toBe(0);
    const ta = readTree(a);
    const tb = readTree(b);
    expect([...ta.keys()]).toEqual([...tb.keys()]);
    expect(ta.size).toBeGreaterThanOrEqual(4);
    for (const [file, bytes] of ta) expect(bytes.equals(tb.get(file)!), file).toBe(true);
  });
});
