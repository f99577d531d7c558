import { mergeValues } from '../../config/overrides.ts';
import { valueSchemas } from '../../lib/values/index.ts';
import { labelMatchers } from '../../observability/index.ts';
import { at, ChartFieldValues, put, setAt, type ChartField } from './chart-fields.ts';
import type { ChartSmokeTest, HelmChartSpec } from './chart-files.ts';
import { templateObjects, type TemplateObject } from './chart-templater.ts';
import { ConfigFilesAsValues, configFilesOf, proveChecksums, type Kube } from './config-files-values.ts';
import { proveEnvironments } from './environment-proof.ts';
import { combineMarkerModels, foreignMarkers, ownMarkers } from './marker-models.ts';
import { Sentinels } from './sentinels.ts';

/*
 * A Helm chart generated from the constructs that make dist/: the chart's objects are rendered
 * once more from a model whose chart values are markers (sentinels.ts), and the markers become
 * template expressions. `values-<env>.yaml` holds what each environment changes, so
 * `helm template <release> charts-out/<chart> -f values-<env>.yaml -n <namespace>` renders the
 * objects of that environment's dist/ file. Driven by data: which model fields are values
 * (ChartField), which optional kinds a switch turns off (ChartToggle), and how the smoke test
 * reaches the component.
 */

/** Labels only Helm sets, the one allowed difference between a chart's render and dist/. */
export const HELM_ONLY_LABELS = {
  'helm.sh/chart': 'the chart name and version',
  'app.kubernetes.io/managed-by': 'Helm (dist/ says cdk8s)',
} as const;

/** curl, for the `helm test` smoke tests. */
export const SMOKE_TEST_IMAGE = {
  repository: 'docker.io/curlimages/curl',
  tag: '8.11.0',
  digest: 'sha256:83a505ba2ba62f208ed6e410c268b7b9aa48f0f7b403c8108b9773b44199dbba',
} as const;

/**
 * An optional part of charts, switched by `<key>.enabled`: the objects of some kinds, or those
 * of one `app.kubernetes.io/component`.
 */
export interface ChartToggle {
  readonly key: string;
  /** The kinds of object the part adds. @default - none: the part is `component`'s objects */
  readonly kinds?: readonly string[];
  /** The `app.kubernetes.io/component` label of the objects the part adds, whatever their kind (a kind's switch does not apply to them). @default - none */
  readonly component?: string;
  /** The model's boolean that turns the part on. @default - none: the part is on in every model, and only a value turns it off */
  readonly path?: readonly string[];
  /**
   * The umbrella's switch that turns it off too, as `global.<part>.enabled` (Helm passes an
   * umbrella's `global` values to every subchart; a chart installed alone has it on).
   * @default - only `<key>.enabled`
   */
  readonly part?: string;
}

/** The toggle of `obj`: the first of its component's, else the first of its kind's. */
export function toggleOf(obj: Kube, toggles: readonly ChartToggle[]): ChartToggle | undefined {
  const component = obj.metadata.labels?.['app.kubernetes.io/component'];
  return toggles.find((t) => t.component !== undefined && t.component === component) ?? toggles.find((t) => t.component === undefined && t.kinds?.includes(obj.kind));
}

/** The toggles that switch at least one of `objects`, in their order. */
export function togglesOf<T extends ChartToggle>(objects: readonly Kube[], toggles: readonly T[]): T[] {
  const used = new Set<ChartToggle | undefined>(objects.map((o) => toggleOf(o, toggles)));
  return toggles.filter((t) => used.has(t));
}

/** Whether the model switches the toggle (by a boolean at its path), rather than values alone. */
function modelSwitch<C>(t: ChartToggle, model: C): boolean | undefined {
  const on = t.path ? at(model, t.path) : true;
  return typeof on === 'boolean' ? on : undefined;
}

/** The umbrella switch of the observability: its objects, and every component's monitor. */
export const OBSERVABILITY_PART = 'observability';

/**
 * The optional part of a chart that is its observability: the objects labelled as `component`
 * (its PrometheusRule, its dashboards), switched by `monitoring.enabled` and by the umbrella's
 * `global.observability.enabled` like the component's monitor.
 */
export function monitoringToggle(component: string): ChartToggle {
  return { key: 'monitoring', component, part: OBSERVABILITY_PART };
}

