import { describe, expect, it } from 'vitest';
import { Cidr } from '../../../src/lib/index.ts';

describe('Cidr |', () => {
  it.each<[string, string, 4 | 6, number]>([
    ['203.0.113.0/24', '203.0.113.0/24', 4, 24],
    ['10.0.0.1/32', '10.0.0.1/32', 4, 32],
    ['0.0.0.0/0', '0.0.0.0/0', 4, 0],
    ['2001:db8::/32', '2001:db8::/32', 6, 32],
    ['2001:DB8:0::/32', '2001:db8::/32', 6, 32],
    ['2001:0db8:0000:0000:0000:0000:0000:0001/128', '2001:db8::1/128', 6, 128],
    ['::/0', '::/0', 6, 0],
    ['::ffff:192.0.2.0/120', '::ffff:192.0.2.0/120', 6, 120],
  ])('GIVEN %s THEN it is the network %s', (text, canonical, family, prefixLength) => {
    const cidr = Cidr.parse(text);
    expect(String(cidr)).toBe(canonical);
    expect(cidr.family).toBe(family);
    expect(cidr.prefixLength).toBe(prefixLength);
  });

  it.each([
    ['203.0.113.5/24', '"203.0.113.5/24" is not an IPv4 or IPv6 CIDR: host bits are set (did you mean 203.0.113.0/24?)'],
    ['2001:db8::1/32', '"2001:db8::1/32" is not an IPv4 or IPv6 CIDR: host bits are set (did you mean 2001:db8::/32?)'],
    ['10.0.0.0', '"10.0.0.0" is not an IPv4 or IPv6 CIDR: has no prefix length ("/24", "/32", "/64", ...)'],
    ['10.0.0.0/33', '"10.0.0.0/33" is not an IPv4 or IPv6 CIDR: prefix length "33" is not a number from 0 to 32'],
    ['2001:db8::/129', '"2001:db8::/129" is not an IPv4 or IPv6 CIDR: prefix length "129" is not a number from 0 to 128'],
    ['10.0.0.0/024', '"10.0.0.0/024" is not an IPv4 or IPv6 CIDR: prefix length "024" is not a number from 0 to 32'],
    ['300.0.0.0/8', '"300.0.0.0/8" is not an IPv4 or IPv6 CIDR: "300.0.0.0" is not an IPv4 or IPv6 address'],
    ['010.0.0.0/8', '"010.0.0.0/8" is not an IPv4 or IPv6 CIDR: "010.0.0.0" is not an IPv4 or IPv6 address'],
    ['fe80::%eth0/64', '"fe80::%eth0/64" is not an IPv4 or IPv6 CIDR: "fe80::%eth0" is not an IPv4 or IPv6 address'],
  ])('GIVEN %s THEN it is refused saying why', (text, message) => {
    expect(() => Cidr.parse(text)).toThrow(message);
  });
});

describe('Cidr | contains', () => {
  it.each([
    ['10.0.0.0/8', '10.1.0.0/16', true],
    ['10.0.0.0/8', '10.0.0.0/8', true],
    ['10.0.0.0/8', '11.0.0.0/16', false],
    ['10.1.0.0/16', '10.0.0.0/8', false],
    ['0.0.0.0/0', '192.168.0.0/16', true],
    ['::/0', '10.0.0.0/8', false],
    ['2001:db8::/32', '2001:db8:1::/48', true],
    ['2001:db8::/32', '2001:db9::/48', false],
  ])('GIVEN %s and %s THEN contains is %s', (outer, inner, expected) => {
    expect(Cidr.parse(outer).contains(Cidr.parse(inner))).toBe(expected);
  });
});
