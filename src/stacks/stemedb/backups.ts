import { Construct } from 'constructs';
import { ImageReference, ScheduledJob, StoreSecret, type AppLabels } from '../../lib/index.ts';
import type { BackupConfig, SecretsConfig } from './model/index.ts';
import { BACKUP, HTTP_PORT, SECRET, STEMEDB } from './names.ts';

/** Where the job reads rclone's configuration, a key of the Secret `backup.rcloneConfigSecret`. */
const RCLONE_CONFIG_DIR = '/config/rclone';
const RCLONE_CONFIG_FILE = 'rclone.conf';

/** Props of {@link Backups}. */
export interface BackupsProps {
  readonly labels: AppLabels;
  readonly backup: BackupConfig;
  /** The secret store the job's rclone configuration comes from. */
  readonly secrets: SecretsConfig;
  /** Members of the cluster, each backed up in turn. */
  readonly members: number;
}

/**
 * Streams each member's snapshot (WAL segments and DB files, as a tar from its export endpoint)
 * to the object store every run, one object per member and run. The seed's job mounted the
 * volumes instead; a StatefulSet's members each own ReadWriteOnce volumes that a second pod on
 * another node cannot attach, so the job asks the members over the network. Its `rclone.conf`
 * comes from the secret store as the root API key does (the seed had it created by hand in the
 * GCP console): the job never waits on a Secret nothing makes.
 */
export class Backups extends Construct {
  public readonly job: ScheduledJob;

  public constructor(scope: Construct, id: string, props: BackupsProps) {
    super(scope, id);
    const { backup, secrets } = props;
    new StoreSecret(this, 'RcloneConfig', {
      name: backup.rcloneConfigSecret,
      labels: props.labels.all,
      store: secrets.store,
      storeKind: secrets.storeKind,
      refreshInterval: secrets.refreshInterval,
      keys: [{ key: RCLONE_CONFIG_FILE, remoteKey: secrets.rcloneConfigRemoteKey }],
    });
    const script = [
      'set -eu',
      'STAMP=$(date -u +%Y%m%dT%H%M%SZ)',
      'i=0',
      'while [ "$i" -lt "$MEMBERS" ]; do',
      '  POD="$STATEFULSET-$i"',
      '  wget -q -O "/tmp/$POD.tar" --header "X-API-Key: $STEMEDB_API_KEY" "http://$POD.$STATEFULSET:$PORT$EXPORT_PATH"',
      '  rclone copyto "/tmp/$POD.tar" "$REMOTE:$BACKUP_BUCKET/$POD/$STAMP.tar"',
      '  rm -f "/tmp/$POD.tar"',
      '  i=$((i + 1))',
      'done',
      'echo "Backup complete"',
    ].join('\n');
    this.job = new ScheduledJob(this, 'Job', {
      name: BACKUP,
      labels: props.labels,
      schedule: backup.schedule,
      container: {
        image: ImageReference.of(backup.image),
        command: ['/bin/sh', '-c', script],
        resources: backup.resources,
        env: [
          { name: 'MEMBERS', value: String(props.members) },
          { name: 'STATEFULSET', value: STEMEDB },
          { name: 'PORT', value: String(HTTP_PORT.port) },
          { name: 'EXPORT_PATH', value: backup.exportPath },
          { name: 'REMOTE', value: backup.remote },
          { name: 'BACKUP_BUCKET', value: backup.bucket },
          { name: 'RCLONE_CONFIG', value: `${RCLONE_CONFIG_DIR}/${RCLONE_CONFIG_FILE}` },
          { name: 'XDG_CACHE_HOME', value: '/tmp' },
          { name: 'STEMEDB_API_KEY', valueFrom: { secretKeyRef: { name: SECRET.name, key: SECRET.rootApiKey } } },
        ],
        mounts: [{ volume: 'rclone-config', path: RCLONE_CONFIG_DIR }],
      },
      volumes: [{ name: 'rclone-config', secret: { secretName: backup.rcloneConfigSecret } }],
    });
  }
}
