import { defineComponent, ImageReference, ScheduledJob, valueSchemas } from '../../../lib/index.ts';
import { exportVolume } from '../export-volumes.ts';
import { SYNC_AWS_SECRET } from '../mirror-secrets.ts';
import { SYNC_RESOURCES } from '../model/defaults.ts';
import { imageReference } from '../model/schema.ts';
import type { MirrorConfig, SyncSettings } from '../model/types.ts';
import { SYNC_ROOT } from '../ports.ts';

/** The sync job's CronJob schedule: every `everyMinutes` minutes, on the minute. */
export function syncSchedule(config: MirrorConfig): string {
  return `*/${config.sync.everyMinutes} * * * *`;
}

/**
 * The sync job (seed section 4.2): the AWS CLI, pinned by digest, copies each export tree from
 * the object store into its volume every few minutes, deleting what the exporters dropped. Its
 * only destinations are the object store's ranges (and DNS); it never overlaps itself, and a run
 * stuck longer than the freshness bound is stopped.
 */
export default defineComponent<SyncSettings, MirrorConfig>({
  name: 'mirror-sync',
  role: 'sync',
  settings: {
    type: 'object',
    additionalProperties: false,
    required: ['image'],
    properties: {
      image: imageReference,
      resources: { ...valueSchemas.resources, default: SYNC_RESOURCES },
    },
  },
  ports: {},
  build: (ctx) => {
    const { model, settings } = ctx;
    const script = model.exports.map((t) => `aws s3 sync ${t.source} ${SYNC_ROOT}/${t.name} --delete --size-only --only-show-errors`).join(' && ');
    const secret = (name: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: SYNC_AWS_SECRET, key } } });
    const job = new ScheduledJob(ctx.scope, 'Job', {
      name: 'mirror-sync',
      labels: ctx.labels,
      schedule: syncSchedule(model),
      activeDeadlineSeconds: model.sync.maxLagMinutes * 60,
      backoffLimit: 1,
      container: {
        image: ImageReference.parse(settings.image),
        command: ['/bin/sh', '-c', script],
        resources: settings.resources,
        env: [
          secret('AWS_ACCESS_KEY_ID', 'AWS_ACCESS_KEY_ID'),
          secret('AWS_SECRET_ACCESS_KEY', 'AWS_SECRET_ACCESS_KEY'),
          { name: 'AWS_DEFAULT_REGION', value: model.sync.region },
          // The CLI keeps its cache under $HOME; the root filesystem is read-only.
          { name: 'HOME', value: '/tmp' },
        ],
        mounts: model.exports.map((t) => ({ volume: exportVolume(t).name, path: `${SYNC_ROOT}/${t.name}`, readOnly: false })),
      },
      volumes: model.exports.map(exportVolume),
    });
    return { workload: job, construct: job };
  },
  calls: [{ cidrs: 'upstreamCidrs', ports: [{ port: 443 }] }],
});
