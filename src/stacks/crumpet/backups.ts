import { Construct } from 'constructs';
import type { IPolicyRule } from 'kubernetes-models/rbac.authorization.k8s.io/v1/PolicyRule';
import type { PlatformConfig } from './model/index.ts';
import { guaranteed } from './model/defaults.ts';
import { ImageReference, ScheduledJob, type AppLabels } from '../../lib/index.ts';
import type { CinLanguage } from './cin-node.ts';
import { MeshCertificate } from './mesh-certificate.ts';
import { RUNBOOK_ANNOTATION } from './observability/runbook-links.ts';
import { PORTS } from './ports.ts';

/** Props of {@link Backups}. */
export interface BackupsProps {
  readonly config: PlatformConfig;
  readonly labels: AppLabels;
  /** The CIN languages whose indexes are snapshotted. */
  readonly languages: readonly CinLanguage[];
  /**
   * The application Secrets the platform delivers: the only ones whose data `backups.secretData`
   * may back up.
   */
  readonly deliveredSecrets: readonly string[];
  /**
   * The runbook that restores from these backups, named on every backup CronJob
   * ({@link RUNBOOK_ANNOTATION}).
   * @default - none (no disaster recovery runbook covers the environment)
   */
  readonly runbook?: string;
}

/** The Secret with the object store's access key, materialized by the secrets provider. */
export const BACKUP_CREDENTIALS_SECRET = 'backup-s3-credentials';

/** The CronJob uploading the index snapshots; game days start a run of it by hand. */
export const INDEX_SNAPSHOT_JOB = 'index-snapshot';

/** VolumeSnapshots kept per index volume; older ones are deleted by the snapshot job. */
export const VOLUME_SNAPSHOTS_KEPT = 7;

/**
 * Resources of the backup jobs, guaranteed (requests equal limits) like every workload. The index
 * snapshot streams each language's snapshot to the object store; the volume snapshot job makes a
 * few API calls; the config backup pipes kubectl into the AWS CLI (a Python program, about
 * 100 MiB resident) and, with `secretData`, through age.
 */
export const BACKUP_JOB_RESOURCES = {
  indexSnapshot: guaranteed('500m', '512Mi'),
  volumeSnapshots: guaranteed('100m', '128Mi'),
  configBackup: guaranteed('250m', '256Mi'),
} as const;

/** The custom resource through which each secrets provider delivers the application Secrets. */
const SECRET_SOURCES = {
  'external-secrets': { apiGroup: 'external-secrets.io', resource: 'externalsecrets' },
  'sealed-secrets': { apiGroup: 'bitnami.com', resource: 'sealedsecrets' },
} as const;

/**
 * Backups and DR (spec section 10): a nightly upload of each language's index snapshot to the
 * object store, scheduled CSI VolumeSnapshots of every index volume, and a daily copy of the
 * namespace's configuration to the (versioned, encrypted) bucket. The configuration is the
 * ConfigMaps and the Secrets' sources (ExternalSecrets or SealedSecrets): the secret values live
 * in the vault or are sealed, and the config backup never reads a Secret. With
 * `backups.secretData` it also copies the data of the delivered application Secrets, named one
 * by one (so never the mesh CA or a certificate key), encrypted with age inside the pod.
 */
export class Backups extends Construct {
  public readonly indexSnapshot: ScheduledJob;
  public readonly volumeSnapshots: ScheduledJob;
  public readonly configBackup: ScheduledJob;

