import { ApiObject, Cron, Duration, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { IPolicyRule } from 'kubernetes-models/rbac.authorization.k8s.io/v1/PolicyRule';
import type { IRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import type { IRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { AppLabels } from './labels.ts';
import { typedApiObject } from './_api-object.ts';
import { checkContainer, finalJson, hardenedPodProps, hardenPodObject, type ContainerSpec, type PodSpec } from './_pod-template.ts';
import { serviceAccount, type Workload } from './_workload-parts.ts';
import { CronSchedule, ValueError } from './values/index.ts';

/** Props of {@link ScheduledJob}. */
export interface ScheduledJobProps {
  /** Name of the CronJob, its ServiceAccount and (with `rules`) its Role and RoleBinding. */
  readonly name: string;
  readonly labels: AppLabels;
  /**
   * The schedule as the CronJob controller reads it ({@link CronSchedule}: five fields or a macro
   * such as `@daily`), in the time zone `timeZone`.
   */
  readonly schedule: string;
  /** @default 'Etc/UTC' */
  readonly timeZone?: string;
  readonly container: Omit<ContainerSpec, 'name'>;
  /** @default - none */
  readonly volumes?: readonly IVolume[];
  /**
   * API permissions in the job's namespace. With rules the job gets a token; without, none.
   * @default - no API access
   */
  readonly rules?: readonly IPolicyRule[];
  /** @default 3 */
  readonly backoffLimit?: number;
  /** Seconds a run may take before it is stopped. @default 3600 */
  readonly activeDeadlineSeconds?: number;
  /** Annotations of the CronJob (a runbook link, say). @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * A schedule as written: cdk8s's Cron builds five-field expressions only, while the CronJob
 * controller also takes the macros (`@daily`) that {@link CronSchedule} accepts.
 */
class CronExpression extends Cron {
  public override readonly expressionString: string;

  public constructor(text: string) {
    super();
    this.expressionString = text;
  }
}

/**
 * A hardened cdk8s-plus CronJob that never overlaps itself (`concurrencyPolicy: Forbid`), keeps a short
 * history, and runs under its own ServiceAccount with exactly the API rights it needs.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/
 */
export class ScheduledJob extends Construct implements Workload {
  /** Its NetworkPolicy and the like are made in this construct's chart. */
  public readonly home: Construct = this;
  public readonly name: string;
  public readonly labels: AppLabels;
  public readonly schedule: string;

  public constructor(scope: Construct, id: string, props: ScheduledJobProps) {
    super(scope, id);
    this.name = props.name;
    this.labels = props.labels;
    this.schedule = props.schedule;
    try {
      CronSchedule.parse(this.schedule);
    } catch (err) {
      if (err instanceof ValueError) throw new Error(`[${this.node.path}] schedule: ${err.message}`);
      throw err;
    }
    const container: ContainerSpec = { name: this.name, ...props.container };
    checkContainer(this.node.path, container);
    const apiAccess = (props.rules ?? []).length > 0;
    const metadata = { name: this.name, labels: { ...this.labels.all } };

    const account = serviceAccount(this, this.name, this.labels, apiAccess);
    if (apiAccess) {
      typedApiObject<IRole>(this, 'Role', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata,
        rules: props.rules!.map((r) => ({ ...r })),
      });
      typedApiObject<IRoleBinding>(this, 'RoleBinding', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata,
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.name },
        subjects: [{ kind: 'ServiceAccount', name: this.name }],
      });
    }
    const pod: PodSpec = {
      labels: this.labels,
      serviceAccount: account,
      automountServiceAccountToken: apiAccess,
      containers: [container],
      ...(props.volumes ? { volumes: props.volumes } : {}),
    };
    const cronJob = new kplus.CronJob(this, 'CronJob', {
      ...hardenedPodProps(this, pod),
      metadata: { ...metadata, ...(props.annotations ? { annotations: { ...props.annotations } } : {}) },
      schedule: new CronExpression(this.schedule),
      timeZone: props.timeZone ?? 'Etc/UTC',
      concurrencyPolicy: kplus.ConcurrencyPolicy.FORBID,
      startingDeadline: Duration.minutes(10),
      successfulJobsRetained: 3,
      failedJobsRetained: 3,
      backoffLimit: props.backoffLimit ?? 3,
      activeDeadline: Duration.seconds(props.activeDeadlineSeconds ?? 3600),
    });
    hardenPodObject(cronJob, '/spec/jobTemplate/spec/template', pod);
    // Its Jobs carry the standard labels too (kplus has no prop for the job template's metadata).
    finalJson(ApiObject.of(cronJob), (json) => JsonPatch.apply(json, JsonPatch.add('/spec/jobTemplate/metadata', { labels: { ...this.labels.all } })));
  }
}
