import { Construct } from 'constructs';
import { ClusterIssuer } from '../../../imports/clusterissuers-cert-manager.io.ts';
import type { PlatformConfig } from './model/index.ts';
import type { AppLabels } from '../../lib/index.ts';

/** Props of {@link AcmeIssuer}. */
export interface AcmeIssuerProps {
  readonly config: PlatformConfig;
  readonly labels: AppLabels;
}

/**
 * Secret (in cert-manager's namespace) with the DNS provider token for DNS-01 challenges. DNS-01,
 * because the edge is a plain Envoy behind a LoadBalancer, with no Ingress for HTTP-01 solvers.
 */
export const ACME_DNS_TOKEN_SECRET = { name: 'acme-dns01-cloudflare', key: 'api-token' } as const;

/** The environment's Let's Encrypt (ACME) ClusterIssuer (spec section 6). */
export class AcmeIssuer extends Construct {
  public constructor(scope: Construct, id: string, props: AcmeIssuerProps) {
    super(scope, id);
    const { tls } = props.config;
    const labels = props.labels.withComponent({ name: 'acme-issuer', component: 'tls' });
    new ClusterIssuer(this, 'Issuer', {
      metadata: { name: tls.issuerName, labels: { ...labels.all } },
      spec: {
        acme: {
          server: tls.acmeServer,
          email: tls.acmeEmail,
          privateKeySecretRef: { name: `${tls.issuerName}-account-key` },
          solvers: [{ dns01: { cloudflare: { apiTokenSecretRef: { ...ACME_DNS_TOKEN_SECRET } } } }],
        },
      },
    });
  }
}
