import type { Chart } from 'cdk8s';
import { mergeValues } from '../../config/index.ts';
import { settingsKey } from '../../lib/index.ts';
import { CRUMPET_COMPONENTS, modelSchemas, type PlatformConfig, type ScalableWorkloadConfig, type WorkloadConfig } from './model/index.ts';
import { chartFiles, Sentinels, templateObjects, type ChartSmokeTest, type HelmChartSpec, type TemplateObject } from '../../render/helm/index.ts';
import { CRUMPET_RELEASE } from './model/defaults.ts';
import { ConfigFilesAsValues, configFilesOf, proveChecksums, type Kube } from './_chart-config-files.ts';
import { NetworkPolicyValues, networkSentinelModel } from './_chart-network-values.ts';
import { LANGUAGE_LABEL } from './cin-node.ts';
import { CrumpetApp } from './crumpet-app.ts';
import { EDGE_PUBLIC_PORT, HEALTH_PATH, PORTS } from './ports.ts';

/*
 * Helm charts generated from the same constructs as dist/: each chart's objects are rendered once
 * more from a model whose chart values are markers (see render/helm/sentinels.ts), and the markers
 * become template expressions. values-<env>.yaml holds each environment's values, so
 * `helm template crumpet charts-out/<chart> -f values-<env>.yaml -n <namespace>` renders the
 * objects of dist/<env>/<chart>.k8s.yaml.
 */

/** Labels only Helm sets, the one allowed difference between a chart's render and dist/. */
export const HELM_ONLY_LABELS = {
  'helm.sh/chart': 'the chart name and version',
  'app.kubernetes.io/managed-by': 'Helm (dist/ says cdk8s)',
} as const;

/** Version of every chart: the platform release without its `v`. */
export const CHART_VERSION = CRUMPET_RELEASE.replace(/^v/, '');

/** curl, for the `helm test` smoke test. */
export const SMOKE_TEST_IMAGE = {
  repository: 'docker.io/curlimages/curl',
  tag: '8.11.0',
  digest: 'sha256:83a505ba2ba62f208ed6e410c268b7b9aa48f0f7b403c8108b9773b44199dbba',
} as const;

/** A stateless component published as its own chart. */
interface ComponentChart {
  readonly chart: string;
  /** Its key in the model's `components`. */
  readonly component: string;
  readonly description: string;
  /**
   * Port and path the smoke test calls; with `publicHosts`, the Service port behind
   * `https://<host>`; `targetPort` is the container's, when it differs.
   */
  readonly health: { readonly port: number; readonly path: string; readonly targetPort?: number };
  /**
   * The component serves the public host names: its Certificate's hosts, issuer and Secret name
   * are values, and the smoke test calls the first host over TLS through the chart's Service.
   * @default false
   */
  readonly publicHosts?: boolean;
}

/** The edge's chart. */
const EDGE_CHART: ComponentChart = {
  chart: 'envoy-edge',
  component: 'envoyEdge',
  description: 'Crumpet edge: Envoy terminating TLS for the public host names over HTTP/2 and HTTP/3',
  health: { port: EDGE_PUBLIC_PORT, path: HEALTH_PATH, targetPort: PORTS.edgeHttps.port },
  publicHosts: true,
};

/** The charts of the declared components that publish one, then the edge's. */
const COMPONENT_CHARTS: readonly ComponentChart[] = [
  ...CRUMPET_COMPONENTS.components.flatMap((c): ComponentChart[] =>
    c.chart
      ? [{ chart: c.name, component: settingsKey(c.name), description: c.chart.description, health: { port: c.ports[c.chart.smokeTest.port]!.port, path: c.chart.smokeTest.path } }]
      : [],
  ),
  EDGE_CHART,
];

/** A component's settings in a model, as the chart reads them. */
function settingsOf(config: PlatformConfig, spec: ComponentChart): ScalableWorkloadConfig | WorkloadConfig {
  return (config.components as unknown as Record<string, ScalableWorkloadConfig | WorkloadConfig>)[spec.component]!;
}

/** Keys whose values name objects of the chart (`dnsNames`: a certificate's Service names). */
const NAME_KEYS = new Set(['name', 'serviceAccountName', 'serviceName', 'claimName', 'secretName', 'dnsNames']);

