import { Construct } from 'constructs';
import {
  ExternalSecret,
  ExternalSecretSpecSecretStoreRefKind,
  ExternalSecretSpecTargetCreationPolicy,
  ExternalSecretSpecTargetDeletionPolicy,
} from '../../imports/externalsecrets-external-secrets.io.ts';

/** One key of the Secret and where the store keeps its value. */
export interface StoreSecretKey {
  /** The key in the Secret. */
  readonly key: string;
  /** The store's key holding the value. */
  readonly remoteKey: string;
  /** The property of the store's value, when that value is a map. @default - the whole value */
  readonly property?: string;
}

/** Props of {@link StoreSecret}. */
export interface StoreSecretProps {
  /** Name of the ExternalSecret and of the Secret it makes. */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The secret store to read from. */
  readonly store: string;
  /** @default 'ClusterSecretStore' */
  readonly storeKind?: 'ClusterSecretStore' | 'SecretStore';
  /** How often the operator reads the store again, picking up rotations. */
  readonly refreshInterval: string;
  readonly keys: readonly StoreSecretKey[];
  /** The Secret's type. @default - Opaque */
  readonly type?: string;
}

/**
 * A Secret that External Secrets Operator makes from a secret store, so that no secret value is
 * ever in the output. The ExternalSecret owns the Secret, and the Secret outlives it: deleting
 * the ExternalSecret never takes a credential from running pods.
 * @see https://external-secrets.io/latest/api/externalsecret/
 */
export class StoreSecret extends Construct {
  public constructor(scope: Construct, id: string, props: StoreSecretProps) {
    super(scope, id);
    new ExternalSecret(this, 'Resource', {
      metadata: { name: props.name, labels: { ...props.labels } },
      spec: {
        refreshInterval: props.refreshInterval,
        secretStoreRef: {
          kind: (props.storeKind ?? 'ClusterSecretStore') === 'ClusterSecretStore' ? ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE : ExternalSecretSpecSecretStoreRefKind.SECRET_STORE,
          name: props.store,
        },
        target: {
          name: props.name,
          creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER,
          deletionPolicy: ExternalSecretSpecTargetDeletionPolicy.RETAIN,
          ...(props.type ? { template: { type: props.type } } : {}),
        },
        data: props.keys.map((k) => ({ secretKey: k.key, remoteRef: { key: k.remoteKey, ...(k.property !== undefined ? { property: k.property } : {}) } })),
      },
    });
  }
}
