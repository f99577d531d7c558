import { Construct } from 'constructs';
import type { PlatformConfig } from '../config/index.ts';
import { ImageReference, ScheduledJob, type AppLabels } from '../lib/index.ts';
import type { CinLanguage } from './cin-node.ts';
import { MeshCertificate } from './mesh-certificate.ts';
import { PORTS } from './ports.ts';

/** Props of {@link Backups}. */
export interface BackupsProps {
  readonly config: PlatformConfig;
  readonly labels: AppLabels;
  /** The CIN languages whose indexes are snapshotted. */
  readonly languages: readonly CinLanguage[];
}

/** The Secret with the object store's access key, materialized by the secrets provider. */
export const BACKUP_CREDENTIALS_SECRET = 'backup-s3-credentials';

/** VolumeSnapshots kept per index volume; older ones are deleted by the snapshot job. */
export const VOLUME_SNAPSHOTS_KEPT = 7;

/**
 * Backups and DR (spec section 10): a nightly upload of each language's index snapshot to the
 * object store, scheduled CSI VolumeSnapshots of every index volume, and a daily copy of the
 * namespace's Secrets and ConfigMaps to the (versioned, encrypted) bucket.
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
    const small = { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } };

    // `cin snapshot` (runbook R1) asks each language's node over gRPC to write its snapshot; with
    // features.mtls it presents a client certificate of the mesh CA, as the edge does.
    const cinImage = config.components.cinNode.image;
    const snapshotLabels = labels('index-snapshot', cinImage);
    const clientTls = config.features.mtls
      ? new MeshCertificate(this, 'IndexSnapshotCertificate', {
          name: 'index-snapshot-mtls',
          labels: snapshotLabels,
          role: 'client',
          dnsNames: [`index-snapshot.${config.namespace}.svc.cluster.local`],
        }).mountAt('mtls', '/etc/cin/mtls')
      : undefined;
    this.indexSnapshot = new ScheduledJob(this, 'IndexSnapshot', {
      name: 'index-snapshot',
      labels: snapshotLabels,
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
        resources: small,
        ...(clientTls ? { mounts: [clientTls.mount] } : {}),
      },
      ...(clientTls ? { volumes: [clientTls.volume] } : {}),
    });

    this.volumeSnapshots = new ScheduledJob(this, 'VolumeSnapshots', {
      name: 'index-volume-snapshots',
      labels: labels('index-volume-snapshots', b.toolboxImage),
      schedule: b.volumeSnapshotSchedule,
      container: {
        image: toolbox,
        args: [
          'volume-snapshots',
          '--selector', 'app.kubernetes.io/name=cin-node',
          '--snapshot-class', b.volumeSnapshotClassName,
          '--keep', String(VOLUME_SNAPSHOTS_KEPT),
        ],
        resources: small,
      },
      rules: [
        { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['get', 'list'] },
        { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshots'], verbs: ['get', 'list', 'create', 'delete'] },
      ],
    });

    this.configBackup = new ScheduledJob(this, 'ConfigBackup', {
      name: 'config-backup',
      labels: labels('config-backup', b.toolboxImage),
      schedule: b.configBackupSchedule,
      container: {
        image: toolbox,
        args: ['config-backup', '--kinds', 'secrets,configmaps', '--upload', `s3://${b.bucket}/config/`],
        env: s3Env,
        resources: small,
      },
      rules: [{ apiGroups: [''], resources: ['secrets', 'configmaps'], verbs: ['get', 'list'] }],
    });
  }
}
