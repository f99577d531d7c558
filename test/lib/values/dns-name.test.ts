import { describe, expect, it } from 'vitest';
import { DnsName } from '../../../src/lib/index.ts';

const label63 = 'a'.repeat(63);

describe('DnsName |', () => {
  it.each([
    ['crumpet.example.org', ['crumpet', 'example', 'org']],
    ['a', ['a']],
    ['ebs.csi.aws.com', ['ebs', 'csi', 'aws', 'com']],
    [`${label63}.org`, [label63, 'org']],
    [[label63, label63, label63, 'a'.repeat(61)].join('.'), [label63, label63, label63, 'a'.repeat(61)]],
  ])('GIVEN %s THEN its labels are read', (text, labels) => {
    expect(DnsName.parse(text).labels).toEqual(labels);
  });

  it.each([
    ['', 'is empty'],
    [`${'a'.repeat(70)}.example.org`, `label "${'a'.repeat(22)}… has 70 characters, at most 63`],
    [[label63, label63, label63, 'a'.repeat(62)].join('.'), 'has 254 characters, at most 253'],
    ['Crumpet.org', 'label "Crumpet" must be lower-case letters, digits and "-", starting and ending with a letter or digit'],
    ['-a.org', 'label "-a" must be lower-case letters, digits and "-", starting and ending with a letter or digit'],
    ['a_b.org', 'label "a_b" must be lower-case letters, digits and "-", starting and ending with a letter or digit'],
    ['a..org', 'has an empty label (two dots in a row, or a dot at either end)'],
    ['a.org.', 'has an empty label (two dots in a row, or a dot at either end)'],
  ])('GIVEN %j THEN it is refused: %s', (text, reason) => {
    expect(() => DnsName.parse(text)).toThrow(`is not a DNS name (RFC 1123): ${reason}`);
  });

  it('GIVEN the label syntax THEN the schema pattern built from it agrees with parse on every example', () => {
    const pattern = new RegExp(`^${DnsName.LABEL_SYNTAX}(\\.${DnsName.LABEL_SYNTAX})*$`);
    for (const text of ['crumpet.example.org', 'a', 'Crumpet.org', '-a.org', 'a..org', 'a_b.org']) {
      const parses = (() => {
        try {
          DnsName.parse(text);
          return true;
        } catch {
          return false;
        }
      })();
      expect(pattern.test(text), text).toBe(parses);
    }
  });
});
