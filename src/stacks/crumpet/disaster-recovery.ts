import type { Runbook, SteadyState } from '../../observability/index.ts';
import type { Backups } from './backups.ts';
import { BACKUP_CREDENTIALS_SECRET, VOLUME_SNAPSHOTS_KEPT } from './backups.ts';
import type { CinLanguage } from './cin-node.ts';
import { LANGUAGE_QUERY_PARAMETER } from './edge-routes.ts';
import type { PlatformConfig } from './model/index.ts';
import { FRESHNESS_BOUND_SECONDS } from './observability/slos.ts';

/**
 * Disaster recovery of spec section 10: the runbook's name, the environment it restores (the
 * spec's DR drill is production's; staging is rebuilt from git alone), and the objectives.
 */
export const DISASTER_RECOVERY = {
  runbook: 'disaster-recovery',
  environment: 'prod',
  /** Recovery time objective: from the decision to restore to the platform serving again. */
  rto: '2h',
  /** Recovery point objective: the most recent data the platform may lose. */
  rpo: '1h',
} as const;

/** What the DR runbook is built from: the environment, its backups and what they restore. */
export interface DisasterRecoveryInputs {
  readonly config: PlatformConfig;
  readonly backups: Backups;
  /** The CIN languages, whose instances' index volumes are restored. */
  readonly languages: readonly CinLanguage[];
  /** The environment's manifests folder, e.g. `dist/prod`. */
  readonly distFolder: string;
  /** The application Secrets' sources (ExternalSecrets or SealedSecrets), by name. */
  readonly secrets: readonly string[];
  /** The Service of the edge, whose load balancer the DNS names point at. */
  readonly edgeService: string;
  /** The availability SLO's steady state, which proves the restored platform serves. */
  readonly availability: SteadyState;
}

const code = (s: string): string => `\`${s}\``;

/**
 * The DR runbook of one environment, from the backups the model declares: the order to restore
 * in, commands naming the environment's namespace, bucket, CronJobs and index volumes, and the
 * checks that prove the restore.
 */