/** `value` with every object name that `rename` maps replaced; names it maps to undefined stay. */
function renamed(value: unknown, rename: (name: string) => string | undefined, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => renamed(v, rename, key === 'dnsNames' ? key : ''));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renamed(v, rename, k)]));
  }
  if (typeof value === 'string' && NAME_KEYS.has(key)) return rename(value) ?? value;
  return value;
}

/** Names that start with the chart's base name start with the fullname marker instead. */
function byFullname(base: string, fullname: string): (name: string) => string | undefined {
  return (name) => (name === base || name.startsWith(`${base}-`) ? fullname + name.slice(base.length) : undefined);
}

/** The marker of the chart's fullname. */
function fullnameOf(chart: string, s: Sentinels): string {
  return s.string(`include "${chart}.fullname" $`);
}

/** `rename`, except that `name` becomes `to`. */
function withName(name: string, to: string, rename: (name: string) => string | undefined): (name: string) => string | undefined {
  return (n) => (n === name ? to : rename(n));
}

/** Helm's labels on every object: its chart label, and Helm as the manager. */
function withHelmLabels(obj: Record<string, unknown>, s: Sentinels, chart: string): Record<string, unknown> {
  const replaceManager = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(replaceManager);
    if (typeof v !== 'object' || v === null) return v;
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [k, k === 'app.kubernetes.io/managed-by' ? managedBy : replaceManager(x)]),
    );
  };
  const managedBy = s.string('$.Release.Service');
  const out = replaceManager(obj) as { metadata: { labels: Record<string, string> } };
  out.metadata.labels = { ...out.metadata.labels, 'helm.sh/chart': s.string(`include "${chart}.chart" $`) };
  return out as unknown as Record<string, unknown>;
}

/** The Secret name of the chart's public Certificate (the one from the ACME ClusterIssuer; mesh certificates come from an Issuer). */
function certificateSecret(objects: readonly Kube[], chart: string): string {
  const certificates = objects.filter((o) => o.kind === 'Certificate') as unknown as { spec: { secretName: string; issuerRef: { kind: string } } }[];
  const certificate = certificates.find((c) => c.spec.issuerRef.kind === 'ClusterIssuer');
  if (!certificate) throw new Error(`chart ${chart} serves the public host names but renders no Certificate`);
  return certificate.spec.secretName;
}

/** The values of one component chart for one environment; `objects` are its dist/ objects. */
function componentValues(config: PlatformConfig, spec: ComponentChart, objects: readonly Kube[], switches: ChartSwitches): Record<string, unknown> {
  const c = settingsOf(config, spec);
  const files = configFilesOf(objects, spec.chart);
  return {
    image: { ...c.image },
    replicaCount: c.replicas,
    resources: structuredClone(c.resources),
    ...switches.values(config, 'maxReplicas' in c ? { autoscaling: { maxReplicas: c.maxReplicas } } : {}),
    ...(spec.publicHosts ? { hosts: [...config.hostnames], tls: { issuerName: config.tls.issuerName, secretName: '' } } : {}),
    ...(Object.keys(files).length > 0 ? { configFiles: files } : {}),
  };
}

/** What an environment's overlay pins so that objects are named as in dist/ (defaults name them after the release). */
function pinnedNames(spec: ComponentChart, objects: readonly Kube[]): Record<string, unknown> {
  return { fullnameOverride: spec.chart, ...(spec.publicHosts ? { tls: { secretName: certificateSecret(objects, spec.chart) } } : {}) };
}

/**
 * The optional parts of a chart: the model feature that adds them, the kinds of object it adds,
 * and the value that switches them on in the chart (`<key>.enabled`). A test renders the platform with each feature
 * off and checks that exactly these kinds go, so synth need not render it four more times.
 */
export const CHART_TOGGLES = [
  { feature: 'autoscaling', kinds: ['HorizontalPodAutoscaler'], key: 'autoscaling' },
  { feature: 'podDisruptionBudget', kinds: ['PodDisruptionBudget'], key: 'podDisruptionBudget' },
  { feature: 'serviceMonitor', kinds: ['ServiceMonitor', 'PodMonitor'], key: 'serviceMonitor' },
  { feature: 'networkPolicy', kinds: ['NetworkPolicy'], key: 'networkPolicy' },
] as const;

const ALL_ON = { autoscaling: true, podDisruptionBudget: true, serviceMonitor: true, networkPolicy: true } as const;