  public constructor(scope: Construct, id: string, props: BackupsProps) {
    super(scope, id);
    const { config } = props;
    const b = config.backups;
    const labels = (name: string, image: { tag: string }) =>
      props.labels.withComponent({ name, component: 'backup', version: image.tag });
    const s3Env = [
      { name: 'S3_ENDPOINT', value: b.endpoint },
      { name: 'S3_BUCKET', value: b.bucket },
      { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: BACKUP_CREDENTIALS_SECRET, key: 'access-key-id' } } },
      { name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: BACKUP_CREDENTIALS_SECRET, key: 'secret-access-key' } } },
    ];
    const toolbox = ImageReference.of(b.toolboxImage);
    const annotations = props.runbook ? { annotations: { [RUNBOOK_ANNOTATION]: props.runbook } } : {};

    // `cin snapshot` (runbook R1) asks each language's node over gRPC to write its snapshot; with
    // features.mtls it presents a client certificate of the mesh CA, as the edge does.
    const cinImage = config.components.cinNode.image;
    const snapshotLabels = labels(INDEX_SNAPSHOT_JOB, cinImage);
    const clientTls = config.features.mtls
      ? new MeshCertificate(this, 'IndexSnapshotCertificate', {
          name: 'index-snapshot-mtls',
          labels: snapshotLabels,
          role: 'client',
          dnsNames: [`index-snapshot.${config.namespace}.svc.cluster.local`],
        }).mountAt('mtls', '/etc/cin/mtls')
      : undefined;
    this.indexSnapshot = new ScheduledJob(this, 'IndexSnapshot', {
      name: INDEX_SNAPSHOT_JOB,
      labels: snapshotLabels,
      ...annotations,
      schedule: b.indexSnapshotSchedule,
      container: {
        image: ImageReference.of(cinImage),
        args: [
          'snapshot',
          ...props.languages.flatMap((l) => ['--lang', l.code, '--node', `${l.name}:${PORTS.cinGrpc.port}`]),
          ...(clientTls
            ? ['--tls-cert', clientTls.certFile, '--tls-key', clientTls.keyFile, '--tls-ca', clientTls.caFile]
            : []),
          '--upload',
          `s3://${b.bucket}/index-snapshots/`,
        ],
        env: s3Env,
        resources: BACKUP_JOB_RESOURCES.indexSnapshot,
        ...(clientTls ? { mounts: [clientTls.mount] } : {}),
      },
      ...(clientTls ? { volumes: [clientTls.volume] } : {}),
    });

    this.volumeSnapshots = new ScheduledJob(this, 'VolumeSnapshots', {
      name: 'index-volume-snapshots',
      labels: labels('index-volume-snapshots', b.toolboxImage),
      ...annotations,
      schedule: b.volumeSnapshotSchedule,
      container: {
        image: toolbox,
        args: [
          'volume-snapshots',
          '--selector', 'app.kubernetes.io/name=cin-node',
          '--snapshot-class', b.volumeSnapshotClassName,
          '--keep', String(VOLUME_SNAPSHOTS_KEPT),
        ],
        resources: BACKUP_JOB_RESOURCES.volumeSnapshots,
      },
      rules: [
        { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['get', 'list'] },
        { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshots'], verbs: ['get', 'list', 'create', 'delete'] },
      ],
    });

    const source = SECRET_SOURCES[config.secrets.provider];
    const secretData = b.secretData
      ? { recipient: b.secretData.ageRecipient, names: [...props.deliveredSecrets].sort() }
      : undefined;
    if (secretData && secretData.names.length === 0) {
      throw new Error(`[${this.node.path}] backups.secretData: the platform delivers no Secret to back up`);
    }
    const rules: IPolicyRule[] = [
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] },
      { apiGroups: [source.apiGroup], resources: [source.resource], verbs: ['get', 'list'] },
      // `get` by name only: `list` cannot be limited to names.
      ...(secretData ? [{ apiGroups: [''], resources: ['secrets'], resourceNames: secretData.names, verbs: ['get'] }] : []),
    ];
    this.configBackup = new ScheduledJob(this, 'ConfigBackup', {
      name: 'config-backup',
      labels: labels('config-backup', b.toolboxImage),
      ...annotations,
      schedule: b.configBackupSchedule,
      container: {
        image: toolbox,
        command: ['bash', '-c', configBackupScript(config.namespace, b.bucket, `configmaps,${source.resource}.${source.apiGroup}`, secretData)],
        env: s3Env,
        resources: BACKUP_JOB_RESOURCES.configBackup,
      },
      rules,
    });
  }
}

/**
 * The config backup: one upload of the listed kinds and, with `secrets`, one of the named
 * Secrets piped through `age -r` first, so their data leaves the pod encrypted and never touches
 * a disk. `pipefail` makes a failing kubectl or age fail the run instead of uploading nothing.
 */
function configBackupScript(
  namespace: string,
  bucket: string,
  kinds: string,
  secrets: { readonly recipient: string; readonly names: readonly string[] } | undefined,
): string {
  const upload = (file: string) => `aws s3 cp --endpoint-url "$S3_ENDPOINT" - "$dest/${file}"`;
  return [
    'set -euo pipefail',
    `dest="s3://${bucket}/config/$(date -u +%Y%m%dT%H%M%SZ)"`,
    `kubectl get --namespace ${namespace} ${kinds} --output yaml | ${upload('objects.yaml')}`,
    ...(secrets
      ? [`kubectl get --namespace ${namespace} secret ${secrets.names.join(' ')} --output yaml | age -r ${secrets.recipient} | ${upload('secrets.yaml.age')}`]
      : []),
  ].join('\n') + '\n';
}
