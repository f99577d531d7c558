import type { ErrorObject } from 'ajv';
import { Cidr, Duration, Quantity, quote } from '../lib/values/index.ts';
import { ENVIRONMENTS_DIR, importEnvironment, listEnvironments } from './environment-files.ts';
import { applyOverrides, formatPath, NO_OVERRIDES, OverrideError, type Overrides, type PathSegment } from './overrides.ts';
import { configValidator } from './_config-validator.ts';
import { formatIssues } from './_formats.ts';
import { platformConfigSchema } from './schema.ts';
import type { EdgeRouteConfig, ImageConfig, PlatformConfig, ResourceConfig } from './types.ts';

/** One problem in an environment's configuration. */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

/** Every problem found in one environment's configuration, reported together. */
export class ConfigError extends Error {
  public constructor(
    public readonly environment: string,
    public readonly issues: readonly ConfigIssue[],
  ) {
    super(issues.map((i) => `[${environment}] config ${i.path}: ${i.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

function pointerToPath(pointer: string): PathSegment[] {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function describe(value: unknown): string {
  if (value === undefined || value === null) return value === null ? 'null' : 'nothing';
  return `${Array.isArray(value) ? 'array' : typeof value} ${quote(value)}`;
}

/** A key the user wrote, as a path segment: cut like a value, so a huge key cannot flood the terminal. */
function userKey(key: string): string {
  return key.length > 80 ? `${key.slice(0, 79)}…` : key;
}

function schemaIssue(e: ErrorObject): ConfigIssue {
  // An error about a property name (propertyNames) is reported at that property.
  const at = [...pointerToPath(e.instancePath), ...(e.propertyName === undefined ? [] : [userKey(e.propertyName)])];
  const description = (e.parentSchema as { description?: string } | undefined)?.description;
  switch (e.keyword) {
    case 'additionalProperties': {
      const allowed = Object.keys((e.parentSchema as { properties?: object }).properties ?? {}).join(', ');
      return { path: formatPath([...at, userKey(e.params.additionalProperty)]), message: `unknown field (allowed: ${allowed})` };
    }
    case 'required':
      return { path: formatPath([...at, e.params.missingProperty]), message: 'is required' };
    case 'pattern':
      return { path: formatPath(at), message: `must be ${description ?? `like ${e.params.pattern}`}, got ${quote(e.data)}` };
    case 'type':
      return { path: formatPath(at), message: `must be ${e.params.type}, got ${describe(e.data)}` };
    case 'enum':
      return { path: formatPath(at), message: `must be one of ${(e.params.allowedValues as unknown[]).map((v) => quote(v)).join(', ')}, got ${describe(e.data)}` };
    case 'uniqueItems': {
      const [first, again] = [Math.min(e.params.i, e.params.j), Math.max(e.params.i, e.params.j)];
      return { path: formatPath([...at, again]), message: `duplicate ${quote((e.data as unknown[])[again])} (already at ${formatPath([...at, first])})` };
    }
    default:
      return { path: formatPath(at), message: `${e.message ?? e.keyword}, got ${quote(e.data)}` };
  }
}

function imagesOf(config: PlatformConfig): [string, ImageConfig][] {
  return [
    ...Object.entries(config.components).map(([name, c]): [string, ImageConfig] => [`components.${name}.image`, c.image]),
    ...config.components.cinNode.instanceOverrides.flatMap((o, i): [string, ImageConfig][] =>
      o.image ? [[`components.cinNode.instanceOverrides[${i}].image`, o.image]] : [],
    ),
    ['backups.toolboxImage', config.backups.toolboxImage],
  ];
}

function resourcesOf(config: PlatformConfig): [string, ResourceConfig][] {
  return Object.entries(config.components).map(([name, c]) => [`components.${name}.resources`, c.resources]);
}

/** The longest route timeout: longer ones are mistakes, and Envoy's drain on shutdown must outlast it. */
const MAX_ROUTE_TIMEOUT = Duration.parse('1h');

/** The earlier route that takes every request `r` matches (Envoy takes the first match), if any. */
function shadowOf(routes: readonly EdgeRouteConfig[], i: number): number | undefined {
  const r = routes[i]!;
  const target = r.prefix ?? r.path;
  if (target === undefined) return undefined;
  const at = routes.findIndex((e, j) => j < i && ((e.prefix !== undefined && target.startsWith(e.prefix)) || (e.path !== undefined && r.path === e.path)));
  return at < 0 ? undefined : at;
}

/**
 * Each route matches on exactly one of prefix, path and regex (RE2 compiles regexes: see
 * _formats.ts); names are unique; every route can be reached; timeouts are at most an hour; the
 * token bucket holds at least a second's tokens.
 */
function edgeIssues(config: PlatformConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const names = new Map<string, number>();
  config.edge.routes.forEach((r, i, routes) => {
    const at = `edge.routes[${i}]`;
    const matchers = (['prefix', 'path', 'regex'] as const).filter((k) => r[k] !== undefined);
    if (matchers.length !== 1) {
      issues.push({ path: at, message: `needs exactly one of prefix, path and regex, got ${matchers.length === 0 ? 'none' : matchers.join(' and ')}` });
    }
    const shadow = shadowOf(routes, i);
    if (shadow !== undefined) {
      const by = routes[shadow]!;
      const how = by.prefix !== undefined ? `prefix ${quote(by.prefix)}` : `path ${quote(by.path)}`;
      issues.push({ path: at, message: `is never reached: edge.routes[${shadow}] ("${by.name}", ${how}) comes first and takes every request it matches` });
    }
    const timeout = parsed(Duration.parse, r.timeout);
    if (timeout && timeout.milliseconds > MAX_ROUTE_TIMEOUT.milliseconds) {
      issues.push({ path: `${at}.timeout`, message: `must be at most ${MAX_ROUTE_TIMEOUT} (0s for none), got ${r.timeout}` });
    }
    if (timeout && timeout.milliseconds > 0 && r.websocket) {
      issues.push({ path: `${at}.timeout`, message: `must be 0s on a WebSocket route: Envoy's route timeout would close every WebSocket after it, got ${r.timeout}` });
    }
    if (r.websocket && r.backend !== 'cin-http') {
      issues.push({ path: `${at}.websocket`, message: `only CIN's HTTP API serves WebSockets, got backend "${r.backend}"` });
    }
    const first = names.get(r.name);
    if (first !== undefined) issues.push({ path: `${at}.name`, message: `duplicate route "${r.name}" (already at edge.routes[${first}])` });
    else names.set(r.name, i);
  });
  const { requestsPerSecond, burst } = config.edge.rateLimit;
  if (burst < requestsPerSecond) {
    issues.push({ path: 'edge.rateLimit.burst', message: `must be at least requestsPerSecond (${requestsPerSecond}): the bucket never holds more than a burst, got ${burst}` });
  }
  return issues;
}

