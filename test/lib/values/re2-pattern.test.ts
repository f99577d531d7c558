import { describe, expect, it } from 'vitest';
import { Re2Pattern } from '../../../src/lib/index.ts';

describe('Re2Pattern |', () => {
  it.each([
    ['^/grpc\\.[^/]+/[^/]+$', 'the default gRPC route'],
    ['^/(?P<service>[^/]+)/[^/]+$', 'a named group in RE2 syntax, which JavaScript refuses'],
    ['^/\\p{L}+$', 'a Unicode class'],
    ['^/(?i)search$', 'a flag group'],
    ['^/a{2,1000}$', 'the largest repetition RE2 allows'],
  ])('GIVEN %j (%s) THEN RE2 compiles it', (text) => {
    expect(Re2Pattern.parse(text).source).toBe(text);
  });

  it.each([
    ['^/(?=x)', 'invalid perl operator: (?=', 'a look-ahead, which JavaScript accepts'],
    ['^/(?!x)', 'invalid perl operator: (?!', 'a negative look-ahead'],
    ['^/(?<=x)', 'invalid perl operator: (?<', 'a look-behind'],
    ['^/(a)\\1', 'invalid escape sequence: \\1', 'a back-reference'],
    ['^/\\u0041', 'invalid escape sequence: \\u', 'a JavaScript-only escape'],
    ['^/a++', 'bad repetition operator: ++', 'a possessive quantifier'],
    ['^/(', 'missing ): ^/(', 'an unclosed group'],
    ['^/a{1001}', 'invalid repetition size: {1001}', 'a repetition over 1000'],
    ['^/(?P<a>x)(?P<a>y)', 'duplicate capture group name: a', 'one group name twice'],
  ])('GIVEN %j THEN it is refused with RE2\'s message %j (%s)', (text, message) => {
    expect(() => Re2Pattern.parse(text)).toThrow(`is not a regular expression RE2 accepts: ${message}`);
  });
});
