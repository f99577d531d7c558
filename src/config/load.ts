import type { ErrorObject } from 'ajv';
import { Quantity } from '../lib/values/index.ts';
import { ENVIRONMENTS_DIR, importEnvironment, listEnvironments } from './environment-files.ts';
import { applyOverrides, formatPath, NO_OVERRIDES, OverrideError, quote, type Overrides, type PathSegment } from './overrides.ts';
import { configValidator } from './_config-validator.ts';
import type { ImageConfig, PlatformConfig, ResourceConfig } from './types.ts';

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
  return value === undefined ? 'nothing' : `${Array.isArray(value) ? 'array' : typeof value} ${JSON.stringify(value)}`;
}

function schemaIssue(e: ErrorObject): ConfigIssue {
  const at = pointerToPath(e.instancePath);
  switch (e.keyword) {
    case 'additionalProperties': {
      const allowed = Object.keys((e.parentSchema as { properties?: object }).properties ?? {}).join(', ');
      return { path: formatPath([...at, e.params.additionalProperty]), message: `unknown field (allowed: ${allowed})` };
    }
    case 'required':
      return { path: formatPath([...at, e.params.missingProperty]), message: 'is required' };
    case 'pattern':
      return {
        path: formatPath(at),
        message: `must be ${(e.parentSchema as { description?: string }).description ?? `like ${e.params.pattern}`}, got ${JSON.stringify(e.data)}`,
      };
    case 'type':
      return { path: formatPath(at), message: `must be ${e.params.type}, got ${describe(e.data)}` };
    default:
      return { path: formatPath(at), message: `${e.message ?? e.keyword}, got ${JSON.stringify(e.data)}` };
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

/** Each route matches on exactly one of prefix, path and regex; names are unique; regexes compile. */
function edgeIssues(config: PlatformConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const names = new Map<string, number>();
  config.edge.routes.forEach((r, i) => {
    const at = `edge.routes[${i}]`;
    const matchers = (['prefix', 'path', 'regex'] as const).filter((k) => r[k] !== undefined);
    if (matchers.length !== 1) {
      issues.push({ path: at, message: `needs exactly one of prefix, path and regex, got ${matchers.length === 0 ? 'none' : matchers.join(' and ')}` });
    }
    if (r.regex !== undefined) {
      try {
        new RegExp(r.regex, 'u');
      } catch (err) {
        issues.push({ path: `${at}.regex`, message: `is not a regular expression: ${(err as Error).message}` });
      }
    }
    if (r.websocket && r.backend !== 'cin-http') {
      issues.push({ path: `${at}.websocket`, message: `only CIN's HTTP API serves WebSockets, got backend "${r.backend}"` });
    }
    const first = names.get(r.name);
    if (first !== undefined) issues.push({ path: `${at}.name`, message: `duplicate route "${r.name}" (already at edge.routes[${first}])` });
    else names.set(r.name, i);
  });
  return issues;
}

/** Rules that need more than one field, evaluated only once the shape is right. */
function semanticIssues(env: string, config: PlatformConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (config.name !== env) {
    issues.push({ path: 'name', message: `must equal the environment's file name "${env}", got "${config.name}"` });
  }
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
  for (const [name, c] of Object.entries(config.components)) {
    if ('maxReplicas' in c && c.maxReplicas < c.replicas) {
      issues.push({ path: `components.${name}.maxReplicas`, message: `must be at least replicas (${c.replicas}), got ${c.maxReplicas}` });
    }
  }
  issues.push(...edgeIssues(config));
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

/** Checks `candidate` against the model; throws a ConfigError listing every problem. */
export function validateConfig(env: string, candidate: unknown): PlatformConfig {
  const validate = configValidator();
  if (!validate(candidate)) {
    const lines = (validate.errors ?? []).map(schemaIssue);
    const unique = [...new Map(lines.map((i) => [`${i.path}\u0000${i.message}`, i])).values()];
    throw new ConfigError(env, unique);
  }
  const config = candidate as PlatformConfig;
  const issues = semanticIssues(env, config);
  if (issues.length > 0) throw new ConfigError(env, issues);
  return config;
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
