/*
 * How StemeDB's synthesized objects differ from the manifests of seed 003, as data: which of our
 * objects stands for each of the seed's, every deliberate difference of a field with its reason,
 * and the objects the seed has no counterpart for. The comparison test
 * (test/stacks/stemedb/comparison.test.ts) fails on any difference not listed here, on an entry
 * that no longer matches a difference, and when the README's table is not this list.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

/** Why a difference is there. */
export type Reason = 'hardening' | 'labels' | 'names' | 'pinning' | 'statefulset' | 'library' | 'fix' | 'api' | 'environment';

/** One deliberate difference: every leaf under `path` of the seed's `object` may differ. */
export interface SeedDifference {
  /** `<kind>/<name>` of the seed's object. */
  readonly object: string;
  /** A leaf path, or the prefix of the leaves it covers (`spec.template.spec.securityContext`). */
  readonly path: string;
  readonly reason: Reason;
  readonly why: string;
}

/** Our object standing for each of the seed's, `<kind>/<name>` both. */
export const SEED_PAIRS: Readonly<Record<string, string>> = {
  'Namespace/stemedb': 'Namespace/stemedb',
  'PersistentVolumeClaim/stemedb-wal': 'StatefulSet/stemedb volumeClaimTemplates[wal]',
  'PersistentVolumeClaim/stemedb-db': 'StatefulSet/stemedb volumeClaimTemplates[db]',
  'Deployment/stemedb-api': 'StatefulSet/stemedb',
  'Service/stemedb-api': 'Service/stemedb-api',
  'Ingress/stemedb-api': 'Ingress/stemedb-api',
  'Middleware/ratelimit': 'Middleware/ratelimit',
  'ExternalSecret/stemedb-secrets': 'ExternalSecret/stemedb-secrets',
  'CronJob/stemedb-backup': 'CronJob/stemedb-backup',
  'ServiceMonitor/stemedb-api': 'ServiceMonitor/stemedb',
  'PrometheusRule/stemedb-alerts': 'PrometheusRule/stemedb-alerts',
  'NetworkPolicy/stemedb-api': 'NetworkPolicy/stemedb',
  'PodDisruptionBudget/stemedb-api': 'PodDisruptionBudget/stemedb',
};

/**
 * Our object for the seed's `seed` among `objects`: a volume claim template stands for a PVC, as
 * the PVC it makes for member 0 (same kind, the template's metadata and spec).
 */
export function oursFor(seed: string, objects: readonly Obj[]): Obj | undefined {
  const pair = SEED_PAIRS[seed];
  if (!pair) return undefined;
  const [id, claim] = pair.split(' volumeClaimTemplates');
  const found = objects.find((o) => `${o['kind']}/${o['metadata']?.['name']}` === id);
  if (!found || !claim) return found;
  const template = (found['spec']['volumeClaimTemplates'] as Obj[]).find((t) => `[${t['metadata']['name']}]` === claim);
  return template && { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { ...template['metadata'], namespace: found['metadata']['namespace'] }, spec: template['spec'] };
}

/**
 * Renamed list items, so their fields are compared with ours item by item: the seed's path
 * segment, ours, and why.
 */
export const SEED_RENAMES: readonly { readonly from: string; readonly to: string; readonly why: string }[] = [
  { from: 'containers[stemedb-api]', to: 'containers[stemedb]', why: 'the main container is named after its component, as every library workload' },
  { from: 'groups[stemedb.rules]', to: 'groups[stemedb.alerts]', why: 'the rule set names its threshold group `<stack>.alerts`' },
];

const d = (object: string, reason: Reason, why: string, ...paths: string[]): SeedDifference[] => paths.map((path) => ({ object, path, reason, why }));
const DEPLOYMENT = 'Deployment/stemedb-api';
const POD = 'spec.template.spec';
const MAIN = `${POD}.containers[stemedb]`;
const RULES = 'spec.groups[stemedb.alerts].rules';
const ALERTS = ['StemeDBPodNotRunning', 'StemeDBWALLatencyHigh', 'StemeDBDataVolumeNearlyFull', 'StemeDBRateLimitSaturating', 'StemeDBErrorRateHigh', 'StemeDBOOMKilled'];
const LABELLED = ['Namespace/stemedb', 'PersistentVolumeClaim/stemedb-wal', 'PersistentVolumeClaim/stemedb-db', DEPLOYMENT, 'Service/stemedb-api', 'Ingress/stemedb-api', 'Middleware/ratelimit', 'ExternalSecret/stemedb-secrets', 'CronJob/stemedb-backup', 'ServiceMonitor/stemedb-api', 'PrometheusRule/stemedb-alerts', 'NetworkPolicy/stemedb-api', 'PodDisruptionBudget/stemedb-api'];
const STANDARD = 'the standard app.kubernetes.io/* labels on every object; selectors use name and instance instead of `app`';

