import { Construct } from 'constructs';
import { StoreSecret, type AppLabels } from '../../lib/index.ts';
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
    new StoreSecret(this, 'Resource', {
      name: SECRET.name,
      labels: props.labels.all,
      store: secrets.store,
      storeKind: secrets.storeKind,
      refreshInterval: secrets.refreshInterval,
      keys: [{ key: SECRET.rootApiKey, remoteKey: secrets.rootApiKeyRemoteKey }],
    });
  }
}
