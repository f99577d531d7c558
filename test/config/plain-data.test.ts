import { describe, expect, it } from 'vitest';
import { MAX_VALUES, toPlainData } from '../../src/config/_plain-data.ts';
import { parseSet } from '../../src/config/index.ts';

/* Model input as plain data (src/config/_plain-data.ts): what JavaScript can hold and YAML or a cluster would not take as written. */

describe('toPlainData | numbers and lists JavaScript makes and data does not have', () => {
  it('GIVEN -0 in an environment file or a --set THEN it is 0, which YAML writes 0 (not -0.0)', () => {
    const { value } = toPlainData({ replicas: -0, list: [-0, 1] }) as { value: { replicas: number; list: number[] } };
    expect(Object.is(value.replicas, 0)).toBe(true);
    expect(Object.is(value.list[0], 0)).toBe(true);
    const [set] = parseSet('components.watcher.replicas=-0');
    expect(Object.is(set!.value, 0)).toBe(true);
  });

  it('GIVEN a sparse list of 2^32-1 holes THEN it is refused as too large at once, not walked hole by hole', () => {
    const start = Date.now();
    const { issues } = toPlainData({ hostnames: new Array(2 ** 32 - 1) });
    expect(issues).toEqual([{ path: [], message: `holds more than ${MAX_VALUES} values once YAML aliases are expanded; refusing it` }]);
    expect(Date.now() - start).toBeLessThan(1000);
  });

  it('GIVEN a Proxy whose traps throw THEN the field is named with what it threw, as a getter that throws is', () => {
    const trap = (): never => {
      throw new Error('proto trap');
    };
    const hostile = new Proxy({}, { getPrototypeOf: trap, ownKeys: trap });
    expect(toPlainData({ components: { web: hostile } }).issues).toEqual([{ path: ['components', 'web'], message: 'reading it failed: proto trap' }]);
  });
});
