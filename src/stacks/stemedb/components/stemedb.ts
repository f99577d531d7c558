import { ClusterService, defineComponent, DisruptionBudget, ImageReference, StatefulService, valueSchemas } from '../../../lib/index.ts';
import { Dashboard, Panel, perSecond, Target } from '../../../observability/index.ts';
import { STEMEDB_ALERTS } from '../alerts.ts';
import type { StemedbConfig, StemedbSettings } from '../model/types.ts';
import { API_SERVICE, HEALTH_PATH, HTTP_PORT, METRICS_PATH, SECRET, SERVICE_ROLE_LABEL, STEMEDB, VOLUMES } from '../names.ts';

const alertThreshold = (name: string): number => STEMEDB_ALERTS.find((a) => a.name === name)!.threshold;

/**
 * The StemeDB cluster: members of a StatefulSet started one at a time (`OrderedReady`: member 0
 * seeds the gossip cluster), each with its own WAL and DB volumes, replaced one at a time by the
 * rolling update (a member's pod is deleted before its replacement starts, so no two pods ever
 * hold one volume: the seed's Recreate guarantee, per member). The startup probe's window is the
 * WAL replay time of the model. A headless Service names each member; the API Service
 * load-balances the Ingress, backups and scrapes over them.
 */
export default defineComponent<StemedbSettings, StemedbConfig>({
  name: STEMEDB,
  role: 'database',
  settings: {
    type: 'object',
    additionalProperties: false,
    required: ['image'],
    properties: {
      image: valueSchemas.image,
      replicas: { ...valueSchemas.replicas, minimum: 1, default: 3 },
      resources: { ...valueSchemas.resources, default: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2000m', memory: '4Gi' } } },
      walStorage: { ...valueSchemas.byteQuantity, default: '20Gi' },
      dbStorage: { ...valueSchemas.byteQuantity, default: '50Gi' },
      walReplaySeconds: { type: 'integer', minimum: 5, maximum: 3600, default: 60, description: 'seconds the startup probe waits for the WAL replay' },
    },
  },
  ports: { [HTTP_PORT.name]: { port: HTTP_PORT.port, healthPath: HEALTH_PATH } },
  secrets: [{ name: SECRET.name, keys: [SECRET.rootApiKey] }],
  metrics: {
    port: HTTP_PORT.name,
    path: METRICS_PATH,
    interval: '15s',
    catalogue: [
      { name: 'stemedb_wal_fsync_latency_seconds', type: 'histogram', labels: [], help: 'Time a WAL fsync takes.' },
      { name: 'stemedb_http_requests_total', type: 'counter', labels: ['status'], help: 'HTTP requests answered, by status code.' },
    ],
  },
  alerts: STEMEDB_ALERTS,
  dashboard: {
    uid: 'stemedb-overview',
    build: (uid) =>
      new Dashboard({ uid, title: 'StemeDB', tags: ['stemedb'] }).add(
        new Panel({ title: 'Members up', type: 'stat', width: 6, alerts: ['StemeDBPodNotRunning'], targets: [Target.query(`sum(up{job="${API_SERVICE}"})`)] }),
        new Panel({ title: 'Requests by status', type: 'timeseries', unit: 'reqps', width: 18, targets: [Target.query(`sum by (status) (${perSecond('stemedb_http_requests_total')})`, '{{status}}')] }),
        new Panel({
          title: 'WAL fsync p99 by member',
          type: 'timeseries',
          unit: 's',
          thresholds: [{ value: alertThreshold('StemeDBWALLatencyHigh') }],
          alerts: ['StemeDBWALLatencyHigh'],
          targets: [Target.query(`histogram_quantile(0.99, sum by (pod, le) (${perSecond('stemedb_wal_fsync_latency_seconds_bucket')}))`, '{{pod}}')],
        }),
        new Panel({
          title: '5xx share',
          type: 'timeseries',
          unit: 'percentunit',
          thresholds: [{ value: alertThreshold('StemeDBErrorRateHigh') }],
          alerts: ['StemeDBErrorRateHigh'],
          targets: [Target.query(`sum(${perSecond('stemedb_http_requests_total{status=~"5.."}')}) / sum(${perSecond('stemedb_http_requests_total')})`, '5xx')],
        }),
        new Panel({
          title: 'Volume usage',
          type: 'timeseries',
          unit: 'percentunit',
          width: 24,
          thresholds: [{ value: alertThreshold('StemeDBDataVolumeNearlyFull') }],
          alerts: ['StemeDBDataVolumeNearlyFull'],
          targets: [Target.query(`${STEMEDB_ALERTS.find((a) => a.name === 'StemeDBDataVolumeNearlyFull')!.query}`, '{{persistentvolumeclaim}}')],
        }),
      ),
  },
  chart: { description: 'StemeDB: the 3-member StatefulSet, its Services, Ingress, secrets, backups, policies and rules', smokeTest: { port: HTTP_PORT.name, path: HEALTH_PATH } },
  build: (ctx) => {
    const { settings, model } = ctx;
    const members = new StatefulService(ctx.scope, 'Workload', {
      name: STEMEDB,
      labels: ctx.labels,
      replicas: settings.replicas,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: 'RollingUpdate',
      // In-flight WAL writes complete before SIGKILL.
      terminationGracePeriodSeconds: 30,
      container: {
        image: ImageReference.of(settings.image),
        ports: [HTTP_PORT],
        resources: settings.resources,
        health: { port: HTTP_PORT.name, path: HEALTH_PATH, startupSeconds: settings.walReplaySeconds },
        env: [
          { name: 'STEMEDB_BIND_ADDR', value: `0.0.0.0:${HTTP_PORT.port}` },
          { name: 'STEMEDB_WAL_DIR', value: VOLUMES.wal },
          { name: 'STEMEDB_DB_DIR', value: VOLUMES.db },
          { name: 'STEMEDB_METER_ENABLED', value: 'true' },
          { name: 'STEMEDB_ROOT_API_KEY', valueFrom: { secretKeyRef: { name: SECRET.name, key: SECRET.rootApiKey } } },
        ],
      },
      volumeClaims: [
        { name: 'wal', size: settings.walStorage, storageClassName: model.storage.storageClassName, mountPath: VOLUMES.wal },
        { name: 'db', size: settings.dbStorage, storageClassName: model.storage.storageClassName, mountPath: VOLUMES.db },
      ],
    });
    const role = { [SERVICE_ROLE_LABEL]: 'api' };
    new ClusterService(ctx.scope, 'Api', {
      name: API_SERVICE,
      target: members,
      ports: [{ name: HTTP_PORT.name, port: HTTP_PORT.port, targetPort: HTTP_PORT.port }],
      extraLabels: role,
    });
    if (ctx.features.podDisruptionBudget) new DisruptionBudget(ctx.scope, 'Budget', { target: members });
    return {
      workload: members,
      construct: members,
      monitor: { serviceSelector: { ...members.labels.selector, ...role } },
    };
  },
});