export function disasterRecoveryRunbook(inputs: DisasterRecoveryInputs): Runbook {
  const { config, backups } = inputs;
  const b = config.backups;
  const ns = config.namespace;
  const s3 = `aws s3 --endpoint-url ${b.endpoint}`;
  const jobs = [backups.indexSnapshot, backups.volumeSnapshots, backups.configBackup];
  const claims = inputs.languages.flatMap((l) =>
    l.instances.flatMap((i) => i.volumeClaims.map((v) => ({ lang: l.code, instance: i.name, claim: i.claimName(v, 0), size: v.size, storageClass: v.storageClassName }))),
  );
  const secretSource = config.secrets.provider === 'external-secrets' ? 'externalsecret' : 'sealedsecret';
  const host = config.hostnames[config.hostnames.length - 1]!;
  return {
    name: DISASTER_RECOVERY.runbook,
    title: `Disaster recovery: ${config.name} (namespace ${ns})`,
    meaning:
      `The ${config.name} environment (namespace ${code(ns)}) is lost (its cluster, its region or its index volumes) and is restored from its backups. ` +
      `Objectives (spec section 10): RTO <= ${DISASTER_RECOVERY.rto}, RPO <= ${DISASTER_RECOVERY.rpo}. The backups, all in the bucket ${code(b.bucket)} at ${code(b.endpoint)} unless said otherwise: ` +
      `the CronJob ${code(backups.indexSnapshot.name)} (${code(backups.indexSnapshot.schedule)}) uploads each language's index snapshot to ${code(`s3://${b.bucket}/index-snapshots/`)}; ` +
      `${code(backups.volumeSnapshots.name)} (${code(backups.volumeSnapshots.schedule)}) takes a VolumeSnapshot (class ${code(b.volumeSnapshotClassName)}) of every index volume, keeping ${VOLUME_SNAPSHOTS_KEPT}; ` +
      `${code(backups.configBackup.name)} (${code(backups.configBackup.schedule)}) copies the ConfigMaps and the Secrets' sources${b.secretData ? ' and, age-encrypted, the application Secrets' : ''} to ${code(`s3://${b.bucket}/config/<UTC time>/`)}.`,
    impact:
      'Until the restore completes the platform is down or degraded for every user. The RPO holds because nothing the platform serves exists only in it: the index is rebuilt from the chain and IPFS ' +
      '(the snapshots only shorten the re-ingest), the manifests are in git, and the secret values are in the ' +
      `${config.secrets.provider === 'external-secrets' ? `secret store ${code(config.secrets.store)}` : 'sealed-secrets controller\'s key (its own backup)'}; what the backups add is speed, which the RTO needs.`,
    diagnosis: [
      'Declare the incident and note the time: the RTO runs from now.',
      `Find the git revision deployed last (\`git log -1 -- ${inputs.distFolder}\`) and check it out: the restore applies the same versions.`,
      `Check the newest backups: \`${s3} ls s3://${b.bucket}/config/ | tail -1\` and \`${s3} ls s3://${b.bucket}/index-snapshots/ --recursive | tail -${inputs.languages.length}\`.`,
      `If the cluster survived: \`kubectl get volumesnapshots --namespace ${ns} --sort-by=.metadata.creationTimestamp\` lists the index volumes' snapshots (ready ones only are usable).`,
    ],
    mitigation: [
      `Cluster (a new region if needed) from the infrastructure code, with the controllers the manifests need: cert-manager, ${config.secrets.provider}${config.secrets.provider === 'external-secrets' ? ` and its ClusterSecretStore ${code(config.secrets.store)}` : ' with its sealing key restored'}, the prometheus-operator CRDs, ${config.features.rollouts ? 'the Argo Rollouts controller (the stateless components are Rollouts), ' : ''}and the CSI snapshot controller with the VolumeSnapshotClass ${code(b.volumeSnapshotClassName)} and the StorageClass ${code(config.storage.storageClassName)}.`,
      `Namespace and issuer first: \`kubectl apply -f ${inputs.distFolder}/00-cluster.k8s.yaml\`.`,
      `Secrets: \`kubectl apply -f ${inputs.distFolder}/secrets.k8s.yaml\`, then \`kubectl wait --namespace ${ns} --for=condition=Ready ${secretSource} --all --timeout=10m\` (${inputs.secrets.map(code).join(', ')}; ${code(BACKUP_CREDENTIALS_SECRET)} gives the backup jobs and the restore their object store access).`,
      `Only if git or the secret store lacks something: the newest configuration backup, \`${s3} cp s3://${b.bucket}/config/<newest>/objects.yaml - | kubectl apply --namespace ${ns} -f -\`${b.secretData ? `, and the Secrets: \`${s3} cp s3://${b.bucket}/config/<newest>/secrets.yaml.age - | age -d -i <the age identity> | kubectl apply --namespace ${ns} -f -\`` : ''}.`,
      `Index volumes, before the CIN StatefulSets exist (a StatefulSet adopts a claim of its name): for each claim below, create it from its newest ready VolumeSnapshot with \`kubectl apply --namespace ${ns} -f -\` of a PersistentVolumeClaim with that name, size and StorageClass, access mode ReadWriteOnce and \`dataSource: {apiGroup: snapshot.storage.k8s.io, kind: VolumeSnapshot, name: <snapshot>}\`: ` +
        claims.map((c) => `${code(c.claim)} (${c.lang}, ${c.size}, ${c.storageClass})`).join(', ') +
        `. In a new region, where the snapshots are not, skip this step: the nodes start empty and load the newest snapshot of their language from ${code(`s3://${b.bucket}/index-snapshots/`)} (the ${code(backups.indexSnapshot.name)} upload), then re-ingest the chain from its checkpoint.`,
      `Everything else, in one pass: \`kubectl apply -f ${inputs.distFolder}\` (or the same revision's Helm charts from charts-out/ with \`values-${config.name}.yaml\`).`,
      `Bootstrap the IPFS peers and warm the caches for the last 7 days (spec section 10); watch \`ingest_lag_seconds\` fall.`,
      `Switch DNS (${config.hostnames.map(code).join(', ')}) to the edge: \`kubectl get service ${inputs.edgeService} --namespace ${ns} --output jsonpath='{.status.loadBalancer.ingress[0]}'\`.`,
    ],
    verification: [
      `Every pod is Ready: \`kubectl wait --namespace ${ns} --for=condition=Ready pod --all --timeout=15m\`; every index claim is Bound: \`kubectl get pvc --namespace ${ns} ${claims.map((c) => c.claim).join(' ')}\`.`,
      `The indexes are fresh: \`max by (lang) (snapshot_age_seconds) <= ${FRESHNESS_BOUND_SECONDS}\` returns ${inputs.languages.map((l) => l.code).join(', ')}.`,
      `Search answers in every language: \`curl -fsS 'https://${host}/v1/search?${LANGUAGE_QUERY_PARAMETER}=<code>&q=ipfs&size=20'\` for ${inputs.languages.map((l) => code(l.code)).join(', ')}.`,
      `The ${inputs.availability.slo} SLO holds again: \`${inputs.availability.condition}\` returns a result.`,
      `The backups run on the restored platform: ${jobs.map((j) => `\`kubectl create job --namespace ${ns} --from=cronjob/${j.name} ${j.name}-after-restore\``).join(', ')}, each completing (\`kubectl wait --namespace ${ns} --for=condition=complete job/<name> --timeout=1h\`), and new objects appear under ${code(`s3://${b.bucket}/`)}.`,
      `The time since the incident was declared is under ${DISASTER_RECOVERY.rto} (RTO); record it, and the age of the newest backup used, in the incident report.`,
    ],
    escalation: 'This is a P1: page the platform on-call and the incident commander at once; involve the CIN maintainers for the index restore and the cloud provider if the region is down.',
  };
}
