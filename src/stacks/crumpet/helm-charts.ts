import { deliverySettingsSchema, settingsKey, valueSchemas } from '../../lib/index.ts';
import {
  byFullname,
  chartFiles,
  commonValueSchemas,
  componentCharts,
  ConfigFilesAsValues,
  conditionOf,
  configFilesOf,
  draft07,
  fullnameOf,
  globalSwitches,
  proveChecksums,
  releasePods,
  Sentinels,
  standardToggles,
  templateObjects,
  togglesOf,
  umbrellaChart,
  OBSERVABILITY_PART,
  type UmbrellaSwitch,
  valuesAndOverlays,
  mergeTrees,
  renamed,
  withHelmLabels,
  withName,
  ChartFieldValues,
  type ChartField,
  type ChartMetadata,
  type ComponentChartSpec,
  type HelmChartSpec,
  type Kube,
  type TemplateObject,
} from '../../render/helm/index.ts';
import { chartsJson } from '../../render/validate-app.ts';
import { LANGUAGE_LABEL } from './cin-node.ts';
import { CrumpetApp } from './crumpet-app.ts';
import { CRUMPET_COMPONENTS, modelSchemas, type PlatformConfig } from './model/index.ts';
import { CRUMPET_RELEASE } from './model/defaults.ts';
import { EDGE_PUBLIC_PORT, HEALTH_PATH, PORTS } from './ports.ts';

/** Who publishes Crumpet's charts. */
const CHART_METADATA: ChartMetadata = {
  partOf: 'crumpet',
  home: 'https://github.com/crumpet',
  maintainers: [{ name: 'Crumpet platform team', email: 'sre@crumpet.example.org' }],
};

/*
 * Crumpet's Helm charts, from the generic generator (src/render/helm/component-chart.ts): one
 * chart per declared component that publishes one and per hand-built one (the edge, CIN, whose
 * instances are Helm loops), and the umbrella chart `crumpet` over them. values-<env>.yaml holds
 * each environment's values, so `helm template crumpet charts-out/<chart> -f values-<env>.yaml -n
 * <namespace>` renders the objects of dist/<env>/<chart>.k8s.yaml.
 */

export { HELM_ONLY_LABELS, SMOKE_TEST_IMAGE } from '../../render/helm/index.ts';

/** Version of every chart: the platform release without its `v`. */
export const CHART_VERSION = CRUMPET_RELEASE.replace(/^v/, '');

/** The optional parts of the charts, switched by the model's `features`. */
export const CHART_TOGGLES = standardToggles(['features']);

const CIN = 'cin-node';
const network = modelSchemas.platformConfigSchema.properties.network.properties;
const port = { type: 'integer', minimum: 1, maximum: 65535 };

/**
 * The model fields the charts' NetworkPolicies (and the edge's LoadBalancer) may read, as values
 * under `networkPolicy`: a chart carries only those its objects read.
 */
const NETWORK_FIELDS: readonly ChartField[] = [
  { value: 'networkPolicy.monitoringNamespace', path: ['network', 'monitoringNamespace'], kind: 'string', schema: network.monitoringNamespace, whenUsed: true },
  { value: 'networkPolicy.rpcEndpointCidrs', path: ['network', 'rpcEndpointCidrs'], kind: 'list', schema: network.rpcEndpointCidrs, whenUsed: true },
  { value: 'networkPolicy.ipfsGatewayCidrs', path: ['network', 'ipfsGatewayCidrs'], kind: 'list', schema: network.ipfsGatewayCidrs, whenUsed: true },
  { value: 'networkPolicy.pinningServiceCidrs', path: ['network', 'pinningServiceCidrs'], kind: 'list', schema: network.pinningServiceCidrs, whenUsed: true },
  { value: 'networkPolicy.cdnCidrs', path: ['network', 'cdnCidrs'], kind: 'list', schema: network.cdnCidrs, whenUsed: true },
  { value: 'networkPolicy.tracesPort', path: ['telemetry', 'traces', 'port'], kind: 'number', schema: port, whenUsed: true },
  { value: 'networkPolicy.logsPort', path: ['telemetry', 'logs', 'port'], kind: 'number', schema: port, whenUsed: true },
];

