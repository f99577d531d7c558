import type { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { IPersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import type { AppLabels } from './labels.ts';
import { typedApiObject } from './_api-object.ts';

/** Props of {@link PersistentClaim}. */
export interface PersistentClaimProps {
  /** Name of the PersistentVolumeClaim, which pods name in `persistentVolumeClaim.claimName`. */
  readonly name: string;
  readonly labels: AppLabels;
  /** Requested capacity, a Kubernetes byte quantity such as `20Gi`. */
  readonly size: string;
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
  /**
   * How pods may mount it. `ReadWriteMany` for a volume that pods of several workloads (and
   * nodes) write and read at once.
   * @default 'ReadWriteOnce'
   * @see https://kubernetes.io/docs/concepts/storage/persistent-volumes/#access-modes
   */
  readonly accessMode?: 'ReadWriteOnce' | 'ReadWriteOncePod' | 'ReadWriteMany' | 'ReadOnlyMany';
}

/**
 * A PersistentVolumeClaim standing on its own (not a StatefulSet's claim template): a volume that
 * outlives the pods mounting it, shared by the workloads that name it.
 * @see https://kubernetes.io/docs/concepts/storage/persistent-volumes/#persistentvolumeclaims
 */
export class PersistentClaim extends Construct {
  public readonly name: string;
  public readonly size: string;
  public readonly claim: ApiObject;

  public constructor(scope: Construct, id: string, props: PersistentClaimProps) {
    super(scope, id);
    this.name = props.name;
    this.size = props.size;
    this.claim = typedApiObject<IPersistentVolumeClaim>(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: this.name, labels: { ...props.labels.all } },
      spec: {
        accessModes: [props.accessMode ?? 'ReadWriteOnce'],
        ...(props.storageClassName ? { storageClassName: props.storageClassName } : {}),
        resources: { requests: { storage: this.size } },
      },
    });
  }
}
