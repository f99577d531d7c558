import { Construct } from 'constructs';
import { ImageReference, ScheduledJob, type AppLabels } from '../../lib/index.ts';
import type { BackupConfig } from './model/index.ts';
import { BACKUP, HTTP_PORT, SECRET, STEMEDB } from './names.ts';

/** Props of {@link Backups}. */
export interface BackupsProps {
  readonly labels: AppLabels;
  readonly backup: BackupConfig;
  /** Members of the cluster, each backed up in turn. */
  readonly members: number;
}

/**
 * Streams each member's snapshot (WAL segments and DB files, as a tar from its export endpoint)
 * to the object store every run, one object per member and run. The seed's job mounted the
 * volumes instead; a StatefulSet's members each own ReadWriteOnce volumes that a second pod on
 * another node cannot attach, so the job asks the members over the network.
 */
export class Backups extends Construct {
  public readonly job: ScheduledJob;

  public constructor(scope: Construct, id: string, props: BackupsProps) {
    super(scope, id);
    const { backup } = props;
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
          { name: 'RCLONE_CONFIG', value: '/config/rclone/rclone.conf' },
          { name: 'XDG_CACHE_HOME', value: '/tmp' },
          { name: 'STEMEDB_API_KEY', valueFrom: { secretKeyRef: { name: SECRET.name, key: SECRET.rootApiKey } } },
        ],
        mounts: [{ volume: 'rclone-config', path: '/config/rclone' }],
      },
      volumes: [{ name: 'rclone-config', secret: { secretName: backup.rcloneConfigSecret } }],
    });
  }
}
