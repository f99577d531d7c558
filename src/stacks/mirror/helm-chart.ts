import { valueSchemas } from '../../lib/index.ts';
import {
  chartFiles,
  componentChart,
  monitoringToggle,
  releasePods,
  settingsValues,
  standardToggles,
  setAt,
  type ChartField,
  type ChartMetadata,
  type ChartSmokeTest,
  type HelmChartSpec,
  type Kube,
  type Sentinels,
} from '../../render/helm/index.ts';
import { chartsObjects } from '../../render/validate-app.ts';
import { MIRROR_CHART, MIRROR_MONITORING_CHART, MIRROR_PART_OF, MirrorApp } from './mirror-app.ts';
import { MIRROR_MONITORING_COMPONENT } from './monitoring.ts';
import { MIRROR_COMPONENTS, mirrorSchemas, type MirrorConfig } from './model/index.ts';
import { MIRROR_RELEASE } from './model/defaults.ts';
import { GATEWAY_PORTS, GATEWAY_SERVICE_PORT } from './ports.ts';

/*
 * The mirror's Helm chart, from the generic generator (src/render/helm/component-chart.ts): the
 * objects of dist/mirror/<env>/mirror.k8s.yaml and monitoring.k8s.yaml as templates (the
 * monitoring ones switched by `monitoring.enabled`), the model fields that differ between
 * environments as values, and one overlay per environment, named after its profile, so that
 * `helm template mirror charts-out/mirror -f values-mirror.yaml -n stellaops-mirror` renders
 * exactly those files of dist/mirror/prod (but for the Helm-only labels). The Namespace stays
 * out: Helm installs into a namespace it does not own.
 */

/** The cdk8s charts whose objects the Helm chart holds. */
export const MIRROR_CHARTED: readonly string[] = [MIRROR_CHART, MIRROR_MONITORING_CHART];

/** The overlay of an environment, by environment: prod is the seed's `values-mirror.yaml` profile. */
export const CHART_PROFILES: Readonly<Record<string, string>> = { prod: 'mirror' };

/** The overlay file of an environment: `values-<profile>.yaml`. */
export function overlayOf(env: string): string {
  return `values-${CHART_PROFILES[env] ?? env}.yaml`;
}

/** Who publishes the chart: the StellaOps mirror operators. */
const CHART_METADATA: ChartMetadata = { partOf: MIRROR_PART_OF, home: 'https://stella-ops.org', maintainers: [{ name: 'StellaOps mirror team' }] };

const schema = mirrorSchemas.mirrorConfigSchema.properties;
const gateway = ['components', 'mirrorGateway'];

/** A pinned reference: the values schema refuses a tag-only sync image as the model does. */
const pinnedImage = { ...mirrorSchemas.imageReference, pattern: '^[^@\\s]+@sha256:[a-f0-9]{64}$', description: 'an image pinned by digest: <repository>@sha256:<64 hex digits>' };

/** The model fields the chart carries as values. */
const FIELDS: readonly ChartField[] = [
  { value: 'replicaCount', path: [...gateway, 'replicas'], kind: 'number', schema: valueSchemas.replicas },
  { value: 'resources', path: [...gateway, 'resources'], kind: 'object', schema: valueSchemas.resources },
  { value: 'sync.image', path: ['components', 'mirrorSync', 'image'], kind: 'string', schema: pinnedImage },
  { value: 'sync.region', path: ['sync', 'region'], kind: 'string', schema: schema.sync.properties.region },
  { value: 'storageClassName', path: ['storage', 'storageClassName'], kind: 'string', schema: schema.storage.properties.storageClassName },
  { value: 'secrets.store', path: ['secrets', 'store'], kind: 'string', schema: schema.secrets.properties.store },
  { value: 'secrets.remoteKeyPrefix', path: ['secrets', 'remoteKeyPrefix'], kind: 'string', schema: schema.secrets.properties.remoteKeyPrefix },
  { value: 'networkPolicy.cdnCidrs', path: ['network', 'cdnCidrs'], kind: 'list', schema: schema.network.properties.cdnCidrs },
  { value: 'networkPolicy.upstreamCidrs', path: ['network', 'upstreamCidrs'], kind: 'list', schema: schema.network.properties.upstreamCidrs, whenUsed: true },
  { value: 'networkPolicy.monitoringNamespace', path: ['network', 'monitoringNamespace'], kind: 'string', schema: schema.network.properties.monitoringNamespace, whenUsed: true },
];