export const SEED_DIFFERENCES: readonly SeedDifference[] = [
  ...LABELLED.flatMap((o) => d(o, 'labels', STANDARD, 'metadata.labels.app.kubernetes.io')),
  ...d('Namespace/stemedb', 'hardening', 'the namespace enforces Pod Security Standard restricted (and names itself, as the API server does)', 'metadata.labels.pod-security.kubernetes.io', 'metadata.labels.kubernetes.io/metadata.name'),
  ...['wal', 'db'].flatMap((v) => [
    ...d(`PersistentVolumeClaim/stemedb-${v}`, 'statefulset', `one PVC per member from the volumeClaimTemplate "${v}" (\`${v}-stemedb-<n>\`), not one shared claim`, 'metadata.name'),
    ...d(`PersistentVolumeClaim/stemedb-${v}`, 'library', 'the storageClassName says Longhorn; the informational annotation is not carried', 'metadata.annotations.volumeType'),
  ]),
  ...d(DEPLOYMENT, 'statefulset', 'a StatefulSet of 3 members (roadmap item 11, "Upgrade to 3-node StatefulSet"): ordered start, per-member volumes, rolling replacement of one member at a time (each member\'s old pod is gone before its new one starts: the Recreate guarantee per volume)', 'kind', 'metadata.name', 'spec.replicas', 'spec.strategy.type', 'spec.podManagementPolicy', 'spec.updateStrategy.type', 'spec.serviceName', 'spec.volumeClaimTemplates', 'spec.persistentVolumeClaimRetentionPolicy', `${POD}.volumes[wal]`, `${POD}.volumes[db]`),
  ...d(DEPLOYMENT, 'labels', STANDARD, 'spec.selector.matchLabels', 'spec.template.metadata.labels'),
  ...d(DEPLOYMENT, 'library', 'scraping is by the ServiceMonitor; the annotations would have an annotation-based Prometheus scrape every member a second time', 'spec.template.metadata.annotations.prometheus.io'),
  ...d(DEPLOYMENT, 'hardening', 'Pod Security Standard restricted: the distroless non-root user 65532, seccomp RuntimeDefault, no service account token, no service links, a read-only root filesystem (the WAL and DB are volumes, /tmp an emptyDir), no capabilities', `${POD}.securityContext`, `${POD}.automountServiceAccountToken`, `${POD}.enableServiceLinks`, `${POD}.serviceAccountName`, `${MAIN}.securityContext`, `${MAIN}.volumeMounts[tmp]`, `${POD}.volumes[tmp]`),
  ...d(DEPLOYMENT, 'library', 'members spread over zones and nodes (preferred, never blocking), as every library workload', `${POD}.topologySpreadConstraints`),
  ...d(DEPLOYMENT, 'names', 'the main container is named after the component', `${MAIN}.name`),
  ...d(DEPLOYMENT, 'pinning', 'the image by the commit tag CI pushes (`latest` and `<REGISTRY>` in the seed)', `${MAIN}.image`, `${MAIN}.imagePullPolicy`),
  ...d(DEPLOYMENT, 'library', 'ports are named (`http`), probes and Services refer to the name', `${MAIN}.ports`, `${MAIN}.startupProbe.httpGet`, `${MAIN}.livenessProbe.httpGet`, `${MAIN}.readinessProbe.httpGet`),
  ...d(DEPLOYMENT, 'library', 'the library\'s probe periods (readiness 10 s, liveness 20 s, 2 s timeouts); the startup window is the seed\'s 60 s (12 x 5 s) from components.stemedb.walReplaySeconds', `${MAIN}.readinessProbe.periodSeconds`, `${MAIN}.livenessProbe.periodSeconds`, `${MAIN}.startupProbe.timeoutSeconds`, `${MAIN}.readinessProbe.timeoutSeconds`, `${MAIN}.livenessProbe.timeoutSeconds`),
  ...d(DEPLOYMENT, 'library', 'the volume mounts are written out read-write by the StatefulService', `${MAIN}.volumeMounts[wal].readOnly`, `${MAIN}.volumeMounts[db].readOnly`),
  ...d('Service/stemedb-api', 'labels', STANDARD + '; a role label tells the API Service from the headless one for the ServiceMonitor', 'spec.selector', 'metadata.labels.stemedb.threesix.ai/service'),
  ...d('Service/stemedb-api', 'library', 'named ports, targeting the container port by name', 'spec.ports'),
  ...d('Ingress/stemedb-api', 'environment', 'the real host names of the environment (the seed has a placeholder)', 'spec.rules[0].host', 'spec.tls[0].hosts[0]'),
  ...d('Middleware/ratelimit', 'api', 'traefik.containo.us is the old group of traefik.io (Traefik v3)', 'apiVersion'),
  ...d('ExternalSecret/stemedb-secrets', 'api', 'external-secrets.io/v1 (v1beta1 is deprecated and no longer served by ESO 0.17+)', 'apiVersion'),
  ...d('ExternalSecret/stemedb-secrets', 'hardening', 'the operator owns the Secret and keeps it when the ExternalSecret is deleted, so members never lose the key', 'spec.target.creationPolicy', 'spec.target.deletionPolicy'),
  ...d('CronJob/stemedb-backup', 'statefulset', 'members own ReadWriteOnce volumes a second pod cannot attach; the job fetches each member\'s snapshot over HTTP from its export endpoint (an API the seed does not show: an assumption) and copies it with rclone', 'spec.jobTemplate.spec.template.spec.containers', 'spec.jobTemplate.spec.template.spec.volumes'),
  ...d('CronJob/stemedb-backup', 'hardening', 'restricted pods, its own ServiceAccount without a token, a bounded run (deadline, retries), no overlapping runs, UTC schedule', 'spec.jobTemplate.spec.template.spec.securityContext', 'spec.jobTemplate.spec.template.spec.automountServiceAccountToken', 'spec.jobTemplate.spec.template.spec.enableServiceLinks', 'spec.jobTemplate.spec.template.spec.serviceAccountName', 'spec.jobTemplate.spec.template.spec.topologySpreadConstraints', 'spec.jobTemplate.spec.template.spec.restartPolicy', 'spec.jobTemplate.spec.backoffLimit', 'spec.jobTemplate.spec.activeDeadlineSeconds', 'spec.jobTemplate.metadata', 'spec.jobTemplate.spec.template.metadata', 'spec.timeZone', 'spec.startingDeadlineSeconds', 'spec.successfulJobsHistoryLimit', 'spec.failedJobsHistoryLimit'),
  ...d(DEPLOYMENT, 'library', 'cdk8s-plus-28 writes these Kubernetes defaults out (the values the API server would set)', 'spec.minReadySeconds', 'spec.updateStrategy.rollingUpdate.partition', `${POD}.dnsPolicy`, `${POD}.hostNetwork`, `${POD}.restartPolicy`, `${POD}.setHostnameAsFQDN`),
  ...d('Service/stemedb-api', 'library', 'cdk8s-plus-28 writes these Kubernetes defaults out (the values the API server would set)', 'spec.externalIPs'),
  ...d('CronJob/stemedb-backup', 'library', 'cdk8s-plus-28 writes these Kubernetes defaults out (the values the API server would set)', 'spec.suspend', 'spec.jobTemplate.spec.template.spec.dnsPolicy', 'spec.jobTemplate.spec.template.spec.hostNetwork', 'spec.jobTemplate.spec.template.spec.setHostnameAsFQDN', 'spec.jobTemplate.spec.template.spec.terminationGracePeriodSeconds'),
  ...d('ServiceMonitor/stemedb-api', 'names', 'monitors are named after their workload', 'metadata.name'),
  ...d('ServiceMonitor/stemedb-api', 'fix', 'an endpoint\'s `port` is a port name: "18180" names none; ours scrapes `http` of the API Service only (not the headless one too)', 'spec.endpoints[0].port', 'spec.selector.matchLabels'),
  ...d('PrometheusRule/stemedb-alerts', 'library', 'every alert carries priority, severity and service, a description and its runbook', ...ALERTS.flatMap((a) => [`${RULES}[${a}].labels.priority`, `${RULES}[${a}].labels.service`, `${RULES}[${a}].annotations.description`, `${RULES}[${a}].annotations.runbook_url`])),
  ...d('PrometheusRule/stemedb-alerts', 'fix', 'absent() has no threshold to test either side of and misses members that are down but scraped; ours fires when no member is up', `${RULES}[StemeDBPodNotRunning].expr`),
  ...d('PrometheusRule/stemedb-alerts', 'fix', 'the members\' PVCs are `wal|db-stemedb-<n>`, which `stemedb-.*` does not match', `${RULES}[StemeDBDataVolumeNearlyFull].expr`),
  ...d('PrometheusRule/stemedb-alerts', 'fix', 'the seed divides each 5xx series by itself (one-to-one on `status`), so any 5xx reads as 100%; ours sums both sides', `${RULES}[StemeDBErrorRateHigh].expr`),
  ...d('PrometheusRule/stemedb-alerts', 'fix', 'the container is `stemedb`; the 0/1 gauge is compared with 0.5 so promtool can test either side of the threshold', `${RULES}[StemeDBOOMKilled].expr`),
  ...d('PrometheusRule/stemedb-alerts', 'library', 'the threshold group is named `<stack>.alerts`', 'spec.groups[stemedb.alerts].name'),
  ...d('PrometheusRule/stemedb-alerts', 'library', 'a missing-data alert per exporter whose series feed an alert: without it the seed\'s alerts go silent when their series vanish', ...['KubeletDataMissing', 'PrometheusDataMissing', 'StemedbDataMissing'].map((a) => `${RULES}[${a}]`)),
  ...d('NetworkPolicy/stemedb-api', 'names', 'policies are named after their workload', 'metadata.name'),
  ...d('NetworkPolicy/stemedb-api', 'labels', STANDARD, 'spec.podSelector.matchLabels'),
  ...d('NetworkPolicy/stemedb-api', 'hardening', 'exactly the flows needed: Traefik pods (not all of kube-system) and Prometheus pods (not all of monitoring) and the backup job to the HTTP port; no egress (DNS from the namespace-wide allow-dns policy, the backup job\'s HTTPS to the object store in its own policy, secrets fetched by the operator, not the members)', 'spec.ingress', 'spec.egress'),
  ...d('PodDisruptionBudget/stemedb-api', 'names', 'budgets are named after their workload', 'metadata.name'),
  ...d('PodDisruptionBudget/stemedb-api', 'labels', STANDARD, 'spec.selector.matchLabels'),
  ...d('PodDisruptionBudget/stemedb-api', 'statefulset', 'with 3 members one may be drained at a time (0 would block every node drain); unhealthy members may always be evicted', 'spec.maxUnavailable', 'spec.unhealthyPodEvictionPolicy'),
];

/** Our objects the seed has none of, by `<kind>/<name>`, and why they exist. */
export const ADDED_OBJECTS: Readonly<Record<string, string>> = {
  'ServiceAccount/stemedb': 'each workload runs under its own ServiceAccount (hardening)',
  'Service/stemedb': 'the headless Service giving each member its DNS name (the seed\'s current stemedb.yaml has one)',
  'ServiceAccount/stemedb-backup': 'the backup job\'s own ServiceAccount (hardening)',
  'NetworkPolicy/stemedb-backup': 'the backup job may reach the members and the object store, nothing else',
  'NetworkPolicy/default-deny': 'deny by default',
  'NetworkPolicy/allow-dns': 'every pod may resolve names through kube-dns',
  'ConfigMap/stemedb-overview': 'the StemeDB dashboard for Grafana\'s sidecar',
  'ExternalSecret/rclone-gcs-config': 'the backup job\'s rclone.conf from the secret store, as the root API key (the seed has the Secret made by hand in the GCP console, so the job would wait on it)',
};
