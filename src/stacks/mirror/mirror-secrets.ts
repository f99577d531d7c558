import { Construct } from 'constructs';
import { StoreSecret, type AppLabels } from '../../lib/index.ts';
import { htpasswdKey } from './gateway-config.ts';
import type { MirrorConfig } from './model/index.ts';

/** The gateway's certificate (a wildcard, or one naming every domain): the seed's `mirror-gateway-tls`. */
export const GATEWAY_TLS_SECRET = 'mirror-gateway-tls';
/** One htpasswd file per domain: the seed's `mirror-gateway-htpasswd`. */
export const GATEWAY_HTPASSWD_SECRET = 'mirror-gateway-htpasswd';
/** The sync job's object store credentials: the seed's `mirror-sync-aws`. */
export const SYNC_AWS_SECRET = 'mirror-sync-aws';

/** A Secret the mirror reads, its keys and its type. */
export interface MirrorSecret {
  readonly name: string;
  readonly keys: readonly string[];
  /** @default 'Opaque' */
  readonly type?: 'kubernetes.io/tls';
}

/** Every Secret the mirror's pods read in an environment: the htpasswd keys follow its domains. */
export function mirrorSecrets(config: MirrorConfig): MirrorSecret[] {
  return [
    { name: GATEWAY_TLS_SECRET, keys: ['tls.crt', 'tls.key'], type: 'kubernetes.io/tls' },
    { name: GATEWAY_HTPASSWD_SECRET, keys: config.domains.map(htpasswdKey) },
    { name: SYNC_AWS_SECRET, keys: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] },
  ];
}

/** Props of {@link MirrorSecrets}. */
export interface MirrorSecretsProps {
  readonly config: MirrorConfig;
  readonly labels: AppLabels;
}

/**
 * The mirror's Secrets as ExternalSecrets reading `<prefix>/<secret>` from the ClusterSecretStore
 * (the seed creates them with kubectl; here the secrets provider materializes them, so no secret
 * value is ever in the output). The TLS Secret keeps its `kubernetes.io/tls` type.
 */
export class MirrorSecrets extends Construct {
  public constructor(scope: Construct, id: string, props: MirrorSecretsProps) {
    super(scope, id);
    const { secrets } = props.config;
    const labels = props.labels.withComponent({ name: 'mirror-secrets', component: 'secrets' });
    for (const s of mirrorSecrets(props.config)) {
      new StoreSecret(this, s.name, {
        name: s.name,
        labels: labels.all,
        store: secrets.store,
        // Picks up the quarterly rotations (section 7) within the hour.
        refreshInterval: '1h',
        keys: s.keys.map((key) => ({ key, remoteKey: `${secrets.remoteKeyPrefix}/${s.name}`, property: key })),
        ...(s.type ? { type: s.type } : {}),
      });
    }
  }
}
