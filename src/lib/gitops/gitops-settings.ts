import type { JSONSchemaType } from 'ajv';

/**
 * How GitOps deploys one environment: the repository its output is committed to, the revision to
 * follow, and what the automated sync may do. Every stack's model holds it as `gitops`.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/auto_sync/
 */
export interface GitOpsSettings {
  /** The Git repository holding the committed `dist/`, as Argo CD clones it (`https://...` or `git@host:path`). */
  readonly repoURL: string;
  /**
   * Branch, tag or commit to follow.
   * @default 'HEAD' - the repository's default branch
   */
  readonly targetRevision?: string;
  /**
   * Whether the automated sync deletes what the folder no longer holds (and deleting the
   * Application deletes what it deployed).
   * @default true
   */
  readonly prune?: boolean;
  /**
   * Whether the automated sync reverts changes made in the cluster outside Git.
   * @default true
   */
  readonly selfHeal?: boolean;
}

/** The defaults of {@link GitOpsSettings}, which the schema fills in and the Application resolves. */
export const GITOPS_DEFAULTS = { targetRevision: 'HEAD', prune: true, selfHeal: true } as const satisfies Required<Omit<GitOpsSettings, 'repoURL'>>;

/** The `gitops` fragment of a stack's model schema: an environment states its repository, and at most what differs. */
export const gitOpsSettingsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['repoURL'],
  properties: {
    repoURL: {
      type: 'string',
      maxLength: 2048,
      pattern: '^(https://[A-Za-z0-9.-]+(:[0-9]+)?/[A-Za-z0-9._~/-]+|git@[A-Za-z0-9.-]+:[A-Za-z0-9._~/-]+)$',
      format: 'git-repository',
      description: 'a Git repository URL such as https://git.example.org/team/deploy.git or git@git.example.org:team/deploy.git',
    },
    targetRevision: {
      type: 'string',
      nullable: true,
      maxLength: 255,
      pattern: '^[A-Za-z0-9_][A-Za-z0-9._/-]*$',
      format: 'git-revision',
      default: GITOPS_DEFAULTS.targetRevision,
      description: 'a Git branch, tag or commit such as main, v1.2.0 or HEAD',
    },
    prune: { type: 'boolean', nullable: true, default: GITOPS_DEFAULTS.prune },
    selfHeal: { type: 'boolean', nullable: true, default: GITOPS_DEFAULTS.selfHeal },
  },
} as const satisfies JSONSchemaType<GitOpsSettings>;
