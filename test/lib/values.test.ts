import { describe, expect, it } from 'vitest';
import { ImageReference, Quantity, quote } from '../../src/lib/index.ts';

describe('Quantity |', () => {
  it.each([
    ['500m', 0.5],
    ['2', 2],
    ['1.5', 1.5],
    ['512Mi', 512 * 2 ** 20],
    ['50Gi', 50 * 2 ** 30],
    ['1G', 1e9],
  ])('GIVEN %s THEN its value is %d', (text, value) => {
    expect(Quantity.parse(text).value).toBeCloseTo(value);
  });

  it('GIVEN 512MB THEN it throws naming the text', () => {
    expect(() => Quantity.parse('512MB')).toThrow(/"512MB" is not a Kubernetes quantity/);
  });
});

describe('ImageReference |', () => {
  it('GIVEN a digest THEN it renders repository:tag@digest', () => {
    const ref = ImageReference.of({ repository: 'ghcr.io/a/b', tag: 'v1', digest: `sha256:${'a'.repeat(64)}` });
    expect(ref.toString()).toBe(`ghcr.io/a/b:v1@sha256:${'a'.repeat(64)}`);
    expect(ref.pinned).toBe(true);
  });

  it('GIVEN no digest THEN it renders repository:tag and is not pinned', () => {
    const ref = ImageReference.of({ repository: 'ghcr.io/a/b', tag: 'v1' });
    expect(ref.toString()).toBe('ghcr.io/a/b:v1');
    expect(ref.pinned).toBe(false);
  });
});

describe('ImageReference.registryOf |', () => {
  it.each<[string, string | undefined]>([
    ['ghcr.io/crumpet/cin-node', 'ghcr.io'],
    ['registry.local:5000/crumpet/web', 'registry.local:5000'],
    ['localhost/crumpet/web', 'localhost'],
    ['envoyproxy/envoy', undefined],
    ['nginx', undefined],
  ])('GIVEN %s THEN the registry is %s', (repository, registry) => {
    expect(ImageReference.registryOf(repository)).toBe(registry);
  });
});

describe('quote |', () => {
  it('GIVEN a long string THEN it is cut at 80 characters with an ellipsis', () => {
    expect(quote('x'.repeat(1000))).toBe(`"${'x'.repeat(78)}…`);
  });

  it.each<[string, unknown, string]>([
    ['a BigInt', 10n, '"10n"'],
    ['a function', function named() {}, '[function named]'],
    ['a symbol', Symbol('s'), 'Symbol(s)'],
    ['undefined', undefined, 'undefined'],
  ])('GIVEN %s THEN it is described without throwing', (_what, value, text) => {
    expect(quote(value)).toBe(text);
  });

  it('GIVEN a cycle THEN it is described without throwing', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(quote(cycle)).toBe('[unprintable object]');
  });
});
