import { valueSchemas } from '../../lib/index.ts';
import type { RenderedObjects } from '../../render/index.ts';
import { chartsObjects } from '../../render/validate-app.ts';
import { chartFiles, componentChart, monitoringToggle, settingsValues, standardToggles, type ChartField, type ChartMetadata, type Kube, type Sentinels } from '../../render/helm/index.ts';
import { modelSchemas, STEMEDB_COMPONENTS, type StemedbConfig } from './model/index.ts';
import { STEMEDB_MONITORING_COMPONENT } from './monitoring.ts';
import { STEMEDB } from './names.ts';
import { STEMEDB_CHARTS, StemedbApp } from './stemedb-app.ts';

/*
 * StemeDB's Helm chart, from the generic generator (src/render/helm/component-chart.ts): every
 * object of dist/stemedb/<env>/ but the Namespace (Helm installs into a namespace it does not
 * own), the monitoring ones switched by `monitoring.enabled`, so `helm template stemedb
 * charts-out/stemedb -f values-<env>.yaml -n <namespace>` renders that environment's objects.
 */

/** The chart's version. */
export const CHART_VERSION = '0.1.0';

/** The cdk8s charts whose objects the Helm chart holds. */
export const CHARTED = STEMEDB_CHARTS.filter((c) => c !== 'namespace');

/** Who publishes the chart; its test pods are part of StemeDB like the rest of its objects. */
const CHART_METADATA: ChartMetadata = { partOf: STEMEDB, home: 'https://github.com/stemedb', maintainers: [{ name: 'StemeDB team' }] };

const model = modelSchemas.stemedbConfigSchema.properties;

/** The model fields that are chart values. */
const FIELDS: readonly ChartField[] = [
  { value: 'resources', path: ['components', 'stemedb', 'resources'], kind: 'object', schema: valueSchemas.resources },
  { value: 'storage.wal', path: ['components', 'stemedb', 'walStorage'], kind: 'string', schema: valueSchemas.byteQuantity },
  { value: 'storage.db', path: ['components', 'stemedb', 'dbStorage'], kind: 'string', schema: valueSchemas.byteQuantity },
  { value: 'storage.storageClassName', path: ['storage', 'storageClassName'], kind: 'string', schema: model.storage.properties.storageClassName },
  { value: 'ingress.host', path: ['ingress', 'host'], kind: 'string', schema: model.ingress.properties!.host },
  { value: 'ingress.clusterIssuer', path: ['ingress', 'clusterIssuer'], kind: 'string', schema: model.ingress.properties!.clusterIssuer },
  { value: 'secrets.rootApiKeyRemoteKey', path: ['secrets', 'rootApiKeyRemoteKey'], kind: 'string', schema: model.secrets.properties!.rootApiKeyRemoteKey },
  { value: 'secrets.rcloneConfigRemoteKey', path: ['secrets', 'rcloneConfigRemoteKey'], kind: 'string', schema: model.secrets.properties!.rcloneConfigRemoteKey },
  { value: 'backup.bucket', path: ['backup', 'bucket'], kind: 'string', schema: model.backup.properties!.bucket },
  { value: 'networkPolicy.monitoringNamespace', path: ['network', 'monitoringNamespace'], kind: 'string', schema: model.network.properties.monitoringNamespace, whenUsed: true },
  { value: 'networkPolicy.objectStoreCidrs', path: ['network', 'objectStoreCidrs'], kind: 'list', schema: model.network.properties.objectStoreCidrs, whenUsed: true },
];

/** The release names the objects: its namespace, and its name as the `instance` label. */
function releaseModel(m: StemedbConfig, s: Sentinels): StemedbConfig {
  return { ...m, namespace: s.string('$.Release.Namespace'), instance: s.string('$.Release.Name') };
}

/** Every charted object of an app rendered from `config`. */
export function chartedObjects(config: StemedbConfig): Kube[] {
  return chartsObjects(new StemedbApp(config), CHARTED) as Kube[];
}

/** charts-out/stemedb/: the chart's files, by path relative to the output root. */
export function stemedbCharts(configs: readonly StemedbConfig[], rendered: RenderedObjects): Map<string, string> {
  const sorted = [...configs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const declaration = STEMEDB_COMPONENTS.get(STEMEDB);
  const port = declaration.ports[declaration.chart!.smokeTest.port]!.port;
  // Components declared beside the database land in its chart, their settings as values.
  const others = settingsValues(STEMEDB_COMPONENTS.components.filter((c) => c.name !== STEMEDB));
  const spec = componentChart<StemedbConfig>({
    name: STEMEDB,
    description: declaration.chart!.description,
    version: CHART_VERSION,
    appVersion: sorted[0]!.components.stemedb.image.tag,
    environments: sorted.map((config) => ({
      env: config.name,
      config,
      objects: CHARTED.flatMap((c) => rendered.get(config.name)?.get(c) ?? []) as Kube[],
    })),
    render: chartedObjects,
    fields: [...FIELDS, ...others.fields],
    toggles: [monitoringToggle(STEMEDB_MONITORING_COMPONENT), ...standardToggles(['features'])],
    image: ['components', 'stemedb', 'image'],
    images: others.images,
    prepare: releaseModel,
    smokeTest: { port, path: declaration.chart!.smokeTest.path },
    notes: {
      about: 'It serves https://{{ .Values.ingress.host }} through Traefik.',
      checks: [`kubectl -n {{ .Release.Namespace }} rollout status statefulset/{{ include "${STEMEDB}.fullname" . }}`],
    },
  });
  return new Map([...chartFiles(spec, CHART_METADATA)].map(([path, content]) => [`charts-out/${STEMEDB}/${path}`, content]));
}