type Toggle = (typeof CHART_TOGGLES)[number];

/**
 * The switches of one chart: the toggles whose kinds it renders (a chart without metrics has no
 * `serviceMonitor`), each an `enabled` value, `networkPolicy` with the network fields its policies
 * read, `autoscaling` with `maxReplicas`.
 */
class ChartSwitches {
  private readonly toggles: readonly Toggle[];

  public constructor(objects: readonly Kube[], private readonly network: NetworkPolicyValues) {
    this.toggles = CHART_TOGGLES.filter((t) => objects.some((o) => (t.kinds as readonly string[]).includes(o.kind)));
  }

  /** The values for one environment; `extra` adds fields to a switch (`autoscaling.maxReplicas`). */
  public values(config: PlatformConfig, extra: Readonly<Record<string, object>> = {}): Record<string, unknown> {
    return Object.fromEntries(
      this.toggles.map((t) => [t.key, t.feature === 'networkPolicy' ? this.network.values(config) : { enabled: config.features[t.feature], ...extra[t.key] }]),
    );
  }

  /** Their schemas, and the keys to require. */
  public schemas(): { properties: Record<string, object>; required: string[] } {
    const schema = (t: Toggle): object =>
      t.feature === 'networkPolicy'
        ? this.network.schema()
        : t.feature === 'autoscaling'
          ? {
              type: 'object',
              additionalProperties: false,
              required: ['enabled', 'maxReplicas'],
              properties: { enabled: { type: 'boolean' }, maxReplicas: { ...modelSchemas.replicas, minimum: 1 } },
            }
          : TOGGLE_SCHEMA;
    return { properties: Object.fromEntries(this.toggles.map((t) => [t.key, schema(t)])), required: this.toggles.map((t) => t.key) };
  }
}

/** The chart value switching `obj` on (`.Values...`, or `$.Values...` inside a range), if it is optional. */
function conditionOf(obj: Kube, prefix: '.' | '$.'): string | undefined {
  const toggle = CHART_TOGGLES.find((t) => (t.kinds as readonly string[]).includes(obj.kind));
  return toggle && `${prefix}Values.${toggle.key}.enabled`;
}

/** The model with the chart's values replaced by markers, and every optional part on. */
function sentinelModel(base: PlatformConfig, spec: ComponentChart, s: Sentinels): PlatformConfig {
  const c = settingsOf(base, spec);
  const component = {
    ...c,
    image: { repository: s.string('$.Values.image.repository'), tag: s.string('$.Values.image.tag'), digest: s.string('$.Values.image.digest') },
    replicas: s.number('$.Values.replicaCount'),
    ...('maxReplicas' in c ? { maxReplicas: s.number('$.Values.autoscaling.maxReplicas') } : {}),
    resources: s.object('$.Values.resources'),
  };
  s.literal(`${component.image.repository}:${component.image.tag}@${component.image.digest}`, `include "${spec.chart}.image" $.Values.image | quote`);
  return {
    ...base,
    namespace: s.string('$.Release.Namespace'),
    instance: s.string('$.Release.Name'),
    ...(spec.publicHosts ? { hostnames: s.list('$.Values.hosts'), tls: { ...base.tls, issuerName: s.string('$.Values.tls.issuerName') } } : {}),
    ...networkSentinelModel(base, s),
    features: { ...base.features, ...ALL_ON },
    components: { ...base.components, [spec.component]: component },
  };
}

/**
 * The objects an autoscaler scales, with their `replicas` back as `replicaCount` rendered only
 * while `autoscaling.enabled` is false (the sentinel model has every autoscaler on, so the
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

function chartObjects(app: CrumpetApp, chart: string): Kube[] {
  const found = app.charts.find((c: Chart) => c.node.id === chart);
  if (!found) throw new Error(`no chart "${chart}" in the platform`);
  return found.toJson() as Kube[];
}

/** Values in `values` that differ from `defaults`, with null for keys `values` drops (Helm's delete). */
function overlay(values: Record<string, unknown>, defaults: Record<string, unknown>): Record<string, unknown> {
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

/** JSON Schema for Helm (draft-07): the model's schema without ajv's `nullable`. */
function draft07(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(draft07);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([k]) => k !== 'nullable' && k !== '$id')
      .map(([k, v]) => [k, draft07(v)]),
  );
}

