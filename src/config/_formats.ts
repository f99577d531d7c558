import { Cidr, CronSchedule, DnsName, Duration, ImageReference, isMap, quote, Re2Pattern, resourceRequirementProblems, ValueError, valueSchemas, type ResourceProblem } from '../lib/values/index.ts';
import type { ConfigIssue } from './load.ts';
import { formatPath, type PathSegment } from './overrides.ts';

/*
 * The `format`s of the model's schema: checks a pattern cannot express, made by the value types of
 * src/lib/values. ajv is told they exist and leaves them alone (VALIDATOR_OPTIONS); formatIssues
 * walks the model along the schema and runs them, whether or not the rest of the model is valid,
 * so every problem is reported at once.
 */

/** `host[:port]` of a URL, a CORS origin or a registry: a DNS name and a port from 1 to 65535. */
function hostAndPortProblems(hostPort: string): string[] {
  const colon = hostPort.lastIndexOf(':');
  const host = colon < 0 ? hostPort : hostPort.slice(0, colon);
  const port = colon < 0 ? undefined : hostPort.slice(colon + 1);
  const problems: string[] = [];
  try {
    DnsName.parse(host);
  } catch (err) {
    if (!(err instanceof ValueError)) throw err;
    problems.push(...err.reasons.map((r) => `host ${quote(host, 40)}: ${r}`));
  }
  if (port !== undefined && !(/^[1-9][0-9]{0,4}$/.test(port) && Number(port) <= 65535)) problems.push(`port ${quote(port)} is not in 1-65535`);
  return problems;
}

/**
 * What git's check-ref-format refuses in a branch or tag name beyond its characters (which the
 * schema's pattern keeps to letters, digits, `.`, `_`, `/` and `-`).
 * @see https://git-scm.com/docs/git-check-ref-format
 */
function gitRevisionProblems(text: string): string[] {
  const problems: string[] = [];
  if (text.includes('..')) problems.push('has ".."');
  if (text.includes('//')) problems.push('has "//"');
  if (text.endsWith('/') || text.endsWith('.')) problems.push('ends with "/" or "."');
  const parts = text.split('/');
  if (parts.some((p) => p.startsWith('.'))) problems.push('has a part starting with "."');
  if (parts.some((p) => p.endsWith('.lock'))) problems.push('has a part ending with ".lock"');
  return problems;
}

function check(text: string, expected: string, problems: string[]): void {
  if (problems.length > 0) throw new ValueError(text, expected, problems);
}

/** Each format's check: returns when `text` is valid, throws a ValueError otherwise. */
const FORMATS: Readonly<Record<string, (text: string) => void>> = {
  'dns-name': (text) => void DnsName.parse(text),
  cidr: (text) => void Cidr.parse(text),
  'cron-schedule': (text) => void CronSchedule.parse(text),
  duration: (text) => void Duration.parse(text),
  re2: (text) => void Re2Pattern.parse(text),
  // A PCRE (nginx's `location ~`) of the few characters a path regex of the model may hold (no
  // groups, braces or alternation): there, JavaScript's syntax without flags is PCRE's, and
  // compiling it costs nothing to load.
  'path-regex': (text) => {
    try {
      new RegExp(text);
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
      check(text, 'a regular expression nginx accepts', [err.message.replace(/^Invalid regular expression: \/.*\/: /, '')]);
    }
  },
  'https-url': (text) => check(text, 'an https:// URL', hostAndPortProblems(/^https:\/\/([^/]*)/.exec(text)?.[1] ?? '')),
  'http-url': (text) => check(text, 'an http(s):// URL', hostAndPortProblems(/^https?:\/\/([^/]*)/.exec(text)?.[1] ?? '')),
  'git-repository': (text) => check(text, 'a Git repository URL', hostAndPortProblems(/^https:\/\/([^/]*)/.exec(text)?.[1] ?? /^git@([^:]*):/.exec(text)?.[1] ?? '')),
  'git-revision': (text) => check(text, 'a Git branch, tag or commit', gitRevisionProblems(text)),
  'https-origin': (text) => {
    const hostPort = text.slice('https://'.length);
    // Browsers leave the default port out of Origin, so an origin with :443 would never match.
    const defaultPort = hostPort.endsWith(':443') ? ['port 443 is the default: browsers send the origin without it, so this would never match'] : [];
    check(text, 'an origin such as https://app.example.org', [...hostAndPortProblems(hostPort), ...defaultPort]);
  },
  'bucket-name': (text) => {
    const ip = /^\d+\.\d+\.\d+\.\d+$/.test(text) ? ['is an IP address'] : [];
    const reserved = text.startsWith('xn--') || text.endsWith('-s3alias') || text.endsWith('--ol-s3') ? ['starts with "xn--" or ends with "-s3alias" or "--ol-s3", which S3 reserves'] : [];
    check(text, 'an S3 bucket name', [...ip, ...reserved]);
  },
  'email-address': (text) => {
    const at = text.lastIndexOf('@');
    const local = text.slice(0, at);
    const long = local.length > 64 ? [`the part before "@" has ${local.length} characters, at most 64`] : [];
    // A dot-atom: no dot at either end of the part before "@", nor two in a row (RFC 5322).
    const dots = local.startsWith('.') || local.endsWith('.') || local.includes('..') ? ['the part before "@" has a dot at either end or two in a row'] : [];
    check(text, 'an e-mail address', [...long, ...dots, ...hostAndPortProblems(text.slice(at + 1)).map((p) => p.replace(/^host/, 'domain'))]);
  },
  'image-repository': (text) => {
    const registry = ImageReference.registryOf(text);
    check(text, 'an image repository', registry === undefined ? [] : hostAndPortProblems(registry).map((p) => `registry ${p}`));
  },
};

