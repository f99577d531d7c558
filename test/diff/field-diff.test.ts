import { describe, expect, it } from 'vitest';
import { diffFields, formatFieldChange, REDACTED } from '../../src/diff/index.ts';

describe('diffFields |', () => {
  it('GIVEN one scalar changed THEN only that path is reported', () => {
    const changes = diffFields({ spec: { replicas: 2, paused: false } }, { spec: { replicas: 3, paused: false } });
    expect(changes.map(formatFieldChange)).toEqual(['spec.replicas: 2 → 3']);
  });

  it('GIVEN a list of named objects reordered and one changed THEN items are keyed by name', () => {
    const before = { containers: [{ name: 'web', image: 'a' }, { name: 'side', image: 's' }] };
    const after = { containers: [{ name: 'side', image: 's' }, { name: 'web', image: 'b' }] };
    expect(diffFields(before, after).map(formatFieldChange)).toEqual(['containers[name=web].image: a → b']);
  });

  it('GIVEN fields added and removed THEN they print with + and -', () => {
    const changes = diffFields({ a: 1 }, { b: { c: 2 } }).map(formatFieldChange);
    expect(changes).toEqual(['a: - 1', 'b: + {"c":2}']);
  });

  it('GIVEN a key with dots THEN the path quotes it', () => {
    const changes = diffFields({ labels: { 'app.kubernetes.io/version': '1' } }, { labels: { 'app.kubernetes.io/version': '2' } });
    expect(changes.map(formatFieldChange)).toEqual(['labels["app.kubernetes.io/version"]: 1 → 2']);
  });

  it('GIVEN a redacted path THEN neither value is returned', () => {
    const changes = diffFields({ data: { token: 'old' } }, { data: { token: 'new', extra: 'x' } }, (p) => p.startsWith('data.'));
    expect(changes).toEqual([
      { path: 'data.extra', after: REDACTED },
      { path: 'data.token', before: REDACTED, after: REDACTED },
    ]);
    expect(JSON.stringify(changes)).not.toMatch(/old|new|"x"/);
  });
});