/** Schema pieces every chart's values share. */
const TOGGLE_SCHEMA = { type: 'object', additionalProperties: false, required: ['enabled'], properties: { enabled: { type: 'boolean' } } };
const NAME_OVERRIDE_SCHEMA = { type: 'string', pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$', maxLength: 63 };
const COMMON_VALUE_SCHEMAS = {
  global: { type: 'object' },
  nameOverride: NAME_OVERRIDE_SCHEMA,
  fullnameOverride: NAME_OVERRIDE_SCHEMA,
  test: { type: 'object', additionalProperties: false, required: ['image'], properties: { image: modelSchemas.image } },
};

/** One environment's chart values, and what its overlay pins besides them. */
type EnvironmentValues = readonly [env: string, values: Record<string, unknown>, pinned: Record<string, unknown>];

/**
 * A chart's default values and per-environment overlays. Defaults are the values of the last
 * environment in name order (staging: unpinned, smallest); each overlay holds what its environment
 * changes, plus the pinned names (`fullnameOverride`) so object names are those of dist/.
 */
function valuesAndOverlays(perEnv: readonly EnvironmentValues[]) {
  const values: Record<string, unknown> = {
    nameOverride: '',
    fullnameOverride: '',
    ...structuredClone(perEnv[perEnv.length - 1]![1]),
    test: { image: { ...SMOKE_TEST_IMAGE } },
  };
  const overlays = new Map(
    perEnv.map(([env, v, pinned]) => [env, overlay(mergeValues({ ...values, ...v }, pinned) as Record<string, unknown>, values)] as const),
  );
  return { values, overlays };
}

function valuesSchema(spec: ComponentChart, configFiles: ConfigFilesAsValues, switches: ChartSwitches): object {
  const model = modelSchemas.platformConfigSchema.properties;
  const hosts = spec.publicHosts
    ? {
        hosts: model.hostnames,
        tls: {
          type: 'object',
          additionalProperties: false,
          required: ['issuerName', 'secretName'],
          properties: { issuerName: model.tls.properties.issuerName, secretName: NAME_OVERRIDE_SCHEMA },
        },
      }
    : {};
  const extra = { ...hosts, ...configFiles.schema() };
  const toggles = switches.schemas();
  return draft07({
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: `Values of the ${spec.chart} chart`,
    type: 'object',
    additionalProperties: false,
    required: ['image', 'replicaCount', 'resources', ...toggles.required, ...Object.keys(extra), 'test'],
    properties: {
      ...COMMON_VALUE_SCHEMAS,
      image: modelSchemas.image,
      replicaCount: modelSchemas.replicas,
      resources: modelSchemas.resources,
      ...toggles.properties,
      ...extra,
    },
  }) as object;
}

/**
 * The `helm test` hook: the health endpoint through the chart's Service or, for the edge, through
 * the edge itself at its first public host name over TLS (curl connects to the Service but sends
 * and verifies that name, so the certificate is checked).
 */
function smokeTest(spec: ComponentChart): ChartSmokeTest {
  const fullname = `{{ include "${spec.chart}.fullname" . }}`;
  const { port, path } = spec.health;
  const target = { podLabels: releasePods(spec.chart), port: spec.health.targetPort ?? port };
  if (!spec.publicHosts) return { url: `http://${fullname}:${port}${path}`, imageValue: 'test.image', target };
  const host = '{{ first .Values.hosts }}';
  return { url: `https://${host}${path}`, curlArgs: ['--connect-to', `${host}:443:${fullname}:${port}`], imageValue: 'test.image', target };
}

/** Labels of the release's pods of a component, as Go templates. */
function releasePods(component: string): Record<string, string> {
  return { 'app.kubernetes.io/name': component, 'app.kubernetes.io/instance': '{{ .Release.Name | quote }}' };
}

function componentChart(configs: readonly PlatformConfig[], spec: ComponentChart, rendered: ReadonlyMap<string, readonly Kube[]>): HelmChartSpec {
  const base = configs[0]!;
  const s = new Sentinels();
  const model = sentinelModel(base, spec, s);
  const full = withReplicasUnlessAutoscaled(chartObjects(new CrumpetApp(model), spec.chart), s);
  const toFullname = byFullname(spec.chart, fullnameOf(spec.chart, s));
  // The TLS Secret is named after the release too, unless tls.secretName (dist/'s name) is set.
  const rename = spec.publicHosts
    ? withName(certificateSecret(full, spec.chart), s.string(`default (printf "%s-tls" (include "${spec.chart}.fullname" $)) $.Values.tls.secretName`), toFullname)
    : toFullname;
  const configFiles = new ConfigFilesAsValues(spec.chart, full, s);
  const switches = new ChartSwitches(full, new NetworkPolicyValues(full, model));
  proveChecksums(spec.chart, rendered);

  const byFile = new Map<string, TemplateObject[]>();
  for (const obj of full) {
    const condition = conditionOf(obj, '.');
    const object = withHelmLabels(renamed(configFiles.template(obj), rename) as Record<string, unknown>, s, spec.chart);
    const file = `${obj.kind.toLowerCase()}.yaml`;
    byFile.set(file, [...(byFile.get(file) ?? []), { object, ...(condition ? { condition } : {}) }]);
  }
  const templates = new Map([...byFile].sort(([a], [b]) => (a < b ? -1 : 1)).map(([f, objs]) => [f, templateObjects(objs, s)]));

  const { values, overlays } = valuesAndOverlays(
    configs.map((c) => {
      const objects = rendered.get(c.name) ?? [];
      return [c.name, componentValues(c, spec, objects, switches), pinnedNames(spec, objects)] as const;
    }),
  );
  const hostsNote = spec.publicHosts
    ? `It serves {{ join ", " .Values.hosts }} with a certificate from the ClusterIssuer {{ .Values.tls.issuerName }}.\n`
    : '';
  return {
    name: spec.chart,
    description: spec.description,
    version: CHART_VERSION,
    appVersion: settingsOf(base, spec).image.tag,
    templates,
    values,
    overlays,
    valuesSchema: valuesSchema(spec, configFiles, switches),
    notes: `{{ include "${spec.chart}.fullname" . }} ({{ .Chart.AppVersion }}) is installed in {{ .Release.Namespace }}.
${hostsNote}
Check it:
  kubectl -n {{ .Release.Namespace }} rollout status deployment/{{ include "${spec.chart}.fullname" . }}
  helm test {{ .Release.Name }} -n {{ .Release.Namespace }}
`,
    smokeTest: smokeTest(spec),
  };
}

const CIN = 'cin-node';

/** The CIN node model with its chart values as markers: one language, one instance, to be looped. */
function cinSentinelModel(base: PlatformConfig, s: Sentinels): { model: PlatformConfig; lang: string } {
  const sidecar = (name: 'otelCollector' | 'promtail') => {
    const at = `$.Values.sidecars.${name}`;
    const image = { repository: s.string(`${at}.image.repository`), tag: s.string(`${at}.image.tag`), digest: s.string(`${at}.image.digest`) };
    s.literal(`${image.repository}:${image.tag}@${image.digest}`, `include "${CIN}.image" ${at}.image | quote`);
    return { image, resources: s.object<PlatformConfig['components']['promtail']['resources']>(`${at}.resources`) };
  };
  const lang = s.string('$lang.code');
  const cin = base.components.cinNode;
  const net = networkSentinelModel(base, s);
  return {
    lang,
    model: {
      ...base,
      namespace: s.string('$.Release.Namespace'),
      instance: s.string('$.Release.Name'),
      storage: { storageClassName: s.string('$.Values.storageClassName') },
      features: { ...base.features, ...ALL_ON },
      telemetry: net.telemetry,
      network: { ...net.network, peerCidrs: s.list('$.Values.peerCidrs') },
      components: {
        ...base.components,
        cinNode: {
          ...cin,
          image: { repository: s.string('$image.repository'), tag: s.string('$.Values.image.tag'), digest: s.string('$image.digest') },
          resources: s.object('$.Values.resources'),
          languages: [{ code: lang, replicas: 1, storage: s.string('$lang.storage') }],
          instanceOverrides: [],
        },
        otelCollector: sidecar('otelCollector'),
        promtail: sidecar('promtail'),
      },
    },
  };
}

/** Replaces `from` by `to` in every string of `value`. */
function replaceInStrings<T>(value: T, from: string, to: string): T {
  return JSON.parse(JSON.stringify(value).split(from).join(to)) as T;
}

function cinValues(config: PlatformConfig, objects: readonly Kube[], switches: ChartSwitches): Record<string, unknown> {
  const cin = config.components.cinNode;
  return {
    image: { ...cin.image },
    resources: structuredClone(cin.resources),
    languages: cin.languages.map((l) => ({ ...l })),
    instanceOverrides: structuredClone(cin.instanceOverrides),
    storageClassName: config.storage.storageClassName,
    peerCidrs: [...config.network.peerCidrs],
    ...switches.values(config),
    sidecars: {
      otelCollector: structuredClone(config.components.otelCollector),
      promtail: structuredClone(config.components.promtail),
    },
    configFiles: configFilesOf(objects, CIN),
  };
}

/**
 * The cin-node chart. Languages and instances are Helm loops: the objects are rendered for one
 * marker language and one marker instance, then sorted into what exists once, once per language,
 * and once per instance (where `instanceOverrides` may swap the image or scale the set to 0).
 */
function cinNodeChart(configs: readonly PlatformConfig[], rendered: ReadonlyMap<string, readonly Kube[]>): HelmChartSpec {
  const base = configs[0]!;
  const s = new Sentinels();
  const { model, lang } = cinSentinelModel(base, s);
  const instance = s.string('$i');
  const instanceTag = s.string('$image.tag');
  const cin = model.components.cinNode.image;
  s.literal(`${cin.repository}:${instanceTag}@${cin.digest}`, `include "${CIN}.image" $image | quote`);
  const rename = byFullname(CIN, fullnameOf(CIN, s));
  const objects = chartObjects(new CrumpetApp(model), CIN);
  const configFiles = new ConfigFilesAsValues(CIN, objects, s);
  const switches = new ChartSwitches(objects, new NetworkPolicyValues(objects, model));
  proveChecksums(CIN, rendered);

  const global: TemplateObject[] = [];
  const perLanguage: TemplateObject[] = [];
  const perInstance: TemplateObject[] = [];
  for (const raw of objects) {
    const condition = conditionOf(raw, '$.');
    let obj = replaceInStrings(configFiles.template(raw), `${lang}-0`, `${lang}-${instance}`);
    const text = JSON.stringify(obj);
    if (text.includes(instance)) {
      obj = replaceInStrings(obj, cin.tag, instanceTag);
      if (obj.kind === 'StatefulSet') (obj['spec'] as { replicas: number }).replicas = s.number('ternary 0 1 (default false $o.excluded)');
    }
    const object = withHelmLabels(renamed(obj, rename) as Record<string, unknown>, s, CIN);
    const entry = { object, ...(condition ? { condition } : {}) };
    (text.includes(instance) ? perInstance : text.includes(lang) ? perLanguage : global).push(entry);
  }

  const template =
    templateObjects(global, s) +
    '{{- range $lang := $.Values.languages }}\n' +
    templateObjects(perLanguage, s) +
    '{{- range $i := until (int $lang.replicas) }}\n' +
    '{{- $o := dict }}\n' +
    '{{- range $.Values.instanceOverrides }}{{- if and (eq .language $lang.code) (eq (int .instance) $i) }}{{- $o = . }}{{- end }}{{- end }}\n' +
    '{{- $image := $o.image | default $.Values.image }}\n' +
    templateObjects(perInstance, s) +
    '{{- end }}\n{{- end }}\n';

  const { values, overlays } = valuesAndOverlays(configs.map((c) => [c.name, cinValues(c, rendered.get(c.name) ?? [], switches), { fullnameOverride: CIN }] as const));
  const toggles = switches.schemas();
  const cinSchema = modelSchemas.platformConfigSchema.properties.components.properties.cinNode.properties;
  const sidecarSchema = modelSchemas.platformConfigSchema.properties.components.properties.promtail;
  return {
    name: CIN,
    description: 'Crumpet CIN nodes: the indexer and query API, one pod/volume pair per instance, instances per language',
    version: CHART_VERSION,
    appVersion: base.components.cinNode.image.tag,
    templates: new Map([['cin-node.yaml', template]]),
    values,
    overlays,
    valuesSchema: draft07({
      $schema: 'http://json-schema.org/draft-07/schema#',
      title: `Values of the ${CIN} chart`,
      type: 'object',
      additionalProperties: false,
      required: ['image', 'resources', 'languages', 'instanceOverrides', 'storageClassName', 'peerCidrs', ...toggles.required, 'sidecars', 'configFiles', 'test'],
      properties: {
        ...COMMON_VALUE_SCHEMAS,
        image: modelSchemas.image,
        resources: modelSchemas.resources,
        languages: cinSchema.languages,
        instanceOverrides: cinSchema.instanceOverrides,
        storageClassName: modelSchemas.platformConfigSchema.properties.storage.properties.storageClassName,
        peerCidrs: modelSchemas.platformConfigSchema.properties.network.properties.peerCidrs,
        ...toggles.properties,
        sidecars: {
          type: 'object',
          additionalProperties: false,
          required: ['otelCollector', 'promtail'],
          properties: { otelCollector: sidecarSchema, promtail: sidecarSchema },
        },
        ...configFiles.schema(),
      },
    }) as object,
    notes: `{{ include "${CIN}.fullname" . }} ({{ .Chart.AppVersion }}) serves {{ len .Values.languages }} language(s) in {{ .Release.Namespace }}.

Check it:
  kubectl -n {{ .Release.Namespace }} get statefulsets -l app.kubernetes.io/instance={{ .Release.Name }}
  helm test {{ .Release.Name }} -n {{ .Release.Namespace }}
`,
    smokeTest: {
      url: `http://{{ include "${CIN}.fullname" . }}-{{ (first .Values.languages).code }}:${PORTS.cinHttp.port}${HEALTH_PATH}`,
      imageValue: 'test.image',
      target: { podLabels: { ...releasePods(CIN), [LANGUAGE_LABEL]: '{{ (first .Values.languages).code | quote }}' }, port: PORTS.cinHttp.port },
    },
  };
}

/** Name of the umbrella chart that installs every component chart. */
export const UMBRELLA_CHART = 'crumpet';

/**
 * The umbrella chart: depends on every component chart by `file://` path; its values nest each
 * component's values under the component's name, as Helm passes them to subcharts.
 */
function umbrellaChart(configs: readonly PlatformConfig[], components: readonly HelmChartSpec[]): HelmChartSpec {
  const nested = (pick: (c: HelmChartSpec) => object | undefined) =>
    Object.fromEntries(components.flatMap((c) => {
      const v = pick(c);
      return v && Object.keys(v).length > 0 ? [[c.name, v]] : [];
    }));
  return {
    name: UMBRELLA_CHART,
    description: 'The Crumpet platform: every component chart, installed together',
    version: CHART_VERSION,
    appVersion: CRUMPET_RELEASE,
    templates: new Map(),
    values: Object.fromEntries(components.map((c) => [c.name, {}])),
    overlays: new Map(configs.map((cfg) => [cfg.name, nested((c) => c.overlays.get(cfg.name))] as const)),
    valuesSchema: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      title: `Values of the ${UMBRELLA_CHART} chart (each component's own schema checks its section)`,
      type: 'object',
      additionalProperties: false,
      properties: {
        global: { type: 'object' },
        ...Object.fromEntries(components.map((c) => [c.name, { type: 'object' }])),
      },
    },
    notes: `The Crumpet platform ({{ .Chart.AppVersion }}) is installed in {{ .Release.Namespace }}.

Run the components' smoke tests:
  helm test {{ .Release.Name }} -n {{ .Release.Namespace }}
`,
    dependencies: components.map((c) => ({ name: c.name, version: c.version, repository: `file://../${c.name}` })),
  };
}

/**
 * Every chart's files, by path relative to the output root (`charts-out/<chart>/...`).
 * `rendered` holds each environment's objects by chart, as synthesized for dist/.
 */
export function helmChartFiles(
  configs: readonly PlatformConfig[],
  rendered: ReadonlyMap<string, ReadonlyMap<string, readonly Kube[]>>,
): Map<string, string> {
  const sorted = [...configs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const objectsOf = (chart: string) => new Map(sorted.map((c) => [c.name, rendered.get(c.name)?.get(chart) ?? []] as const));
  const charts = [cinNodeChart(sorted, objectsOf(CIN)), ...COMPONENT_CHARTS.map((spec) => componentChart(sorted, spec, objectsOf(spec.chart)))];
  const files = new Map<string, string>();
  for (const chart of [...charts, umbrellaChart(sorted, charts)]) {
    for (const [path, content] of chartFiles(chart)) files.set(`charts-out/${chart.name}/${path}`, content);
  }
  return files;
}