/** The release names the objects: its namespace, and its name as the `instance` label. */
function releaseModel(model: PlatformConfig, s: Sentinels): PlatformConfig {
  return { ...model, namespace: s.string('$.Release.Namespace'), instance: s.string('$.Release.Name') };
}

/** The objects of `chart` in an app rendered from `model`. */
function chartObjects(model: PlatformConfig, chart: string): Kube[] {
  const found = chartsJson(new CrumpetApp(model), (c) => c.node.id === chart).get(chart);
  if (!found) throw new Error(`no chart "${chart}" in the platform`);
  return found as Kube[];
}

/** Settings fields of a stateless component: replicas, resources and, when it autoscales, its ceiling. */
function settingsFields(key: string, settings: object): ChartField[] {
  const at = ['components', key];
  return [
    { value: 'replicaCount', path: [...at, 'replicas'], kind: 'number', schema: valueSchemas.replicas },
    { value: 'resources', path: [...at, 'resources'], kind: 'object', schema: valueSchemas.resources },
    ...('maxReplicas' in settings ? [{ value: 'autoscaling.maxReplicas', path: [...at, 'maxReplicas'], kind: 'number' as const, schema: { ...valueSchemas.replicas, minimum: 1 } }] : []),
  ];
}

/**
 * The features the component charts render as the environments' models have them, with no value
 * to switch them per environment (mesh TLS: the workloads' certificate mounts, the edge's client
 * certificate). Environments that disagree on one would get charts installing in one of them what
 * its dist/ does not hold.
 */
const UNIFORM_FEATURES = ['mtls'] as const;

/** Throws, one line per feature, when the environments disagree on a feature of UNIFORM_FEATURES. */
function uniformFeatures(configs: readonly PlatformConfig[]): void {
  const problems = UNIFORM_FEATURES.flatMap((f) => {
    if (new Set(configs.map((c) => c.features[f])).size <= 1) return [];
    const values = configs.map((c) => `${c.name} ${c.features[f]}`).join(', ');
    return [`features.${f} differs between environments (${values}): the component charts have no value to switch it per environment, so set it the same in every environment`];
  });
  if (problems.length > 0) throw new Error(problems.join('\n'));
}

/** The chart of a declared component, from its declaration. */
function declaredChart(configs: readonly PlatformConfig[], rendered: ReadonlyMap<string, readonly Kube[]>, name: string): ComponentChartSpec<PlatformConfig> {
  const c = CRUMPET_COMPONENTS.get(name);
  const absent = configs.filter((config) => (rendered.get(config.name) ?? []).length === 0).map((config) => config.name);
  if (absent.length > 0) {
    throw new Error(`component "${name}" declares a chart but does not run in ${absent.join(', ')}: a chart's values-<env>.yaml installs the component in each environment, so a component with a chart runs in all of them (leave its chart out, and the umbrella installs it where it runs)`);
  }
  const key = settingsKey(name);
  const settings = (configs[0]!.components as unknown as Record<string, { image: { tag: string } }>)[key]!;
  return {
    name,
    description: c.chart!.description,
    version: CHART_VERSION,
    appVersion: settings.image.tag,
    environments: configs.map((config) => ({ env: config.name, config, objects: rendered.get(config.name) ?? [] })),
    fields: [...settingsFields(key, settings), ...NETWORK_FIELDS],
    toggles: CHART_TOGGLES,
    image: ['components', key, 'image'],
    prepare: releaseModel,
    smokeTest: { port: c.ports[c.chart!.smokeTest.port]!.port, path: c.chart!.smokeTest.path },
    // The canary a Rollout runs with rollout.enabled, as the environment's model has it.
    envValues: (config) => ({ canarySteps: config.delivery.canarySteps }),
    extraSchema: { canarySteps: deliverySettingsSchema.properties.canarySteps },
    notes: { checks: [`kubectl -n {{ .Release.Namespace }} rollout status deployment/{{ include "${name}.fullname" . }}`] },
  };
}