/** A part of some kinds that the model switches. */
export type KindToggle = ChartToggle & { readonly kinds: readonly string[]; readonly path: readonly string[] };

/** The optional parts of a component, by the kinds they add. */
export function standardToggles(featuresPath: readonly string[]): KindToggle[] {
  return [
    { key: 'rollout', kinds: ['Rollout', 'AnalysisTemplate'], path: [...featuresPath, 'rollouts'] },
    { key: 'autoscaling', kinds: ['HorizontalPodAutoscaler'], path: [...featuresPath, 'autoscaling'] },
    { key: 'podDisruptionBudget', kinds: ['PodDisruptionBudget'], path: [...featuresPath, 'podDisruptionBudget'] },
    { key: 'serviceMonitor', kinds: ['ServiceMonitor', 'PodMonitor'], path: [...featuresPath, 'serviceMonitor'], part: OBSERVABILITY_PART },
    { key: 'networkPolicy', kinds: ['NetworkPolicy'], path: [...featuresPath, 'networkPolicy'] },
  ];
}

/** One environment's model and what dist/ holds of the chart for it. */
export interface ChartEnvironment<C> {
  readonly env: string;
  readonly config: C;
  readonly objects: readonly Kube[];
}

/** A component's chart, as {@link componentCharts} renders it with others from one app. */
export interface ComponentChartSpec<C> {
  readonly name: string;
  readonly description: string;
  readonly version: string;
  readonly appVersion: string;
  /** Every environment, in name order; the last one's values are the chart's defaults. */
  readonly environments: readonly ChartEnvironment<C>[];
  /** Model fields that are chart values. */
  readonly fields: readonly ChartField[];
  /** Optional parts; only those whose kinds the chart renders become switches. */
  readonly toggles: readonly ChartToggle[];
  /** The model's image of the component, as the `image` value and the `<chart>.image` helper. @default - none */
  readonly image?: readonly string[];
  /**
   * More images of the model the chart's objects run (other components of a stack's one chart),
   * each as the value at its dotted path (`console.image`), rendered by the same helper.
   * @default - none
   */
  readonly images?: readonly ChartImage[];
  /** The smoke test: a port and path of the chart's Service, or a test of its own. @default - none */
  readonly smokeTest?: { readonly port: number; readonly path: string; readonly targetPort?: number } | ChartSmokeTest;
  /** Changes the marker model further (e.g. a composite value as a helper). @default - none */
  readonly prepare?: (model: C, s: Sentinels) => C;
  /** Object names the chart computes otherwise (a name to a template marker). @default - every name starting with the chart's is the release's fullname */
  readonly rename?: (objects: readonly Kube[], s: Sentinels, byFullname: (name: string) => string | undefined) => (name: string) => string | undefined;
  /** Per environment, what its overlay pins beyond `fullnameOverride` (names as in dist/). @default - none */
  readonly pinned?: (objects: readonly Kube[]) => Record<string, unknown>;
  /** Values every environment has beyond the fields (a default an overlay pins). @default - none */
  readonly extraValues?: Record<string, unknown>;
  /** Values each environment takes from its model beyond the fields (a Rollout's `canarySteps`). @default - none */
  readonly envValues?: (config: C) => Record<string, unknown>;
  /** Their schemas, by dotted value path. @default - none */
  readonly extraSchema?: Readonly<Record<string, object>>;
  /** NOTES.txt: a line about what it serves, and commands that check it before `helm test`. @default - neither */
  readonly notes?: { readonly about?: string; readonly checks?: readonly string[] };
}

/** An image of the model a chart carries as a value. */
export interface ChartImage {
  /** Where the chart keeps it, dotted under `.Values`: `console.image`. */
  readonly value: string;
  /** Where the model keeps it. */
  readonly path: readonly string[];
}

/** Every image the chart carries: the component's own as `image`, then the others. */
function imagesOf<C>(input: ComponentChartSpec<C>): ChartImage[] {
  return [...(input.image ? [{ value: 'image', path: input.image }] : []), ...(input.images ?? [])];
}

/** Input of {@link componentChart}. */
export interface ComponentChartInput<C> extends ComponentChartSpec<C> {
  /** The chart's objects rendered from a model (the stack's app, its chart named like this one). */
  readonly render: (model: C) => Kube[];
}

