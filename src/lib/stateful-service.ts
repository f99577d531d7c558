import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { AppLabels } from './labels.ts';
import { checkContainer, hardenedPodProps, hardenPodObject, finalJson, type ContainerSpec, type PodSpec } from './_pod-template.ts';
import { serviceAccount, service, type Workload } from './_workload-parts.ts';

/** A per-pod volume created from the StatefulSet's volumeClaimTemplates. */
export interface VolumeClaim {
  /** Claim template name; the PVC of pod `<set>-<n>` is `<name>-<set>-<n>`. */
  readonly name: string;
  /** Requested size, e.g. `50Gi`. */
  readonly size: string;
  readonly storageClassName: string;
  /** Where the main container mounts it (read-write). */
  readonly mountPath: string;
}

/** Props of {@link StatefulService}. */
export interface StatefulServiceProps {
  /** Name of the StatefulSet, its headless Service and its ServiceAccount. */
  readonly name: string;
  readonly labels: AppLabels;
  /** @default 1 */
  readonly replicas?: number;
  /** The main container (named after the workload). */
  readonly container: Omit<ContainerSpec, 'name'>;
  /** @default - none */
  readonly sidecars?: readonly ContainerSpec[];
  readonly volumeClaims: readonly VolumeClaim[];
  /** @default - none */
  readonly volumes?: readonly IVolume[];
  /** @default - none */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /** @default false */
  readonly automountServiceAccountToken?: boolean;
  /**
   * Labels of the pods this set's pods spread with across zones and nodes: its siblings, when
   * several single-replica sets serve together.
   * @default - the set's own selector labels
   */
  readonly spreadSelector?: Readonly<Record<string, string>>;
  /**
   * `OrderedReady` starts pod n+1 only once pod n is Ready and stops them in reverse, for
   * software whose members must join one at a time (a single writer, a gossip cluster).
   * @default 'Parallel'
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#pod-management-policies
   */
  readonly podManagementPolicy?: 'OrderedReady' | 'Parallel';
  /**
   * `OnDelete` replaces a pod only when an operator deletes it; `RollingUpdate` replaces them one
   * at a time, highest ordinal first, each once its successor is Ready.
   * @default 'RollingUpdate'
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#update-strategies
   */
  readonly updateStrategy?: 'RollingUpdate' | 'OnDelete';
  /** Seconds between the stop request and SIGKILL. @default 30 (Kubernetes' own) */
  readonly terminationGracePeriodSeconds?: number;
}

/**
 * A hardened stateful workload on cdk8s-plus: a StatefulSet with per-pod volumes from
 * volumeClaimTemplates (kept when the set is scaled down or deleted, so data survives repairs;
 * both are escape hatches, kplus has no prop for them), its headless Service for stable pod DNS,
 * and its own ServiceAccount. Pods meet the Pod Security Standard `restricted`; the volumes are
 * group-writable through the pod's fsGroup, changed only when their root does not match.
 */
export class StatefulService extends Construct implements Workload {
  /** Its NetworkPolicy and the like are made in this construct's chart. */
  public readonly home: Construct = this;
  public readonly name: string;
  public readonly labels: AppLabels;
  public readonly replicas: number;
  public readonly volumeClaims: readonly VolumeClaim[];
  public readonly podManagementPolicy: 'OrderedReady' | 'Parallel';
  public readonly updateStrategy: 'RollingUpdate' | 'OnDelete';
  public readonly statefulSet: kplus.StatefulSet;
  public readonly service: kplus.Service;

  public constructor(scope: Construct, id: string, props: StatefulServiceProps) {
    super(scope, id);
    this.name = props.name;
    this.labels = props.labels;
    this.replicas = props.replicas ?? 1;
    this.volumeClaims = props.volumeClaims;
    this.podManagementPolicy = props.podManagementPolicy ?? 'Parallel';
    this.updateStrategy = props.updateStrategy ?? 'RollingUpdate';
    const where = this.node.path;
    if (!Number.isInteger(this.replicas) || this.replicas < 0) {
      throw new Error(`[${where}] replicas must be an integer >= 0, got ${this.replicas}`);
    }
    const automount = props.automountServiceAccountToken ?? false;
    const main: ContainerSpec = {
      name: props.name,
      ...props.container,
      mounts: [...(props.container.mounts ?? []), ...this.volumeClaims.map((v) => ({ volume: v.name, path: v.mountPath, readOnly: false }))],
    };
    const containers = [main, ...(props.sidecars ?? [])];
    containers.forEach((c) => checkContainer(`${where}/${c.name}`, c));

    const account = serviceAccount(this, this.name, this.labels, automount);
    this.service = service(
      this,
      this.name,
      this.labels,
      (main.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP').map((p) => ({ ...p, targetPort: p.port })),
      { headless: true },
    );
    const pod: PodSpec = {
      labels: this.labels,
      serviceAccount: account,
      automountServiceAccountToken: automount,
      containers,
      claimTemplates: this.volumeClaims.map((v) => v.name),
      ...(props.volumes ? { volumes: props.volumes } : {}),
      ...(props.podAnnotations ? { annotations: props.podAnnotations } : {}),
      ...(props.spreadSelector ? { spreadSelector: props.spreadSelector } : {}),
      ...(props.terminationGracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds: props.terminationGracePeriodSeconds } : {}),
    };
    this.statefulSet = new kplus.StatefulSet(this, 'StatefulSet', {
      ...hardenedPodProps(this, pod),
      metadata: { name: this.name, labels: { ...this.labels.all } },
      replicas: this.replicas,
      service: this.service,
      podManagementPolicy: this.podManagementPolicy === 'Parallel' ? kplus.PodManagementPolicy.PARALLEL : kplus.PodManagementPolicy.ORDERED_READY,
      strategy: this.updateStrategy === 'RollingUpdate' ? kplus.StatefulSetUpdateStrategy.rollingUpdate() : kplus.StatefulSetUpdateStrategy.onDelete(),
    });
    this.statefulSet.select(kplus.LabelSelector.of({ labels: { ...this.labels.selector } }));
    // kplus makes the set's Service select its pods by their construct address too: by labels alone here.
    finalJson(ApiObject.of(this.service), (json) => JsonPatch.apply(json, JsonPatch.remove(`/spec/selector/${kplus.Pod.ADDRESS_LABEL.replace('/', '~1')}`)));
    hardenPodObject(this.statefulSet, '/spec/template', pod);
    finalJson(ApiObject.of(this.statefulSet), (json) => JsonPatch.apply(
      json,
      JsonPatch.add('/spec/persistentVolumeClaimRetentionPolicy', { whenDeleted: 'Retain', whenScaled: 'Retain' }),
      JsonPatch.add(
        '/spec/volumeClaimTemplates',
        this.volumeClaims.map((v) => ({
          metadata: { name: v.name, labels: { ...this.labels.all } },
          spec: { accessModes: ['ReadWriteOnce'], storageClassName: v.storageClassName, resources: { requests: { storage: v.size } } },
        })),
      ),
    ));
  }

  /** The PersistentVolumeClaim the claim template `claim` makes for pod `<set>-<ordinal>`. */
  public claimName(claim: VolumeClaim, ordinal: number): string {
    return `${claim.name}-${this.name}-${ordinal}`;
  }
}