/** A sync image as the constructs parse it, standing for the `sync.image` value. */
const SYNC_IMAGE_MARKER = `chart.invalid/mirror-sync@sha256:${'0'.repeat(64)}`;

/** The release names the objects (its namespace, its name as the instance label); the sync image is the `sync.image` value. */
function releaseModel(model: MirrorConfig, s: Sentinels): MirrorConfig {
  s.literal(SYNC_IMAGE_MARKER, '$.Values.sync.image | quote');
  const released = { ...model, namespace: s.string('$.Release.Namespace'), instance: s.string('$.Release.Name') };
  return setAt(released, ['components', 'mirrorSync', 'image'], SYNC_IMAGE_MARKER);
}

/** The charted objects of an app rendered from `model`. */
function chartObjects(model: MirrorConfig): Kube[] {
  return chartsObjects(new MirrorApp(model), MIRROR_CHARTED) as Kube[];
}

/**
 * `helm test`: curl sends and verifies the first domain's host name over TLS, connected to the
 * gateway's Service, and asks for the unauthenticated health path; the chart's NetworkPolicies
 * admit the test pod at the gateway's TLS port only.
 */
function smokeTest(path: string): ChartSmokeTest {
  const host = '{{ .Values.smokeTest.host }}';
  return {
    url: `https://${host}${path}`,
    curlArgs: ['--connect-to', `${host}:443:{{ include "${MIRROR_CHART}.fullname" . }}-gateway:${GATEWAY_SERVICE_PORT}`],
    imageValue: 'test.image',
    target: { podLabels: releasePods('mirror-gateway'), port: GATEWAY_PORTS.https },
  };
}

/** The mirror chart, its overlays named by profile. */
export function mirrorChart(configs: readonly MirrorConfig[], rendered: ReadonlyMap<string, ReadonlyMap<string, readonly Kube[]>>): HelmChartSpec {
  const sorted = [...configs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const environments = sorted.map((config) => ({ env: config.name, config, objects: MIRROR_CHARTED.flatMap((c) => rendered.get(config.name)?.get(c) ?? []) }));
  const hostOf = new Map<readonly Kube[], string>(environments.map((e) => [e.objects, e.config.domains[0]!.host] as const));
  const declaration = MIRROR_COMPONENTS.get('mirror-gateway');
  // Components declared beside the gateway and the sync job land in the chart, their settings as values.
  const others = settingsValues(MIRROR_COMPONENTS.components.filter((c) => c.name !== 'mirror-gateway' && c.name !== 'mirror-sync'));
  const spec = componentChart<MirrorConfig>({
    name: MIRROR_CHART,
    description: declaration.chart!.description,
    version: MIRROR_RELEASE,
    appVersion: sorted[0]!.components.mirrorGateway.image.tag,
    environments,
    render: chartObjects,
    fields: [...FIELDS, ...others.fields],
    toggles: [monitoringToggle(MIRROR_MONITORING_COMPONENT), ...standardToggles(['features']).filter((t) => t.key !== 'autoscaling')],
    image: [...gateway, 'image'],
    images: others.images,
    prepare: releaseModel,
    pinned: (objects) => ({ smokeTest: { host: hostOf.get(objects) } }),
    extraValues: { smokeTest: { host: sorted[sorted.length - 1]!.domains[0]!.host } },
    extraSchema: { 'smokeTest.host': valueSchemas.hostName },
    smokeTest: smokeTest(declaration.chart!.smokeTest.path),
    notes: {
      about: 'Its gateway serves the mirror domains to the CDN; the sync job refreshes the export volumes every few minutes.',
      checks: [`kubectl -n {{ .Release.Namespace }} rollout status deployment/{{ include "${MIRROR_CHART}.fullname" . }}-gateway`],
    },
  });
  return { ...spec, overlays: new Map([...spec.overlays].map(([env, values]) => [CHART_PROFILES[env] ?? env, values] as const)) };
}

/** The chart's files, by path relative to the output root (`charts-out/mirror/...`). */
export function mirrorChartFiles(configs: readonly MirrorConfig[], rendered: ReadonlyMap<string, ReadonlyMap<string, readonly Kube[]>>): Map<string, string> {
  const files = new Map<string, string>();
  for (const [path, content] of chartFiles(mirrorChart(configs, rendered), CHART_METADATA)) files.set(`charts-out/${MIRROR_CHART}/${path}`, content);
  return files;
}