/** `secrets.sealed` goes with the sealed-secrets provider: required by it, ignored (so refused) by the other. */
function secretsIssues(config: PlatformConfig): ConfigIssue[] {
  const { provider, sealed } = config.secrets;
  if (provider === 'sealed-secrets' && sealed === undefined) {
    return [{ path: 'secrets.sealed', message: 'is required when secrets.provider is "sealed-secrets": the kubeseal ciphertext of every secret' }];
  }
  if (provider !== 'sealed-secrets' && sealed !== undefined) {
    return [{ path: 'secrets.sealed', message: `is read only when secrets.provider is "sealed-secrets", got provider ${quote(provider)}` }];
  }
  return [];
}

/** `parse(text)`, or undefined when the text is invalid (its format check reports it). */
function parsed<T>(parse: (text: string) => T, text: string): T | undefined {
  try {
    return parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Every CIDR list is an allow-list: a /0 would admit every address (the NetworkPolicies would
 * stop nothing), and two spellings of one network are a duplicate.
 */
function networkIssues(config: PlatformConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [field, list] of Object.entries(config.network)) {
    if (!Array.isArray(list)) continue;
    const seen = new Map<string, number>();
    list.forEach((text: string, i) => {
      const cidr = parsed(Cidr.parse, text);
      if (!cidr) return;
      const at = `network.${field}[${i}]`;
      if (cidr.prefixLength === 0) issues.push({ path: at, message: `admits every address, so the policy would restrict nothing; list the networks, got ${text}` });
      const first = seen.get(String(cidr));
      if (first !== undefined) issues.push({ path: at, message: `duplicate network ${cidr} (already at network.${field}[${first}])` });
      else seen.set(String(cidr), i);
    });
  }
  return issues;
}

/**
 * Scaling: with the autoscaler on, its floor is at least 1 (an HPA never scales up from 0), and
 * every CIN language runs at least one instance (the edge routes to it whatever its replicas).
 */
function scalingIssues(config: PlatformConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [name, c] of Object.entries(config.components)) {
    if (!('maxReplicas' in c)) continue;
    if (c.maxReplicas < c.replicas) {
      issues.push({ path: `components.${name}.maxReplicas`, message: `must be at least replicas (${c.replicas}), got ${c.maxReplicas}` });
    }
    if (config.features.autoscaling && c.replicas < 1) {
      issues.push({
        path: `components.${name}.replicas`,
        message: `must be at least 1 while features.autoscaling is on (a HorizontalPodAutoscaler never scales up from 0), got ${c.replicas}`,
      });
    }
  }
  config.components.cinNode.languages.forEach((lang, i) => {
    if (lang.replicas < 1) {
      issues.push({
        path: `components.cinNode.languages[${i}].replicas`,
        message: `must be at least 1: the edge routes "${lang.code}" to its instances (remove the language to stop serving it, or exclude one instance with instanceOverrides), got ${lang.replicas}`,
      });
    }
  });
  return issues;
}