/** Keys whose values name objects of the chart (`dnsNames`: a certificate's Service names). */
const NAME_KEYS = new Set(['name', 'serviceAccountName', 'serviceName', 'claimName', 'secretName', 'dnsNames', 'activeService', 'previewService', 'templateName']);

/** `value` with every object name that `rename` maps replaced; names it maps to undefined stay. */
export function renamed(value: unknown, rename: (name: string) => string | undefined, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => renamed(v, rename, key === 'dnsNames' ? key : ''));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renamed(v, rename, k)]));
  }
  if (typeof value === 'string' && NAME_KEYS.has(key)) return rename(value) ?? value;
  return value;
}

/** Names that start with the chart's base name start with the fullname marker instead. */
export function byFullname(base: string, fullname: string): (name: string) => string | undefined {
  return (name) => (name === base || name.startsWith(`${base}-`) ? fullname + name.slice(base.length) : undefined);
}

/** The marker of the chart's fullname. */
export function fullnameOf(chart: string, s: Sentinels): string {
  return s.string(`include "${chart}.fullname" $`);
}

/** `rename`, except that `name` becomes `to`. */
export function withName(name: string, to: string, rename: (name: string) => string | undefined): (name: string) => string | undefined {
  return (n) => (n === name ? to : rename(n));
}

/** Helm's labels on every object: its chart label, and Helm as the manager. */
export function withHelmLabels(obj: Record<string, unknown>, s: Sentinels, chart: string): Record<string, unknown> {
  const managedBy = s.string('$.Release.Service');
  const replaceManager = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(replaceManager);
    if (typeof v !== 'object' || v === null) return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === 'app.kubernetes.io/managed-by' ? managedBy : replaceManager(x)]));
  };
  const out = replaceManager(obj) as { metadata: { labels: Record<string, string> } };
  out.metadata.labels = { ...out.metadata.labels, 'helm.sh/chart': s.string(`include "${chart}.chart" $`) };
  return out as unknown as Record<string, unknown>;
}

/** The chart values switching `obj` on (`.Values...`, or `$.Values...` inside a range), if it is optional. */
export function conditionOf(obj: Kube, toggles: readonly ChartToggle[], prefix: '.' | '$.'): string | undefined {
  const toggle = toggleOf(obj, toggles);
  if (!toggle) return undefined;
  const own = `${prefix}Values.${toggle.key}.enabled`;
  return toggle.part ? `and ${own} ${prefix}Values.global.${toggle.part}.enabled` : own;
}

/** The `global` values of the umbrella switches `toggles` answer to, all on (an umbrella's own `global` overrides them). */
export function globalSwitches(toggles: readonly ChartToggle[]): Record<string, unknown> {
  const parts = [...new Set(toggles.flatMap((t) => (t.part ? [t.part] : [])))].sort();
  return parts.length > 0 ? { global: Object.fromEntries(parts.map((p) => [p, { enabled: true }])) } : {};
}

/**
 * The objects an autoscaler scales, with their `replicas` back as `replicaCount` rendered only
 * while `autoscaling.enabled` is false (the marker model has every autoscaler on, so the
 * constructs leave the field out, as they do in dist/ when the autoscaler owns it).
 */
function withReplicasUnlessAutoscaled(objects: readonly Kube[], s: Sentinels): Kube[] {
  const scaled = new Set(
    objects
      .filter((o) => o.kind === 'HorizontalPodAutoscaler')
      .map((h) => (h as unknown as { spec: { scaleTargetRef: { kind: string; name: string } } }).spec.scaleTargetRef)
      .map((ref) => `${ref.kind}/${ref.name}`),
  );
  return objects.map((o) =>
    scaled.has(`${o.kind}/${o.metadata.name}`)
      ? ({ ...o, spec: { ...(o['spec'] as object), replicas: s.numberIf('not $.Values.autoscaling.enabled', '$.Values.replicaCount') } } as Kube)
      : o,
  );
}

/**
 * The objects a Rollout changes, rendered for either value of `rollout.enabled` (the marker
 * model has every Rollout on): the Deployment it takes over has `replicaCount` back while
 * neither the Rollout nor an autoscaler owns them, and an autoscaler scales the Rollout or,
 * without one, the Deployment.
 */
