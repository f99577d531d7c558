import type { HelmChartSpec } from './chart-files.ts';
import { templateDocuments, templateObject, withActions, type TemplateDocument } from './chart-templater.ts';
import { TOGGLE_SCHEMA, withHelmLabels } from './component-chart.ts';
import type { Kube } from './config-files-values.ts';
import type { Sentinels } from './sentinels.ts';

/*
 * An umbrella chart installs a whole environment: its component charts as `file://`
 * dependencies, and the environment's platform-wide objects (rules, dashboards, secrets, backups,
 * namespace policies: every cdk8s chart no component chart holds) as templates of its own. Those
 * objects are rendered from each environment's model with the release's namespace and name as
 * markers; the `environment` value picks the environment's objects where they differ. Switches
 * under `global` (which Helm passes to every subchart) turn parts off.
 */

/** Kinds an umbrella does not install, and why; the README gives the same reasons. */
export const NOT_HELM_OWNED: Readonly<Record<string, string>> = {
  Namespace:
    'the release lives in it: `helm install --create-namespace` creates it, and `helm uninstall` must not delete it with everything else in it. ' +
    'Its Pod Security labels are applied by the `kubectl label namespace` command NOTES.txt prints.',
};

/** Labels of a Namespace that Pod Security admission reads. @see https://kubernetes.io/docs/concepts/security/pod-security-admission/ */
const POD_SECURITY_LABEL = /^pod-security\.kubernetes\.io\//;

/** A switch of the umbrella: `global.<key>.enabled` installs a part of the environment or not. */
export interface UmbrellaSwitch {
  readonly key: string;
  /** What it installs, as NOTES.txt says it, e.g. `Observability: rules, routes and dashboards`. */
  readonly about: string;
  /**
   * Kinds it also switches in every other part: a component's monitor, where the component has no
   * chart of its own (a component chart switches its monitor by the same `global` value).
   * @default - none
   */
  readonly kinds?: readonly string[];
}

/** A platform-wide part the umbrella installs itself: the objects of one cdk8s chart (one dist/ file). */
export interface UmbrellaPart {
  /** The cdk8s chart id: `dist/<env>/<chart>.k8s.yaml`. */
  readonly chart: string;
  /** The key of the switch it is behind. @default - none: installed wherever its environment has it */
  readonly switch?: string;
}

/** Input of {@link umbrellaChart}. */
export interface UmbrellaChartProps {
  readonly name: string;
  readonly description: string;
  /** What NOTES.txt calls the whole, e.g. `The shop platform`. */
  readonly title: string;
  readonly version: string;
  readonly appVersion: string;
  /** Every environment, in name order; the last one is the default `environment`. */
  readonly environments: readonly string[];
  readonly switches: readonly UmbrellaSwitch[];
  readonly parts: readonly UmbrellaPart[];
  /**
   * An environment's objects by cdk8s chart, rendered from its model with `sentinels` markers for
   * the release's namespace and name: every part's, and those Helm does not own.
   */
  readonly objects: (env: string) => ReadonlyMap<string, readonly Kube[]>;
  readonly sentinels: Sentinels;
  /** An environment's NOTES.txt lines on how to open the dashboards the parts install (a port-forward, a URL). @default - none */
  readonly dashboards?: (env: string) => readonly string[];
}

/** `texts` by environment as one template: the common text when they agree, else each behind its `environment`. */
function perEnvironment(texts: ReadonlyMap<string, string>): string {
  const distinct = new Set(texts.values());
  if (distinct.size === 1) return [...distinct][0]!;
  return [...texts]
    .filter(([, text]) => text !== '')
    .map(([env, text]) => `{{- if eq .Values.environment ${JSON.stringify(env)} }}\n${text}{{- end }}\n`)
    .join('');
}

/**
 * The documents of every environment, each once: behind the environments that have it (`eq
 * .Values.environment`) unless all do, so that an object the same everywhere is written once and
 * a change to it is one change. Each environment's documents keep their order: those another
 * environment lacks come before the next document they share, after the earlier environments'
 * own. Neighbours behind the same condition share one `{{- if }}`.
 */