/** The Secret name of the edge's public Certificate (the one from the ACME ClusterIssuer; mesh certificates come from an Issuer). */
function certificateSecret(objects: readonly Kube[]): string {
  const certificates = objects.filter((o) => o.kind === 'Certificate') as unknown as { spec: { secretName: string; issuerRef: { kind: string } } }[];
  const certificate = certificates.find((c) => c.spec.issuerRef.kind === 'ClusterIssuer');
  if (!certificate) throw new Error('chart envoy-edge serves the public host names but renders no Certificate');
  return certificate.spec.secretName;
}

/**
 * The edge's chart: its host names and certificate issuer are values, its TLS Secret is named
 * after the release unless `tls.secretName` (dist/'s name) is set, and the smoke test calls the
 * first host over TLS through the chart's Service (curl connects to the Service but sends and
 * verifies that name, so the certificate is checked).
 */
function edgeChart(configs: readonly PlatformConfig[], rendered: ReadonlyMap<string, readonly Kube[]>): ComponentChartSpec<PlatformConfig> {
  const name = 'envoy-edge';
  const model = modelSchemas.platformConfigSchema.properties;
  const host = '{{ first .Values.hosts }}';
  return {
    name,
    description: 'Crumpet edge: Envoy terminating TLS for the public host names over HTTP/2 and HTTP/3',
    version: CHART_VERSION,
    appVersion: configs[0]!.components.envoyEdge.image.tag,
    environments: configs.map((config) => ({ env: config.name, config, objects: rendered.get(config.name) ?? [] })),
    fields: [
      ...settingsFields('envoyEdge', configs[0]!.components.envoyEdge),
      { value: 'hosts', path: ['hostnames'], kind: 'list', schema: model.hostnames },
      { value: 'tls.issuerName', path: ['tls', 'issuerName'], kind: 'string', schema: model.tls.properties.issuerName },
      ...NETWORK_FIELDS,
    ],
    toggles: CHART_TOGGLES,
    image: ['components', 'envoyEdge', 'image'],
    prepare: releaseModel,
    rename: (objects, s, toFullname) => withName(certificateSecret(objects), s.string(`default (printf "%s-tls" (include "${name}.fullname" $)) $.Values.tls.secretName`), toFullname),
    pinned: (objects) => ({ tls: { secretName: certificateSecret(objects) } }),
    extraValues: { tls: { secretName: '' } },
    extraSchema: { 'tls.secretName': { type: 'string', pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$', maxLength: 63 } },
    smokeTest: {
      url: `https://${host}${HEALTH_PATH}`,
      curlArgs: ['--connect-to', `${host}:443:{{ include "${name}.fullname" . }}:${EDGE_PUBLIC_PORT}`],
      imageValue: 'test.image',
      target: { podLabels: releasePods(name), port: PORTS.edgeHttps.port },
    },
    notes: {
      about: 'It serves {{ join ", " .Values.hosts }} with a certificate from the ClusterIssuer {{ .Values.tls.issuerName }}.',
      checks: [`kubectl -n {{ .Release.Namespace }} rollout status deployment/{{ include "${name}.fullname" . }}`],
    },
  };
}


/** The model fields the cin-node chart carries as values (besides its image, languages and sidecars). */
const CIN_FIELDS: readonly ChartField[] = [
  { value: 'resources', path: ['components', 'cinNode', 'resources'], kind: 'object', schema: valueSchemas.resources },
  { value: 'storageClassName', path: ['storage', 'storageClassName'], kind: 'string', schema: modelSchemas.platformConfigSchema.properties.storage.properties.storageClassName },
  { value: 'peerCidrs', path: ['network', 'peerCidrs'], kind: 'list', schema: network.peerCidrs },
  ...NETWORK_FIELDS,
];

/**
 * The CIN node model with its chart values as markers, every optional part on: one language, one
 * instance, to be looped.
 */
function cinSentinelModel(base: PlatformConfig, s: Sentinels, fields: ChartFieldValues): { model: PlatformConfig; lang: string } {
  const sidecar = (name: 'otelCollector' | 'promtail') => {
    const at = `$.Values.sidecars.${name}`;
    const image = { repository: s.string(`${at}.image.repository`), tag: s.string(`${at}.image.tag`), digest: s.string(`${at}.image.digest`) };
    s.literal(`${image.repository}:${image.tag}@${image.digest}`, `include "${CIN}.image" ${at}.image | quote`);
    return { image, resources: s.object<PlatformConfig['components']['promtail']['resources']>(`${at}.resources`) };
  };
  const lang = s.string('$lang.code');
  const marked = fields.markers(releaseModel(base, s));
  const features = Object.fromEntries(CHART_TOGGLES.map((t) => [t.path[t.path.length - 1]!, true]));
  return {
    lang,
    model: {
      ...marked,
      features: { ...marked.features, ...features },
      components: {
        ...marked.components,
        cinNode: {
          ...marked.components.cinNode,
          image: { repository: s.string('$image.repository'), tag: s.string('$.Values.image.tag'), digest: s.string('$image.digest') },
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

/**
 * What the model refuses of CIN's languages and instance overrides (crumpetChecks), refused by
 * the chart too, with the same words and the values' paths: a language twice (two sets of the
 * same names) or with no instance (the edge still routes to it), an override of a language or an
 * instance that does not exist, or of one instance twice, which the loops below would otherwise
 * ignore or let the last one win, silently.
 */
const CIN_VALUE_CHECKS = `{{- $codes := list }}
{{- $first := dict }}
{{- $replicas := dict }}
{{- range $k, $lang := $.Values.languages }}
{{- if hasKey $first $lang.code }}
{{- fail (printf "languages[%d].code: duplicate language %q (already at languages[%d])" $k $lang.code (get $first $lang.code)) }}
{{- end }}
{{- if lt (int $lang.replicas) 1 }}
{{- fail (printf "languages[%d].replicas: must be at least 1: the edge routes %q to its instances (remove the language to stop serving it, or exclude one instance with instanceOverrides), got %d" $k $lang.code (int $lang.replicas)) }}
{{- end }}
{{- $codes = append $codes $lang.code }}
{{- $_ := set $first $lang.code $k }}
{{- $_ := set $replicas $lang.code (int $lang.replicas) }}
{{- end }}
{{- $overridden := dict }}
{{- $excluded := dict }}
{{- range $k, $o := $.Values.instanceOverrides }}
{{- if not (hasKey $replicas $o.language) }}
{{- fail (printf "instanceOverrides[%d].language: names no configured language (%s), got %q" $k (join ", " $codes) $o.language) }}
{{- else if ge (int $o.instance) (get $replicas $o.language) }}
{{- fail (printf "instanceOverrides[%d].instance: must be below the language's %d replicas, got %d" $k (get $replicas $o.language) (int $o.instance)) }}
{{- end }}
{{- $key := printf "%s-%d" $o.language (int $o.instance) }}
{{- if hasKey $overridden $key }}
{{- fail (printf "instanceOverrides[%d]: overrides instance %s again (already at instanceOverrides[%d])" $k $key (get $overridden $key)) }}
{{- end }}
{{- $_ := set $overridden $key $k }}
{{- if $o.excluded }}
{{- $_ := set $excluded $o.language (add1 (get $excluded $o.language | default 0)) }}
{{- if eq (get $excluded $o.language) (get $replicas $o.language) }}
{{- fail (printf "instanceOverrides[%d].excluded: excludes the last instance of %q left serving: the edge routes %q to its instances and none would run (remove the language to stop serving it)" $k $o.language $o.language) }}
{{- end }}
{{- end }}
{{- end }}
`;

/**
 * The cin-node chart. Languages and instances are Helm loops: the objects are rendered for one
 * marker language and one marker instance, then sorted into what exists once, once per language,
 * and once per instance (where `instanceOverrides` may swap the image or scale the set to 0).
 */
function cinNodeChart(configs: readonly PlatformConfig[], rendered: ReadonlyMap<string, readonly Kube[]>): HelmChartSpec {
  const base = configs[0]!;
  const s = new Sentinels();
  const fields = new ChartFieldValues(CIN_FIELDS, s);
  const { model, lang } = cinSentinelModel(base, s, fields);
  const instance = s.string('$i');
  const instanceTag = s.string('$image.tag');
  const cin = model.components.cinNode.image;
  s.literal(`${cin.repository}:${instanceTag}@${cin.digest}`, `include "${CIN}.image" $image | quote`);
  const rename = byFullname(CIN, fullnameOf(CIN, s));
  const objects = chartObjects(model, CIN);
  fields.keepUsed(objects);
  const toggles = togglesOf(objects, CHART_TOGGLES);
  const configFiles = new ConfigFilesAsValues(CIN, objects, s);
  proveChecksums(CIN, rendered);

  const global: TemplateObject[] = [];
  const perLanguage: TemplateObject[] = [];
  const perInstance: TemplateObject[] = [];
  for (const raw of objects) {
    const condition = conditionOf(raw, toggles, '$.');
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
    CIN_VALUE_CHECKS +
    templateObjects(global, s) +
    '{{- range $lang := $.Values.languages }}\n' +
    templateObjects(perLanguage, s) +
    '{{- range $i := until (int $lang.replicas) }}\n' +
    '{{- $o := dict }}\n' +
    '{{- range $.Values.instanceOverrides }}{{- if and (eq .language $lang.code) (eq (int .instance) $i) }}{{- $o = . }}{{- end }}{{- end }}\n' +
    '{{- $image := $o.image | default $.Values.image }}\n' +
    templateObjects(perInstance, s) +
    '{{- end }}\n{{- end }}\n';

  const cinValues = (config: PlatformConfig): Record<string, unknown> => {
    const c = config.components.cinNode;
    const own = {
      ...globalSwitches(toggles),
      image: { ...c.image },
      languages: c.languages.map((l) => ({ ...l })),
      instanceOverrides: structuredClone(c.instanceOverrides),
      sidecars: { otelCollector: structuredClone(config.components.otelCollector), promtail: structuredClone(config.components.promtail) },
      configFiles: configFilesOf(rendered.get(config.name) ?? [], CIN),
    };
    const switches = Object.fromEntries(toggles.map((t) => [t.key, { enabled: config.features[t.path[t.path.length - 1] as keyof PlatformConfig['features']] }]));
    return mergeTrees(mergeTrees(own, fields.values(config)), switches);
  };
  const { values, overlays } = valuesAndOverlays(configs.map((c) => [c.name, cinValues(c), { fullnameOverride: CIN }] as const));
  const cinSchema = modelSchemas.cinNodeSettings.properties;
  const sidecarSchema = modelSchemas.sidecar;
  const schema = fields.schema(
    toggles.map((t) => t.key),
    {
      image: valueSchemas.image,
      languages: cinSchema.languages,
      instanceOverrides: cinSchema.instanceOverrides,
      sidecars: { type: 'object', additionalProperties: false, required: ['otelCollector', 'promtail'], properties: { otelCollector: sidecarSchema, promtail: sidecarSchema } },
    },
  );
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
      required: [...schema.required, ...Object.keys(configFiles.schema()), 'test'],
      properties: { ...commonValueSchemas(valueSchemas.image), ...schema.properties, ...configFiles.schema() },
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

/** Name of the umbrella chart that installs the whole environment. */
export const UMBRELLA_CHART = 'crumpet';

/**
 * The umbrella's switches (`global.<key>.enabled`) and the cdk8s charts each turns off; every
 * other chart no component chart holds (Kubo's, where enabled) is always installed.
 */
export const UMBRELLA_SWITCHES: readonly (UmbrellaSwitch & { readonly charts: readonly string[] })[] = [
  {
    key: OBSERVABILITY_PART,
    about: "Observability: the PrometheusRule, the AlertmanagerConfig, the Grafana dashboards and every component's ServiceMonitor or PodMonitor",
    charts: ['monitoring'],
    kinds: ['ServiceMonitor', 'PodMonitor'],
  },
  { key: 'secrets', about: 'Secrets: the ExternalSecrets, the mesh CA issuers and the ACME ClusterIssuer', charts: ['secrets', 'cluster'] },
  { key: 'backups', about: 'Backups: the snapshot and backup CronJobs, their RBAC and NetworkPolicies', charts: ['backups'] },
  { key: 'network', about: "Network: the namespace's default-deny and DNS NetworkPolicies", charts: ['network-policies'] },
];

/**
 * Each environment's objects by cdk8s chart, rendered with the release's namespace and name as
 * markers: those of every chart but `charted` (the component charts, which have their own).
 */
function releaseObjects(configs: readonly PlatformConfig[], s: Sentinels, charted: ReadonlySet<string>): Map<string, Map<string, Kube[]>> {
  const release = { namespace: s.string('$.Release.Namespace'), instance: s.string('$.Release.Name') };
  return new Map(configs.map((c) => [c.name, chartsJson(new CrumpetApp({ ...c, ...release }), (chart) => !charted.has(chart.node.id)) as Map<string, Kube[]>] as const));
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
  uniformFeatures(sorted);
  const objectsOf = (chart: string) => new Map(sorted.map((c) => [c.name, rendered.get(c.name)?.get(chart) ?? []] as const));
  // The component charts from one marker app; CIN's loops need a marker model of their own.
  const specs = [...CRUMPET_COMPONENTS.components.filter((c) => c.chart).map((c) => declaredChart(sorted, objectsOf(c.name), c.name)), edgeChart(sorted, objectsOf('envoy-edge'))];
  const charted = new Set(specs.map((c) => c.name));
  const components = componentCharts(specs, (model) => chartsJson(new CrumpetApp(model), (c) => charted.has(c.node.id)) as Map<string, Kube[]>);
  const charts = [cinNodeChart(sorted, objectsOf(CIN)), ...components];
  const s = new Sentinels();
  const released = releaseObjects(sorted, s, new Set(charts.map((c) => c.name)));
  const partCharts = [...new Set([...released.values()].flatMap((m) => [...m.keys()]))].sort();
  const umbrella = umbrellaChart(
    {
      name: UMBRELLA_CHART,
      description: 'The Crumpet platform: one environment, its component charts and its platform-wide objects, installed together',
      title: 'The Crumpet platform',
      version: CHART_VERSION,
      appVersion: CRUMPET_RELEASE,
      environments: sorted.map((c) => c.name),
      switches: UMBRELLA_SWITCHES.map(({ key, about, kinds }) => ({ key, about, ...(kinds ? { kinds } : {}) })),
      parts: partCharts.map((chart) => {
        const behind = UMBRELLA_SWITCHES.find((w) => w.charts.includes(chart));
        return behind ? { chart, switch: behind.key } : { chart };
      }),
      objects: (env) => released.get(env)!,
      sentinels: s,
      dashboards: (env) => [
        '  The Grafana sidecar loads them from the ConfigMaps labelled grafana_dashboard=1 (folder Crumpet). Without an ingress to Grafana:',
        `  kubectl -n ${sorted.find((c) => c.name === env)!.network.monitoringNamespace} port-forward svc/grafana 3000:80, then open http://localhost:3000/d/<uid>`,
      ],
    },
    charts,
  );
  const files = new Map<string, string>();
  for (const chart of [...charts, umbrella]) {
    for (const [path, content] of chartFiles(chart, CHART_METADATA)) files.set(`charts-out/${chart.name}/${path}`, content);
  }
  return files;
}
