import { describe, expect, it } from 'vitest';
import { FORMAT_NAMES } from '../../src/config/_formats.ts';
import { platformConfigSchema } from '../../src/stacks/crumpet/model/schema.ts';
import { Re2Pattern } from '../../src/lib/index.ts';

/** Every value of `key` anywhere in the schema, with where it is. */
function collect(node: unknown, key: string, at = '#'): [where: string, value: string][] {
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([k, v]) => [
    ...(k === key && typeof v === 'string' ? [[at, v] as [string, string]] : []),
    ...collect(v, key, `${at}/${k}`),
  ]);
}

describe('platformConfigSchema |', () => {
  it('GIVEN every pattern of the model schema THEN RE2 compiles it, as Helm (Go regexp, an RE2 dialect) must for the charts\' values schemas', () => {
    const patterns = collect(platformConfigSchema, 'pattern');
    expect(patterns.length).toBeGreaterThan(0);
    for (const [where, pattern] of patterns) expect(() => Re2Pattern.parse(pattern), where).not.toThrow();
  });

  it('GIVEN every format the schema names THEN src/config/_formats.ts checks it', () => {
    const formats = new Set(collect(platformConfigSchema, 'format').map(([, f]) => f));
    expect([...formats].filter((f) => !FORMAT_NAMES.includes(f))).toEqual([]);
  });
});
