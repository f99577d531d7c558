import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { generatedYaml } from '../../src/observability/index.ts';

/*
 * generatedYaml reuses the text of a value it dumped before, found by the value's JSON. JSON
 * cannot tell some values apart that YAML writes differently: each must still get its own text.
 */
const dump = (value: unknown): string => yaml.dump(value, { sortKeys: true, lineWidth: -1, noRefs: true });

describe('generatedYaml | reused texts', () => {
  it.each([
    ['NaN and null', { v: NaN }, { v: null }],
    ['Infinity and null', { v: [Infinity] }, { v: [null] }],
    ['-0 and 0', { v: -0 }, { v: 0 }],
    ['a string that reads as a tag and NaN', { v: '\u0000NaN' }, { v: NaN }],
  ])('GIVEN %s, equal in JSON WHEN dumped one after the other THEN each is written as js-yaml writes it', (_, first, second) => {
    expect(JSON.stringify(first) === JSON.stringify(second) || JSON.stringify(first).includes('\\u0000')).toBe(true);
    for (const value of [first, second, first]) expect(generatedYaml(value, '')).toBe(dump(value));
  });

  it('GIVEN undefined where JSON writes null or nothing WHEN dumped after the null or the absence THEN each is written as js-yaml writes it', () => {
    for (const [a, b] of [
      [{ v: [null] }, { v: [undefined] }],
      [{ w: 1 }, { v: undefined, w: 1 }],
    ] as const) {
      expect(JSON.stringify(a)).toBe(JSON.stringify(b));
      expect(generatedYaml(a, '')).toBe(dump(a));
      expect(generatedYaml(b, '')).toBe(dump(b));
    }
  });

  it('GIVEN the same value twice THEN the second text is the first, under each header', () => {
    const value = { groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up == 0', for: '5m' }] }] };
    expect(generatedYaml(value, '# a\n')).toBe(`# a\n${dump(value)}`);
    expect(generatedYaml(structuredClone(value), '# b\n')).toBe(`# b\n${dump(value)}`);
  });
});