/** Rules that need more than one field, evaluated only once the shape is right. */
function semanticIssues(env: string, config: PlatformConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (config.name !== env) {
    issues.push({ path: 'name', message: `must equal the environment's file name "${env}", got ${quote(config.name)}` });
  }
  // The platform writes its Namespace with Pod Security "restricted" and a default-deny policy.
  if (config.namespace === 'default' || config.namespace.startsWith('kube-')) {
    issues.push({
      path: 'namespace',
      message: `must be the platform's own namespace, not "default" or a "kube-" one (its Pod Security label and default-deny policy would apply to what runs there), got ${config.namespace}`,
    });
  }
  config.hostnames.forEach((host, i) => {
    if (/^[0-9.]+$/.test(host)) {
      issues.push({ path: `hostnames[${i}]`, message: `must be a DNS name, not an IP address: the edge certificate (ACME) names hosts, got ${host}` });
    }
  });
  const seen = new Map<string, number>();
  config.components.cinNode.languages.forEach((lang, i) => {
    const first = seen.get(lang.code);
    if (first !== undefined) {
      issues.push({
        path: `components.cinNode.languages[${i}].code`,
        message: `duplicate language "${lang.code}" (already at components.cinNode.languages[${first}])`,
      });
    } else seen.set(lang.code, i);
  });
  const replicasOf = new Map(config.components.cinNode.languages.map((l) => [l.code, l.replicas]));
  const overridden = new Map<string, number>();
  config.components.cinNode.instanceOverrides.forEach((o, i) => {
    const at = `components.cinNode.instanceOverrides[${i}]`;
    const replicas = replicasOf.get(o.language);
    if (replicas === undefined) {
      issues.push({ path: `${at}.language`, message: `names no configured language (${[...replicasOf.keys()].join(', ')}), got "${o.language}"` });
    } else if (o.instance >= replicas) {
      issues.push({ path: `${at}.instance`, message: `must be below the language's ${replicas} replicas, got ${o.instance}` });
    }
    const key = `${o.language}-${o.instance}`;
    const first = overridden.get(key);
    if (first !== undefined) {
      issues.push({ path: at, message: `overrides instance ${key} again (already at components.cinNode.instanceOverrides[${first}])` });
    } else overridden.set(key, i);
  });
  issues.push(...scalingIssues(config), ...networkIssues(config), ...edgeIssues(config), ...secretsIssues(config));
  if (config.pinDigests) {
    for (const [path, image] of imagesOf(config)) {
      if (!image.digest) {
        issues.push({
          path: `${path}.digest`,
          message: `is required: this environment pins images by digest (pinDigests), but ${image.repository}:${image.tag} has none`,
        });
      }
    }
  }
  for (const [path, res] of resourcesOf(config)) {
    for (const kind of ['cpu', 'memory'] as const) {
      const limit = res.limits[kind];
      if (limit !== undefined && Quantity.parse(limit).value < Quantity.parse(res.requests[kind]).value) {
        issues.push({
          path: `${path}.limits.${kind}`,
          message: `must be at least requests.${kind} (${res.requests[kind]}), got ${limit}`,
        });
      }
    }
  }
  return issues;
}

/**
 * Checks `candidate` against the model; throws a ConfigError listing every problem: the schema's,
 * then the formats' (value types, wherever the shape lets them be reached; a field the schema
 * already refused is not reported twice), then, once the shape is right, the rules that read
 * several fields.
 */
export function validateConfig(env: string, candidate: unknown): PlatformConfig {
  const validate = configValidator();
  const shaped = validate(candidate);
  const lines = shaped ? [] : (validate.errors ?? []).filter((e) => e.keyword !== 'propertyNames').map(schemaIssue);
  // One problem per field, its first: a value that is empty and also malformed is one mistake.
  const firsts = new Map<string, ConfigIssue>();
  for (const line of lines) if (!firsts.has(line.path)) firsts.set(line.path, line);
  const schema = [...firsts.values()];
  const refused = new Set(firsts.keys());
  const formats = formatIssues(platformConfigSchema, candidate).filter((i) => !refused.has(i.path));
  const issues = [...schema, ...formats, ...(shaped ? semanticIssues(env, candidate as PlatformConfig) : [])];
  if (issues.length > 0) throw new ConfigError(env, issues);
  return candidate as PlatformConfig;
}

/**
 * Loads an environment's file (from `dir`, by default src/config/environments/), applies the
 * overrides and validates the result. Throws a ConfigError listing every problem of the model,
 * or an EnvironmentFileError when the file itself is wrong.
 */
export async function loadEnvironment(env: string, overrides: Overrides = NO_OVERRIDES, dir: string = ENVIRONMENTS_DIR): Promise<PlatformConfig> {
  const known = listEnvironments(dir);
  if (!known.includes(env)) {
    throw new ConfigError(env, [{ path: '--env', message: `unknown environment ${quote(env)}; known: ${known.join(', ')}` }]);
  }
  const model = await importEnvironment(env, dir);
  if (model.issues.length > 0) throw new ConfigError(env, model.issues.map((i) => ({ path: formatPath(i.path), message: i.message })));
  let candidate: unknown;
  try {
    candidate = applyOverrides(model.value, overrides);
  } catch (err) {
    if (!(err instanceof OverrideError)) throw err;
    throw new ConfigError(env, err.issues.length > 0 ? err.issues : [{ path: '(overrides)', message: err.message }]);
  }
  return validateConfig(env, candidate);
}
