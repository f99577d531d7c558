import { Construct } from 'constructs';
import { SealedSecret } from '../../../imports/sealedsecrets-bitnami.com.ts';
import type { PlatformConfig } from './model/index.ts';
import { StoreSecret, type AppLabels } from '../../lib/index.ts';
import { BACKUP_CREDENTIALS_SECRET } from './backups.ts';
import { CRUMPET_COMPONENTS } from './model/index.ts';

/** Every application secret the workloads mount or read, with its keys: the backup jobs' and the components' declared ones. */
export const APP_SECRETS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  [
    [BACKUP_CREDENTIALS_SECRET, ['access-key-id', 'secret-access-key']] as const,
    ...CRUMPET_COMPONENTS.components.flatMap((c) => (c.secrets ?? []).map((secret) => [secret.name, secret.keys] as const)),
  ].sort(([a], [b]) => (a < b ? -1 : 1)),
);

/** Props of {@link AppSecrets}. */
export interface AppSecretsProps {
  readonly config: PlatformConfig;
  readonly labels: AppLabels;
}

/**
 * The application secrets as the environment's provider delivers them (spec section 6): an
 * ExternalSecret per secret reading `<prefix>/<secret>` from the ClusterSecretStore, or a
 * SealedSecret holding `kubeseal` ciphertext. No plain Secret, and no secret value, is ever
 * written to the output.
 */
export class AppSecrets extends Construct {
  public constructor(scope: Construct, id: string, props: AppSecretsProps) {
    super(scope, id);
    const { secrets } = props.config;
    const labels = props.labels.withComponent({ name: 'app-secrets', component: 'secrets' });
    // A sealed secret no workload reads (a misspelt name) would be dropped without a word.
    for (const name of Object.keys(secrets.sealed ?? {})) {
      if (!(name in APP_SECRETS)) throw new Error(`[${this.node.path}] secrets.sealed.${name}: names no application secret (${Object.keys(APP_SECRETS).join(', ')})`);
    }
    for (const [name, keys] of Object.entries(APP_SECRETS)) {
      const metadata = { name, labels: { ...labels.all } };
      if (secrets.provider === 'external-secrets') {
        new StoreSecret(this, name, {
          name,
          labels: metadata.labels,
          store: secrets.store,
          // Picks up rotations (quarterly for the ed25519 keys) within the hour.
          refreshInterval: '1h',
          keys: keys.map((key) => ({ key, remoteKey: `${secrets.remoteKeyPrefix}/${name}`, property: key })),
        });
      } else {
        const sealed = secrets.sealed?.[name] ?? {};
        const missing = keys.filter((k) => !sealed[k]);
        if (missing.length > 0) {
          throw new Error(`[${this.node.path}] secrets.sealed.${name}: needs kubeseal ciphertext for ${missing.join(', ')} (provider is sealed-secrets)`);
        }
        new SealedSecret(this, name, {
          metadata,
          spec: { encryptedData: { ...sealed }, template: { metadata } },
        });
      }
    }
  }
}
