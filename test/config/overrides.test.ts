import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyOverrides, formatPath, mergeValues, OverrideError, overridesFor, parsePath, parseSet, readOverrideFile, schemaHasPath } from '../../src/config/index.ts';
import { tempDir } from '../_helpers.ts';

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

describe('overrides | Helm --set syntax', () => {
  it('GIVEN several assignments, a list and escapes THEN each lands where Helm puts it', () => {
    expect(parseSet('a.b=1,c={x,2},d\\.e=f\\,g')).toEqual([
      { path: ['a', 'b'], value: 1 },
      { path: ['c'], value: ['x', 2] },
      { path: ['d.e'], value: 'f,g' },
    ]);
    expect(parseSet('a={}')).toEqual([{ path: ['a'], value: [] }]);
  });

  it('GIVEN --set-string THEN every value stays a string', () => {
    expect(parseSet('a=2,b=true,c={1,null}', true)).toEqual([
      { path: ['a'], value: '2' },
      { path: ['b'], value: 'true' },
      { path: ['c'], value: ['1', 'null'] },
    ]);
  });

  it('GIVEN a key with a dot THEN formatPath escapes it so the path can be given back to --set', () => {
    const path = ['secrets', 'sealed', 'watcher-signing-key', 'ed25519.key'];
    expect(formatPath(path)).toBe('secrets.sealed.watcher-signing-key.ed25519\\.key');
    expect(parsePath(formatPath(path))).toEqual(path);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('GIVEN "%s" as a segment THEN it is refused and no prototype changes', (key) => {
    expect(() => parseSet(`${key}.polluted=1`)).toThrow(new RegExp(`"${key}" is not allowed as a field name`));
    expect(() => applyOverrides({}, { files: [], sets: [`a.${key}.polluted=1`] })).toThrow(/is not allowed/);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('GIVEN a list addressed by name, an index past its end, or a map by index THEN the shape is refused at the path', () => {
    const err = (() => {
      try {
        applyOverrides({ l: [1], m: {} }, { files: [], sets: ['l.length=0', 'l[3]=1', 'm[0]=1'] });
      } catch (e) {
        return e as OverrideError;
      }
      return undefined;
    })();
    expect(err?.issues.map((i) => i.path)).toEqual(['l.length', 'l[3]', 'm[0]']);
    expect(applyOverrides({ l: [1] }, { files: [], sets: ['l[1]=2'] })).toEqual({ l: [1, 2] });
  });
});

describe('overrides | values files', () => {
  const file = (text: string): string => {
    const path = join(tempDir('values'), 'v.yaml');
    writeFileSync(path, text);
    return path;
  };

  it('GIVEN dates, anchors and merge keys THEN dates stay text and merges apply', () => {
    expect(readOverrideFile(file('d: 2024-01-01\nbase: &b { x: 1 }\nother:\n  <<: *b\n  y: 2\n')).values).toEqual({
      d: '2024-01-01',
      base: { x: 1 },
      other: { x: 1, y: 2 },
    });
  });

  it('GIVEN a file with nothing but comments, or empty THEN it overrides nothing, as Helm reads an empty values file; a scalar is refused', () => {
    expect(readOverrideFile(file('# prod overrides: none yet\n')).values).toEqual({});
    expect(readOverrideFile(file('')).values).toEqual({});
    expect(() => readOverrideFile(file('3\n'))).toThrow(/must hold a YAML map of overrides/);
  });

  it('GIVEN aliases expanding past the limit THEN it is refused without expanding them', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdef'.split('').map((c, i) => `${c}: &${c} [${Array(10).fill(`*${'abcdef'[i]}`).join(', ')}]`)].join('\n');
    expect(() => readOverrideFile(file(bomb))).toThrow(/holds more than 100000 values once YAML aliases are expanded/);
  });
});

describe('overrides | several models at once', () => {
  // Two models as two stacks have them: a field each of their own, and one they share.
  const shop = {
    type: 'object',
    additionalProperties: false,
    properties: {
      features: { type: 'object', additionalProperties: false, properties: { canary: { type: 'boolean' }, networkPolicy: { type: 'boolean' } } },
      components: { type: 'object', additionalProperties: false, properties: { web: { type: 'object', additionalProperties: false, properties: { replicas: { type: 'integer' } } } } },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      hosts: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { name: { type: 'string' } } } },
    },
  };
  const db = {
    type: 'object',
    additionalProperties: false,
    properties: {
      features: { type: 'object', additionalProperties: false, properties: { networkPolicy: { type: 'boolean' } } },
      components: { type: 'object', additionalProperties: false, properties: { db: { type: 'object', additionalProperties: false, properties: { replicas: { type: 'integer' } } } } },
    },
  };

  it('GIVEN a schema THEN a path is its when each key is a property, a key of a map it gives values for, or an index of a list', () => {
    expect(schemaHasPath(shop, ['components', 'web', 'replicas'])).toBe(true);
    expect(schemaHasPath(shop, ['labels', 'any-key'])).toBe(true);
    expect(schemaHasPath(shop, ['hosts', 3, 'name'])).toBe(true);
    expect(schemaHasPath(shop, ['components', 'db', 'replicas'])).toBe(false);
    expect(schemaHasPath(shop, ['hosts', 'name'])).toBe(false);
    expect(schemaHasPath(shop, ['features', 'canary', 'x'])).toBe(false);
  });

  it("GIVEN --set and a values file touching both models' fields THEN each model takes its own, and both take the shared one", () => {
    const overrides = {
      files: [{ file: 'v.yaml', values: { features: { networkPolicy: false, canary: true }, components: { db: { replicas: 5 } } } }],
      sets: ['components.web.replicas=3,components.db.replicas=4'],
    };
    const base = { features: { networkPolicy: true, canary: false }, components: {} };
    expect(applyOverrides(base, overridesFor(overrides, shop, [db]))).toEqual({ features: { networkPolicy: false, canary: true }, components: { web: { replicas: 3 } } });
    expect(applyOverrides({ features: { networkPolicy: true }, components: {} }, overridesFor(overrides, db, [shop]))).toEqual({
      features: { networkPolicy: false },
      components: { db: { replicas: 4 } },
    });
  });

  it('GIVEN a path no model has THEN every model takes it, and so reports its unknown field', () => {
    const overrides = { files: [], sets: ['components.wbe.replicas=3'] };
    expect(applyOverrides({ components: {} }, overridesFor(overrides, shop, [db]))).toEqual({ components: { wbe: { replicas: 3 } } });
    expect(applyOverrides({ components: {} }, overridesFor(overrides, db, [shop]))).toEqual({ components: { wbe: { replicas: 3 } } });
  });
});