function perObject(environments: readonly string[], docsOf: (env: string) => readonly TemplateDocument[]): TemplateDocument[] {
  const merged: { doc: TemplateDocument; key: string; envs: string[] }[] = [];
  for (const env of environments) {
    let at = 0;
    const own: typeof merged = [];
    for (const doc of docsOf(env)) {
      const key = `${doc.condition ?? ''}\u0000${doc.body}`;
      const found = merged.findIndex((m, i) => i >= at && m.key === key && !m.envs.includes(env));
      if (found < 0) {
        own.push({ doc, key, envs: [env] });
        continue;
      }
      // This environment's own documents so far go right before the one it shares.
      at = found + own.length;
      merged.splice(found, 0, ...own.splice(0));
      merged[at]!.envs.push(env);
      at += 1;
    }
    merged.push(...own);
  }
  const docs = merged.map(({ doc, envs }): TemplateDocument => {
    if (envs.length === environments.length) return doc;
    const only = envs.map((e) => `(eq .Values.environment ${JSON.stringify(e)})`);
    const where = only.length === 1 ? only[0]!.slice(1, -1) : `or ${only.join(' ')}`;
    return { body: doc.body, condition: doc.condition ? `and (${where}) ${doc.condition}` : where };
  });
  return docs.reduce<TemplateDocument[]>((out, d) => {
    const last = out[out.length - 1];
    if (last && d.condition !== undefined && last.condition === d.condition) out[out.length - 1] = { body: `${last.body}\n---\n${d.body}`, condition: d.condition };
    else out.push(d);
    return out;
  }, []);
}

/** The dashboards of `objects`: each ConfigMap file that is a Grafana dashboard (JSON with a uid and a title). */
function dashboardsOf(objects: readonly Kube[]): { uid: string; title: string }[] {
  return objects
    .filter((o) => o.kind === 'ConfigMap')
    .flatMap((o) => Object.entries((o['data'] ?? {}) as Record<string, string>))
    .filter(([file]) => file.endsWith('.json'))
    .flatMap(([, json]) => {
      const d = JSON.parse(json) as { uid?: unknown; title?: unknown };
      return typeof d.uid === 'string' && typeof d.title === 'string' ? [{ uid: d.uid, title: d.title }] : [];
    });
}

/**
 * The umbrella chart: its component charts as dependencies (their values nested under their
 * names), its parts as templates, `environment` and the switches as values.
 */
