import { describe, expect, it } from 'vitest';
import { HELMS } from './_helm.ts';

/* The chart tests run with a current Helm 3 and with Helm 4: the binaries are the versions they claim. */

describe('Helm binaries |', () => {
  it('GIVEN the binaries THEN there is a Helm 3 and a Helm 4', () => {
    expect(HELMS.map((h) => h.major).sort()).toEqual([3, 4]);
  });

  it.each(HELMS)('GIVEN $name WHEN helm version runs THEN it reports its major version, Helm 3 no older than 3.17', async (h) => {
    const out = await h.run('version', '--short');
    expect(out.code, out.stderr).toBe(0);
    const [major, minor] = /^v(\d+)\.(\d+)\./.exec(out.stdout.trim())!.slice(1).map(Number);
    expect(major).toBe(h.major);
    if (major === 3) expect(minor).toBeGreaterThanOrEqual(17);
  });
});