/** The names of the formats, for ajv. */
export const FORMAT_NAMES: readonly string[] = Object.keys(FORMATS);

/**
 * Each `objectFormat`'s check, for an object whose fields constrain each other: the problems of
 * the object, each at a field below it. ajv knows the keyword and checks nothing (VALIDATOR_OPTIONS).
 */
const OBJECT_FORMATS: Readonly<Record<string, (value: Readonly<Record<string, unknown>>) => readonly ResourceProblem[]>> = {
  'resource-requirements': resourceRequirementProblems,
};

/** The part of a JSON Schema that formatIssues follows. */
interface SchemaNode {
  readonly format?: string;
  readonly [valueSchemas.OBJECT_FORMAT_KEYWORD]?: string;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly additionalProperties?: SchemaNode | boolean;
  readonly propertyNames?: SchemaNode;
  readonly items?: SchemaNode;
}

function formatIssue(format: string | undefined, text: unknown, at: readonly PathSegment[]): ConfigIssue[] {
  if (format === undefined || typeof text !== 'string') return [];
  const run = FORMATS[format];
  if (!run) throw new Error(`schema format "${format}" has no check in src/config/_formats.ts`);
  try {
    run(text);
    return [];
  } catch (err) {
    if (!(err instanceof ValueError)) throw err;
    return [{ path: formatPath(at), message: `is not ${err.expected}, got ${quote(err.text)}: ${err.reasons.join('; ')}` }];
  }
}

/**
 * The format problems of `value` under `schema`, one per field, wherever the shape allows
 * following it: a field of the wrong type is the schema's to report.
 */
export function formatIssues(jsonSchema: object, value: unknown, at: readonly PathSegment[] = []): ConfigIssue[] {
  const schema = jsonSchema as SchemaNode;
  const issues = formatIssue(schema.format, value, at);
  if (isMap(value)) {
    const objectFormat = schema[valueSchemas.OBJECT_FORMAT_KEYWORD];
    if (objectFormat !== undefined) {
      const run = OBJECT_FORMATS[objectFormat];
      if (!run) throw new Error(`schema ${valueSchemas.OBJECT_FORMAT_KEYWORD} "${objectFormat}" has no check in src/config/_formats.ts`);
      issues.push(...run(value).map((p) => ({ path: formatPath([...at, ...p.path]), message: p.message })));
    }
    for (const [key, child] of Object.entries(value)) {
      issues.push(...formatIssue(schema.propertyNames?.format, key, [...at, key]));
      const sub =
        schema.properties && Object.hasOwn(schema.properties, key)
          ? schema.properties[key]
          : typeof schema.additionalProperties === 'object'
            ? schema.additionalProperties
            : undefined;
      if (sub) issues.push(...formatIssues(sub, child, [...at, key]));
    }
  } else if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => issues.push(...formatIssues(schema.items!, item, [...at, i])));
  }
  return issues;
}