function withRolloutVariants(objects: readonly Kube[], s: Sentinels, autoscaled: boolean, chart: string): Kube[] {
  type Ref = { apiVersion: string; kind: string; name: string };
  const takenOver = new Set(
    objects.filter((o) => o.kind === 'Rollout').map((r) => (r as unknown as { spec: { workloadRef: Ref } }).spec.workloadRef.name),
  );
  const owned = autoscaled ? 'or $.Values.autoscaling.enabled $.Values.rollout.enabled' : '$.Values.rollout.enabled';
  return objects.map((o): Kube => {
    const spec = o['spec'] as Record<string, unknown>;
    if (o.kind === 'Deployment' && takenOver.has(o.metadata.name!)) {
      return { ...o, spec: { ...spec, replicas: s.numberIf(`not (${owned})`, '$.Values.replicaCount') } } as Kube;
    }
    const strategy = o.kind === 'Rollout' ? (spec['strategy'] as { canary?: object }) : undefined;
    if (strategy?.canary) {
      // The environment's canary steps, from the values (canarySteps), with the chart's analysis.
      const steps = s.string(`include "${chart}.canarySteps" $`);
      s.literal(steps, `include "${chart}.canarySteps" $`);
      return { ...o, spec: { ...spec, strategy: { ...strategy, canary: { ...strategy.canary, steps } } } } as Kube;
    }
    const ref = o.kind === 'HorizontalPodAutoscaler' ? (spec['scaleTargetRef'] as Ref) : undefined;
    if (ref?.kind === 'Rollout') {
      const either = (rollout: string, deployment: string) => s.string(`ternary "${rollout}" "${deployment}" $.Values.rollout.enabled`);
      return { ...o, spec: { ...spec, scaleTargetRef: { ...ref, apiVersion: either(ref.apiVersion, 'apps/v1'), kind: either('Rollout', 'Deployment') } } } as Kube;
    }
    return o;
  });
}

/** Values in `values` that differ from `defaults`, with null for keys `values` drops (Helm's delete). */
export function overlay(values: Record<string, unknown>, defaults: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(defaults), ...Object.keys(values)])) {
    const v = values[key];
    const d = defaults[key];
    if (!(key in values)) out[key] = null;
    else if (typeof v === 'object' && v !== null && !Array.isArray(v) && typeof d === 'object' && d !== null && !Array.isArray(d)) {
      const inner = overlay(v as Record<string, unknown>, d as Record<string, unknown>);
      if (Object.keys(inner).length > 0) out[key] = inner;
    } else if (JSON.stringify(v) !== JSON.stringify(d)) out[key] = v;
  }
  return out;
}

/** Deep merge of maps (later wins, lists replaced), for an environment's values and its pins. */
export function mergeTrees(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(base);
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = typeof v === 'object' && v !== null && !Array.isArray(v) && typeof b === 'object' && b !== null && !Array.isArray(b)
      ? mergeTrees(b as Record<string, unknown>, v as Record<string, unknown>)
      : structuredClone(v);
  }
  return out;
}

/**
 * JSON Schema for Helm (draft-07): the model's schema without ajv's `nullable`, `default`s or
 * `format`s. The model's formats are its own checks (src/config/_formats.ts), and some share a
 * name with a standard format of another meaning: Helm 4 asserts `duration` as ISO 8601 and would
 * refuse the model's `1h`. A `format` whose value is a schema is a property so named, and stays.
 * Object formats stay for chartFiles, which writes them as checks (value-checks.ts).
 */
export function draft07(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(draft07);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([k, v]) => k !== 'nullable' && k !== '$id' && k !== 'default' && !(k === 'format' && typeof v === 'string'))
      .map(([k, v]) => [k, draft07(v)]),
  );
}

