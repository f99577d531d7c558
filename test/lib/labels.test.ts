import { describe, expect, it } from 'vitest';
import { AppLabels } from '../../src/lib/index.ts';

const labels = (version: string) =>
  new AppLabels({ name: 'web', instance: 'crumpet', component: 'frontend', partOf: 'crumpet', version }).all['app.kubernetes.io/version'];

describe('AppLabels |', () => {
  it.each([
    ['v0.1.0', 'v0.1.0'],
    ['v'.repeat(128), 'v'.repeat(63)],
    ['_build.42', 'build.42'],
    [`${'a'.repeat(62)}-b`, 'a'.repeat(62)],
    ['release-', 'release'],
  ])('GIVEN the OCI tag %s THEN the version label is the valid label value %s', (tag, value) => {
    expect(labels(tag)).toBe(value);
  });

  it('GIVEN a name that is not a label value THEN it throws naming the label', () => {
    expect(() => new AppLabels({ name: 'web!', instance: 'crumpet', component: 'frontend', partOf: 'crumpet', version: 'v1' })).toThrow(
      'label app.kubernetes.io/name must be a valid label value (at most 63 alphanumerics, "-", "_", "."), got "web!"',
    );
  });
});
