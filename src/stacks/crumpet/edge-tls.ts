import { Construct } from 'constructs';
import { Certificate, CertificateSpecPrivateKeyAlgorithm, CertificateSpecPrivateKeyRotationPolicy } from '../../../imports/certificates-cert-manager.io.ts';
import type { PlatformConfig } from './model/index.ts';
import type { AppLabels } from '../../lib/index.ts';

/** Props of {@link EdgeCertificate}. */
export interface EdgeCertificateProps {
  readonly config: PlatformConfig;
  readonly labels: AppLabels;
}

/** Secret holding the edge's certificate and key; Envoy mounts it. */
export const EDGE_TLS_SECRET = 'edge-tls';

/**
 * The edge's certificate for every public host name, issued by the environment's ACME
 * ClusterIssuer and renewed by cert-manager a month before it expires, with a fresh key each time.
 */
export class EdgeCertificate extends Construct {
  public readonly secretName = EDGE_TLS_SECRET;

  public constructor(scope: Construct, id: string, props: EdgeCertificateProps) {
    super(scope, id);
    const { config } = props;
    const labels = props.labels.withComponent({ name: 'envoy-edge', component: 'edge', version: config.components.envoyEdge.image.tag });
    new Certificate(this, 'Certificate', {
      metadata: { name: EDGE_TLS_SECRET, labels: { ...labels.all } },
      spec: {
        secretName: EDGE_TLS_SECRET,
        dnsNames: [...config.hostnames],
        issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: config.tls.issuerName },
        privateKey: { algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA, size: 256, rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS },
        duration: '2160h',
        renewBefore: '720h',
      },
    });
  }
}
