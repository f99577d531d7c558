import { describe, expect, it } from 'vitest';
import { ImageReference, Quantity } from '../../src/lib/index.ts';

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
