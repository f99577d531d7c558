import { duplicateNetworks, type ConfigIssue } from '../../../config/index.ts';
import { canaryStepIssues } from '../../../lib/delivery/index.ts';
import { Duration, ImageReference, quote } from '../../../lib/values/index.ts';
import type { EdgeRouteConfig, ImageConfig, PlatformConfig } from './types.ts';

/*
 * Crumpet's rules across fields of its model, run once the model has the schema's shape.
 */

/** What the settings of any component may hold that these rules read: its image as the model's map, or as one reference string. */
type CommonSettings = Partial<{ image: ImageConfig | string; replicas: number; maxReplicas: number }>;

/** Every component's settings, by model key. */
const settingsOf = (config: PlatformConfig): [string, CommonSettings][] => Object.entries(config.components) as [string, CommonSettings][];

function imagesOf(config: PlatformConfig): [string, ImageConfig | string][] {
  return [
    ...settingsOf(config).flatMap(([name, c]): [string, ImageConfig | string][] => (c.image ? [[`components.${name}.image`, c.image]] : [])),
    ...config.components.cinNode.instanceOverrides.flatMap((o, i): [string, ImageConfig][] =>
      o.image ? [[`components.cinNode.instanceOverrides[${i}].image`, o.image]] : [],
    ),
    ['backups.toolboxImage', config.backups.toolboxImage],
  ];
}

/** What keeps an image reference from being pinned by digest: no digest, or not being a reference (ImageReference.parse's one refusal). */
function unpinned(reference: string): string | undefined {
  try {
    if (ImageReference.parse(reference).pinned) return undefined;
  } catch (err) {
    if (!(err instanceof Error)) throw err;
    return err.message.replace(/^image reference /, 'is not an image reference: ');
  }
  return `must name a digest: this environment pins images by digest (pinDigests), but ${quote(reference)} has none`;
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
  (config.edge.routes ?? []).forEach((r, i, routes) => {
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
 * Scaling: with the autoscaler on, its floor is at least 1 (an HPA never scales up from 0), and
 * every CIN language runs at least one instance (the edge routes to it whatever its replicas).
 */
function scalingIssues(config: PlatformConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [name, c] of settingsOf(config)) {
    if (c.maxReplicas === undefined || c.replicas === undefined) continue;
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
export function crumpetChecks(env: string, config: PlatformConfig): ConfigIssue[] {
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
  // An instance excluded is scaled to 0; every instance of a language excluded, the edge still routes it to none.
  const excluded = new Map<string, Set<number>>();
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
    if (o.excluded !== true || replicas === undefined || o.instance >= replicas) return;
    const gone = excluded.get(o.language) ?? new Set<number>();
    excluded.set(o.language, gone.add(o.instance));
    if (gone.size === replicas && first === undefined) {
      issues.push({
        path: `${at}.excluded`,
        message: `excludes the last instance of "${o.language}" left serving: the edge routes "${o.language}" to its instances and none would run (remove the language to stop serving it)`,
      });
    }
  });
  issues.push(...scalingIssues(config), ...duplicateNetworks(config.network), ...edgeIssues(config), ...secretsIssues(config));
  issues.push(...canaryStepIssues(config.delivery.canarySteps).map((i) => ({ ...i, path: `delivery.canarySteps${i.path}` })));
  if (config.pinDigests) {
    for (const [path, image] of imagesOf(config)) {
      if (typeof image === 'string') {
        const problem = unpinned(image);
        if (problem) issues.push({ path, message: problem });
      } else if (!image.digest) {
        issues.push({
          path: `${path}.digest`,
          message: `is required: this environment pins images by digest (pinDigests), but ${image.repository}:${image.tag} has none`,
        });
      }
    }
  }
  return issues;
}