/** Schema of a switch. */
export const TOGGLE_SCHEMA = { type: 'object', additionalProperties: false, required: ['enabled'], properties: { enabled: { type: 'boolean' } } };
const NAME_OVERRIDE_SCHEMA = { type: 'string', pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$', maxLength: 63 };

/** Schema pieces every chart's values share; `image` is the schema of an image value. */
export function commonValueSchemas(image: object): Record<string, object> {
  return {
    global: { type: 'object' },
    nameOverride: NAME_OVERRIDE_SCHEMA,
    fullnameOverride: NAME_OVERRIDE_SCHEMA,
    test: { type: 'object', additionalProperties: false, required: ['image'], properties: { image } },
  };
}

/**
 * A chart's default values and per-environment overlays. Defaults are the values of the last
 * environment in name order; each overlay holds what its environment changes, plus the pinned
 * names (`fullnameOverride`) so object names are those of dist/.
 */
export function valuesAndOverlays(
  perEnv: readonly (readonly [env: string, values: Record<string, unknown>, pinned: Record<string, unknown>])[],
): { values: Record<string, unknown>; overlays: Map<string, Record<string, unknown>> } {
  const values: Record<string, unknown> = {
    nameOverride: '',
    fullnameOverride: '',
    ...structuredClone(perEnv[perEnv.length - 1]![1]),
    test: { image: { ...SMOKE_TEST_IMAGE } },
  };
  const overlays = new Map(perEnv.map(([env, v, pinned]) => [env, overlay(mergeTrees({ ...values, ...v }, pinned), values)] as const));
  return { values, overlays };
}

/** Labels of the release's pods of a component, as Go templates. */
export function releasePods(component: string): Record<string, string> {
  return { 'app.kubernetes.io/name': component, 'app.kubernetes.io/instance': '{{ .Release.Name | quote }}' };
}

/**
 * A component's chart. The marker model is the first environment's with every field and the
 * image as markers and every toggle on; the chart's objects rendered from it become the
 * templates, one file per kind.
 */
export function componentChart<C>(input: ComponentChartInput<C>): HelmChartSpec {
  return componentCharts([input], (model) => new Map([[input.name, input.render(model)]]))[0]!;
}

/**
 * Several components' charts (as {@link componentChart}) from one render: every chart's markers
 * go into one model (marker-models.ts) and `render` returns each chart's objects, by chart name,
 * from that model (the stack's app, built once). The charts must share their environments' models.
 * Throws when a chart's objects read another chart's value, naming the object and field.
 */
export function componentCharts<C>(specs: readonly ComponentChartSpec<C>[], render: (model: C) => ReadonlyMap<string, readonly Kube[]>): HelmChartSpec[] {
  if (specs.length === 0) return [];
  const base = specs[0]!.environments[0]!.config;
  const other = specs.find((spec) => spec.environments[0]!.config !== base);
  if (other) throw new Error(`chart ${other.name}: componentCharts renders charts of one model, and its first environment's differs from chart ${specs[0]!.name}'s`);
  const sentinels = specs.map((_, i) => new Sentinels(i));
  const marked = specs.map((spec, i) => markerModel(spec, base, sentinels[i]!));
  const { model, adopted } = combineMarkerModels(base, marked.map((m) => m.model));
  const rendered = render(model);
  return specs.map((spec, i) => {
    const objects = rendered.get(spec.name);
    if (!objects) throw new Error(`chart ${spec.name}: the app renders no chart of that name`);
    const own = ownMarkers(objects, adopted[i]!);
    const others = sentinels.filter((_, j) => j !== i);
    const problems = own.flatMap((o) => foreignMarkers(o, sentinels[i]!, others).map((p) => `${o.kind}/${o.metadata.name} ${p}`));
    if (problems.length > 0) throw new Error(`chart ${spec.name} cannot be templated from its own values:\n  ${problems.join('\n  ')}`);
    return chartOf(spec, base, sentinels[i]!, marked[i]!.fields, [...own]);
  });
}

/** The environment's model with the chart's fields and image as markers and every toggle on. */
function markerModel<C>(input: ComponentChartSpec<C>, base: C, s: Sentinels): { model: C; fields: ChartFieldValues } {
  const { name } = input;
  let model = base;
  for (const t of input.toggles) if (t.path && typeof at(model, t.path) === 'boolean') model = setAt(model, t.path, true);
  const fields = new ChartFieldValues(input.fields, s);
  model = fields.markers(model);
  for (const { value, path } of imagesOf(input)) {
    const image = { repository: s.string(`$.Values.${value}.repository`), tag: s.string(`$.Values.${value}.tag`), digest: s.string(`$.Values.${value}.digest`) };
    s.literal(`${image.repository}:${image.tag}@${image.digest}`, `include "${name}.image" $.Values.${value} | quote`);
    model = setAt(model, path, image);
  }
  if (input.prepare) model = input.prepare(model, s);
  return { model, fields };
}

/**
 * The alert rules' label matchers that name the chart's objects as dist/ names them (an exact
 * value the release renames, a regex holding the chart's name), as PromQL writes them, sorted.
 */
function namesInRules(objects: readonly Kube[], chart: string, rename: (name: string) => string | undefined): string[] {
  const holdsChart = new RegExp(`(^|[^a-z0-9])${chart}($|[^a-z0-9])`);
  const exprs = objects
    .filter((o) => o.kind === 'PrometheusRule')
    .flatMap((o) => ((o['spec'] as { groups?: { rules?: { expr?: unknown }[] }[] }).groups ?? []).flatMap((g) => (g.rules ?? []).map((r) => String(r.expr ?? ''))));
  const named = exprs
    .flatMap(labelMatchers)
    .filter((m) => (m.op === '=' ? rename(m.value) !== undefined : m.op === '=~' && holdsChart.test(m.value)))
    .map((m) => `${m.label}${m.op}${JSON.stringify(m.value)}`);
  return [...new Set(named)].sort();
}

/**
 * \`templates/name-check.yaml\`: the chart's alert rules name its objects as dist/ does (\`named\`),
 * which they are only while its fullname is the chart's name (an environment's values file pins
 * it). Under another release name Helm prefixes every object with it and those alerts would
 * misfire without a word: the render fails instead, saying how to install it. Only where the
 * rules render (\`condition\`).
 */
function releaseNameCheck(chart: string, named: readonly string[], condition: string | undefined): string {
  const wrong = `ne (include "${chart}.fullname" $) "${chart}"`;
  // printf's format: a matcher's own "%" is printed as such.
  const message = `the alert rules name this chart's objects as ${named.join(', ').replaceAll('%', '%%')}: install it with an environment's values file (fullnameOverride: ${chart}) or as release ${chart}, not with the fullname %q`;
  return [
    `{{- if ${condition ? `and (${condition}) (${wrong})` : wrong} }}`,
    `{{- fail (printf ${JSON.stringify(message)} (include "${chart}.fullname" $)) }}`,
    '{{- end }}',
    '',
  ].join('\n');
}

/** The chart templated from its objects rendered from its marker model. */
function chartOf<C>(input: ComponentChartSpec<C>, base: C, s: Sentinels, fields: ChartFieldValues, raw: Kube[]): HelmChartSpec {
  const { name } = input;
  const autoscaled = input.toggles.some((t) => t.key === 'autoscaling') && raw.some((o) => o.kind === 'HorizontalPodAutoscaler');
  const scaled = autoscaled ? withReplicasUnlessAutoscaled(raw, s) : raw;
  const objects = raw.some((o) => o.kind === 'Rollout') ? withRolloutVariants(scaled, s, autoscaled, name) : scaled;
  const canary = objects.some((o) => o.kind === 'Rollout' && 'canary' in ((o['spec'] as { strategy: object }).strategy));
  const toggles = togglesOf(objects, input.toggles).filter((t) => modelSwitch(t, base) !== undefined);
  fields.keepUsed(objects);
  const toFullname = byFullname(name, fullnameOf(name, s));
  const rename = input.rename ? input.rename(objects, s, toFullname) : toFullname;
  const configFiles = new ConfigFilesAsValues(name, objects, s);
  proveChecksums(name, new Map(input.environments.map((e) => [e.env, e.objects])));

  const charted = objects.map((obj) => {
    const toggle = toggleOf(obj, toggles);
    return { object: renamed(configFiles.template(obj), rename) as Kube, ...(toggle ? { toggle } : {}) };
  });
  const byFile = new Map<string, TemplateObject[]>();
  for (const { object: obj } of charted) {
    const condition = conditionOf(obj, toggles, '.');
    const object = withHelmLabels(obj, s, name);
    const file = `${obj.kind.toLowerCase()}.yaml`;
    byFile.set(file, [...(byFile.get(file) ?? []), { object, ...(condition ? { condition } : {}) }]);
  }
  const templates = new Map([...byFile].sort(([a], [b]) => (a < b ? -1 : 1)).map(([f, objs]) => [f, templateObjects(objs, s)]));
  const named = namesInRules(objects, name, toFullname);
  const rule = objects.find((o) => o.kind === 'PrometheusRule');
  if (rule && named.length > 0) templates.set('name-check.yaml', releaseNameCheck(name, named, conditionOf(rule, toggles, '$.')));

  const envValues = (e: ChartEnvironment<C>): Record<string, unknown> => {
    const switches = Object.fromEntries(toggles.map((t) => [t.key, { enabled: modelSwitch(t, e.config)! }]));
    const files = configFilesOf(e.objects, name);
    const images: Record<string, unknown> = {};
    for (const i of imagesOf(input)) put(images, i.value, { ...(at(e.config, i.path) as object) });
    const own = mergeTrees(mergeTrees(mergeTrees(mergeTrees({ ...globalSwitches(toggles), ...fields.values(e.config) }, images), input.extraValues ?? {}), input.envValues?.(e.config) ?? {}), switches);
    return mergeTrees(own, Object.keys(files).length > 0 ? { configFiles: files } : {});
  };
  const { values, overlays } = valuesAndOverlays(
    input.environments.map((e) => [e.env, envValues(e), { fullnameOverride: name, ...input.pinned?.(e.objects) }] as const),
  );
  proveEnvironments(name, s, charted, input.environments.map((e) => ({ env: e.env, values: mergeValues(values, overlays.get(e.env)!) as Record<string, unknown>, objects: e.objects })));
  const schema = fields.schema(toggles.map((t) => t.key), { ...Object.fromEntries(imagesOf(input).map((i) => [i.value, valueSchemas.image])), ...input.extraSchema });
  const smoke = input.smokeTest && 'url' in input.smokeTest ? input.smokeTest : input.smokeTest ? serviceSmokeTest(name, input.smokeTest) : undefined;
  return {
    name,
    description: input.description,
    version: input.version,
    appVersion: input.appVersion,
    templates,
    values,
    overlays,
    valuesSchema: draft07({
      $schema: 'http://json-schema.org/draft-07/schema#',
      title: `Values of the ${name} chart`,
      type: 'object',
      additionalProperties: false,
      required: [...schema.required, ...Object.keys(configFiles.schema()), 'test'],
      properties: { ...commonValueSchemas(valueSchemas.image), ...schema.properties, ...configFiles.schema() },
    }) as object,
    notes: [
      '{{ include "' + name + '.fullname" . }} ({{ .Chart.AppVersion }}) is installed in {{ .Release.Namespace }}.',
      ...(input.notes?.about ? [input.notes.about] : []),
      '',
      'Check it:',
      ...(input.notes?.checks ?? []).map((c) => `  ${c}`),
      '  helm test {{ .Release.Name }} -n {{ .Release.Namespace }}',
      '',
    ].join('\n'),
    ...(smoke ? { smokeTest: smoke } : {}),
    ...(canary ? { helpers: [canaryStepsHelper(name)] } : {}),
  };
}

/**
 * `<chart>.canarySteps`: the Rollout's steps as JSON from `canarySteps` (the model's shape: a
 * weight, then an optional pause and analysis), the analysis being the chart's own template.
 * Fails on a weight not above the one before, in canaryStepIssues' words.
 */
function canaryStepsHelper(chart: string): string {
  return `{{/* The canary's Argo Rollouts steps from .Values.canarySteps; the analysis is this release's template. */}}
{{- define "${chart}.canarySteps" -}}
{{- $templates := list (dict "templateName" (printf "%s-slo-analysis" (include "${chart}.fullname" .))) }}
{{- $steps := list }}
{{- $before := 0 }}
{{- range $k, $step := .Values.canarySteps }}
{{- with $step }}
{{- if and (gt $k 0) (le (int .weight) $before) }}
{{- fail (printf "canarySteps[%d].weight: must be above the step before's weight (%d): a canary only grows until it is promoted, got %d" $k $before (int .weight)) }}
{{- end }}
{{- $before = int .weight }}
{{- $steps = append $steps (dict "setWeight" .weight) }}
{{- if .pause }}{{ $steps = append $steps (dict "pause" (dict "duration" .pause)) }}{{ end }}
{{- if .analysis }}{{ $steps = append $steps (dict "analysis" (dict "templates" $templates)) }}{{ end }}
{{- end }}
{{- end }}
{{- toJson $steps }}
{{- end }}
`;
}

/** The `helm test` hook calling an HTTP path of the chart's Service. */
function serviceSmokeTest(chart: string, t: { readonly port: number; readonly path: string; readonly targetPort?: number }): ChartSmokeTest {
  return {
    url: `http://{{ include "${chart}.fullname" . }}:${t.port}${t.path}`,
    imageValue: 'test.image',
    target: { podLabels: releasePods(chart), port: t.targetPort ?? t.port },
  };
}