export function umbrellaChart(props: UmbrellaChartProps, components: readonly HelmChartSpec[]): HelmChartSpec {
  const { name, sentinels: s, environments } = props;
  const unknown = props.parts.filter((p) => p.switch !== undefined && !props.switches.some((w) => w.key === p.switch));
  if (unknown.length > 0) throw new Error(`umbrella ${name}: ${unknown.map((p) => `part ${p.chart} is behind switch "${p.switch}", which is not declared`).join('; ')}`);
  const owned = (o: Kube): boolean => !(o.kind in NOT_HELM_OWNED);
  const partObjects = (env: string, part: UmbrellaPart): readonly Kube[] => (props.objects(env).get(part.chart) ?? []).filter(owned);
  const byEnv = (f: (env: string) => string): ReadonlyMap<string, string> => new Map(environments.map((env) => [env, f(env)] as const));
  const gate = (key: string | undefined, text: string): string => (key ? `{{- if .Values.global.${key}.enabled }}\n${text}{{- end }}\n` : text);
  /** The switch of another part that `o`, of `part`, is also behind, by its kind. */
  const kindSwitch = (o: Kube, part: UmbrellaPart): string | undefined => props.switches.find((w) => w.key !== part.switch && w.kinds?.includes(o.kind))?.key;

  const templates = new Map<string, string>();
  for (const part of props.parts) {
    const docs = perObject(
      environments,
      (env) =>
        partObjects(env, part).map((o) => {
          const key = kindSwitch(o, part);
          return { body: templateObject(withHelmLabels(o as unknown as Record<string, unknown>, s, name), s), ...(key ? { condition: `.Values.global.${key}.enabled` } : {}) };
        }),
    );
    if (docs.length > 0) templates.set(`${part.chart}.yaml`, gate(part.switch, templateDocuments(docs)));
  }

  // What NOTES.txt says was installed: each part's objects, the dashboards, and the namespace step.
  const inventory = (parts: readonly UmbrellaPart[], heading = '') =>
    perEnvironment(byEnv((env) => {
      const lines = parts
        .map((p) => [p.chart, partObjects(env, p)] as const)
        .filter(([, objects]) => objects.length > 0)
        .map(([chart, objects]) => `  ${chart}: ${withActions(objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', '), s)}\n`);
      return lines.length > 0 ? heading + lines.join('') : '';
    }));
  const always = inventory(props.parts.filter((p) => p.switch === undefined), 'Installed with them, in this environment:\n');
  const switched = props.switches.map((w) => {
    const flag = `global.${w.key}.enabled`;
    return `{{- if .Values.${flag} }}\n${w.about} (${flag}):\n${inventory(props.parts.filter((p) => p.switch === w.key))}{{- else }}\n${w.about}: not installed (${flag}=false).\n{{- end }}\n`;
  });
  const dashboardParts = props.parts.filter((p) => environments.some((env) => dashboardsOf(partObjects(env, p)).length > 0));
  const dashboards = perEnvironment(byEnv((env) => {
    const found = dashboardParts.flatMap((p) => dashboardsOf(partObjects(env, p)));
    const how = found.length > 0 ? (props.dashboards?.(env) ?? []) : [];
    return [...found.map((d) => `  ${d.title}: /d/${d.uid}`), ...how].map((l) => `${l}\n`).join('');
  }));
  const dashboardSwitches = [...new Set(dashboardParts.map((p) => p.switch))];
  const podSecurity = perEnvironment(byEnv((env) => [...props.objects(env).values()].flat()
    .filter((o) => o.kind === 'Namespace')
    .map((o) => Object.entries((o.metadata as { labels?: Record<string, string> }).labels ?? {}).filter(([k]) => POD_SECURITY_LABEL.test(k)).sort())
    .map((labels) => `  kubectl label namespace {{ .Release.Namespace }} ${labels.map(([k, v]) => `${k}=${v}`).join(' ')} --overwrite\n`)
    .join('')));

  const notes = [
    `${props.title} ({{ .Chart.AppVersion }}), environment {{ .Values.environment }}, is installed in {{ .Release.Namespace }}.\n\n`,
    `Component charts: ${components.map((c) => c.name).join(', ')}.\n`,
    always,
    ...switched,
    dashboards.trim() === ''
      ? ''
      : gate(dashboardSwitches.length === 1 ? dashboardSwitches[0] : undefined, `\nDashboards (Grafana, by path):\n${dashboards}`),
    podSecurity.trim() === '' ? '' : `\nHelm does not own the Namespace. Give it the Pod Security labels dist/ gives it:\n${podSecurity}`,
    '\nRun the components\' smoke tests:\n  helm test {{ .Release.Name }} -n {{ .Release.Namespace }}\n',
  ].join('');

  const nested = (pick: (c: HelmChartSpec) => object | undefined) =>
    Object.fromEntries(
      components.flatMap((c) => {
        const v = pick(c);
        return v && Object.keys(v).length > 0 ? [[c.name, v]] : [];
      }),
    );
  const global = Object.fromEntries(props.switches.map((w) => [w.key, { enabled: true }]));
  return {
    name,
    description: props.description,
    version: props.version,
    appVersion: props.appVersion,
    templates,
    // The umbrella's own templates name the components' objects as dist/ does (a backup job calls
    // cin-node-en, the rules match their claims): each component keeps dist/'s names under any
    // release name, as each environment's values file pins them too.
    values: { environment: environments[environments.length - 1]!, global, ...Object.fromEntries(components.map((c) => [c.name, { fullnameOverride: c.name }])) },
    overlays: new Map(environments.map((env) => [env, { environment: env, ...nested((c) => c.overlays.get(env)) }] as const)),
    valuesSchema: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      title: `Values of the ${name} chart (each component's own schema checks its section)`,
      type: 'object',
      additionalProperties: false,
      required: ['environment', 'global'],
      properties: {
        environment: { type: 'string', enum: [...environments], description: 'whose platform-wide objects to install' },
        global: {
          type: 'object',
          required: props.switches.map((w) => w.key),
          properties: Object.fromEntries(props.switches.map((w) => [w.key, { ...TOGGLE_SCHEMA, description: w.about }])),
        },
        ...Object.fromEntries(components.map((c) => [c.name, { type: 'object' }])),
      },
    },
    notes,
    dependencies: components.map((c) => ({ name: c.name, version: c.version, repository: `file://../${c.name}` })),
  };
}
