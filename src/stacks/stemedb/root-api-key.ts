import { Construct } from 'constructs';
import { ExternalSecret, ExternalSecretSpecSecretStoreRefKind, ExternalSecretSpecTargetCreationPolicy, ExternalSecretSpecTargetDeletionPolicy } from '../../../imports/externalsecrets-external-secrets.io.ts';
import type { AppLabels } from '../../lib/index.ts';
import type { SecretsConfig } from './model/index.ts';
import { SECRET } from './names.ts';

/** Props of {@link RootApiKey}. */
export interface RootApiKeyProps {
  readonly labels: AppLabels;
  readonly secrets: SecretsConfig;
}

/**
 * The Secret holding StemeDB's root API key (seeded into the store on first boot), pulled from
 * the secret store by External Secrets Operator. The Secret outlives the ExternalSecret so a
 * deleted ExternalSecret never takes the key from running members.
 * @see https://external-secrets.io/latest/api/externalsecret/
 */
export class RootApiKey extends Construct {
  public constructor(scope: Construct, id: string, props: RootApiKeyProps) {
    super(scope, id);
    const { secrets } = props;
    new ExternalSecret(this, 'Resource', {
      metadata: { name: SECRET.name, labels: { ...props.labels.all } },
      spec: {
        refreshInterval: secrets.refreshInterval,
        secretStoreRef: {
          kind: secrets.storeKind === 'ClusterSecretStore' ? ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE : ExternalSecretSpecSecretStoreRefKind.SECRET_STORE,
          name: secrets.store,
        },
        target: { name: SECRET.name, creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER, deletionPolicy: ExternalSecretSpecTargetDeletionPolicy.RETAIN },
        data: [{ secretKey: SECRET.rootApiKey, remoteRef: { key: secrets.rootApiKeyRemoteKey } }],
      },
    });
  }
}
