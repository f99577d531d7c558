import { Construct } from 'constructs';
import { Application, type ApplicationSpecIgnoreDifferences } from '../../../imports/applications-argoproj.io.ts';
import { GITOPS_DEFAULTS, type GitOpsSettings } from './gitops-settings.ts';

/** A rendered object, as far as the fields controllers own depend on it. */
export interface OwnedFieldsObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
  readonly spec?: unknown;
}

/** Fields a controller writes on every object of a kind, which Git never holds. */
const CONTROLLER_OWNED: readonly { readonly group: string; readonly kind: string; readonly jsonPointers: readonly string[]; readonly why: string }[] = [
  { group: 'argoproj.io', kind: 'Rollout', jsonPointers: ['/status'], why: 'the Argo Rollouts controller records the canary steps there' },
];

const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.split('/')[0]! : '');

/**
 * What Argo CD must not compare in `objects` because a controller owns it: the `spec.replicas`
 * of each autoscaler's target, and the fields of {@link CONTROLLER_OWNED}. Sorted, one entry per
 * target or kind.
 */
export function controllerOwnedFields(objects: readonly OwnedFieldsObject[]): ApplicationSpecIgnoreDifferences[] {
  const scaled = objects
    .filter((o) => o.kind === 'HorizontalPodAutoscaler')
    .map((hpa) => {
      const target = (hpa.spec as { scaleTargetRef: { apiVersion?: string; kind: string; name: string } }).scaleTargetRef;
      return {
        group: groupOf(target.apiVersion ?? ''),
        kind: target.kind,
        name: target.name,
        ...(hpa.metadata?.namespace ? { namespace: hpa.metadata.namespace } : {}),
        jsonPointers: ['/spec/replicas'],
      };
    });
  const kinds = CONTROLLER_OWNED.filter((c) => objects.some((o) => o.kind === c.kind && groupOf(o.apiVersion) === c.group)).map((c) => ({
    group: c.group,
    kind: c.kind,
    jsonPointers: [...c.jsonPointers],
  }));
  const key = (d: ApplicationSpecIgnoreDifferences) => `${d.kind}/${d.name ?? ''}`;
  return [...scaled, ...kinds].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Props of {@link ArgoCdApplication}. */
export interface ArgoCdApplicationProps {
  /** The Application's name, unique in Argo CD's namespace, e.g. `web-prod`. */
  readonly name: string;
  /** Standard labels of the Application. */
  readonly labels: Readonly<Record<string, string>>;
  /** Repository, revision and sync switches, from the environment's model. */
  readonly settings: GitOpsSettings;
  /** Folder of the repository holding the environment's manifests, e.g. `dist/prod`. */
  readonly path: string;
  /** Namespace the folder's objects live in; the folder must create it (`CreateNamespace=false`). */
  readonly destinationNamespace: string;
  /**
   * Fields controllers own, which Argo CD neither compares nor reverts.
   * @default - none; see {@link controllerOwnedFields}
   */
  readonly ignoreDifferences?: readonly ApplicationSpecIgnoreDifferences[];
  /**
   * API server of the destination cluster.
   * @default 'https://kubernetes.default.svc' - the cluster Argo CD runs in
   */
  readonly destinationServer?: string;
  /**
   * Namespace Argo CD runs in, where Applications live.
   * @default 'argocd'
   */
  readonly argoCdNamespace?: string;
  /**
   * Argo CD project.
   * @default 'default'
   * @see https://argo-cd.readthedocs.io/en/stable/user-guide/projects/
   */
  readonly project?: string;
}

/**
 * An Argo CD Application deploying one committed folder of plain manifests, synced
 * automatically. The sync uses server-side apply (no `last-applied-configuration` annotation, so
 * large ConfigMaps fit, and fields the folder leaves out, such as an autoscaled `replicas`, stay
 * with their owner), never creates the namespace (the folder holds it, in the first sync wave),
 * prunes last, and applies `ignoreDifferences` during the sync too. With pruning on, the
 * resources finalizer makes deleting the Application delete what it deployed.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/
 */
export class ArgoCdApplication extends Construct {
  public readonly name: string;
  public readonly repoURL: string;
  public readonly targetRevision: string;
  public readonly path: string;
  public readonly destinationNamespace: string;
  public readonly destinationServer: string;
  public readonly prune: boolean;
  public readonly selfHeal: boolean;
  public readonly syncOptions: readonly string[];

  public constructor(scope: Construct, id: string, props: ArgoCdApplicationProps) {
    super(scope, id);
    this.name = props.name;
    this.repoURL = props.settings.repoURL;
    this.targetRevision = props.settings.targetRevision ?? GITOPS_DEFAULTS.targetRevision;
    this.path = props.path;
    this.destinationNamespace = props.destinationNamespace;
    this.destinationServer = props.destinationServer ?? 'https://kubernetes.default.svc';
    this.prune = props.settings.prune ?? GITOPS_DEFAULTS.prune;
    this.selfHeal = props.settings.selfHeal ?? GITOPS_DEFAULTS.selfHeal;
    const ignoreDifferences = props.ignoreDifferences ?? [];
    this.syncOptions = ['CreateNamespace=false', 'PruneLast=true', 'ServerSideApply=true', ...(ignoreDifferences.length > 0 ? ['RespectIgnoreDifferences=true'] : [])];
    if (/^\/|(^|\/)\.\.?(\/|$)/.test(this.path)) {
      throw new Error(`[${this.node.path}] path must be a folder relative to the repository root, got "${this.path}"`);
    }

    new Application(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: props.argoCdNamespace ?? 'argocd',
        labels: { ...props.labels },
        ...(this.prune ? { finalizers: ['resources-finalizer.argocd.argoproj.io'] } : {}),
      },
      spec: {
        project: props.project ?? 'default',
        source: { repoUrl: this.repoURL, targetRevision: this.targetRevision, path: this.path, directory: { recurse: false } },
        destination: { server: this.destinationServer, namespace: this.destinationNamespace },
        syncPolicy: {
          automated: { prune: this.prune, selfHeal: this.selfHeal },
          syncOptions: [...this.syncOptions],
          retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
        },
        ...(ignoreDifferences.length > 0 ? { ignoreDifferences: ignoreDifferences.map((d) => ({ ...d })) } : {}),
      },
    });
  }
}
