import { describe, expect, it } from 'vitest';
import { applyOverrides, formatPath, mergeValues, parsePath } from '../../src/config/index.ts';

describe('overrides | --set paths', () => {
  it('GIVEN a path with indexes THEN it parses to keys and numbers and formats back', () => {
    const path = parsePath('components.cinNode.languages[0].code');
    expect(path).toEqual(['components', 'cinNode', 'languages', 0, 'code']);
    expect(formatPath(path)).toBe('components.cinNode.languages[0].code');
  });

  it.each(['', '.a', 'a..b', '[0].a', 'a[x]'])('GIVEN the malformed path "%s" THEN it throws', (path) => {
    expect(() => parsePath(path)).toThrow(/--set path/);
  });
});

describe('overrides | Helm semantics', () => {
  const base = { a: { b: 1, c: [1, 2] }, d: 'x' };

  it('GIVEN --set values THEN booleans, null and integers are typed and the rest stays a string', () => {
    const out = applyOverrides(base, { files: [], sets: ['a.b=true', 'd=07x', 'e=-3', 'a.c[1]=9'] });
    expect(out).toEqual({ a: { b: true, c: [1, 9] }, d: '07x', e: -3 });
  });

  it('GIVEN --set key=null THEN the key is removed', () => {
    expect(applyOverrides(base, { files: [], sets: ['a.b=null'] })).toEqual({ a: { c: [1, 2] }, d: 'x' });
  });

  it('GIVEN a values file THEN maps merge deeply and lists are replaced whole', () => {
    expect(mergeValues(base, { a: { c: [7] }, f: 1 })).toEqual({ a: { b: 1, c: [7] }, d: 'x', f: 1 });
  });

  it('GIVEN files and sets THEN files apply first, then sets, without mutating the input', () => {
    const out = applyOverrides(base, { files: [{ file: 'x.yaml', values: { d: 'file' } }], sets: ['d=set'] });
    expect(out).toMatchObject({ d: 'set' });
    expect(base.d).toBe('x');
  });
});
