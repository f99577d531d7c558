import { Construct } from 'constructs';
import { Certificate, CertificateSpecPrivateKeyAlgorithm } from '../../../imports/certificates-cert-manager.io.ts';
import { Issuer } from '../../../imports/issuers-cert-manager.io.ts';
import type { AppLabels } from '../../lib/index.ts';

/** Props of {@link MeshCa}. */
export interface MeshCaProps {
  /** Standard labels of the installation. */
  readonly labels: AppLabels;
}

/** The Issuer that signs the mesh's certificates (see {@link MeshCertificate}). */
export const MESH_CA_ISSUER = 'crumpet-mesh-ca';

/**
 * The namespace's private CA for mTLS between the Envoy edge and CIN gRPC (spec section 6, "mTLS
 * (optional) between Envoy and CIN gRPC for operator meshes"): a self-signed Issuer signs a CA
 * certificate once, and the CA Issuer `crumpet-mesh-ca` signs every leaf from its Secret.
 * cert-manager renews the CA a month before its year runs out; leaves carry `ca.crt`, the CA
 * that both ends trust.
 * @see https://cert-manager.io/docs/configuration/selfsigned/#bootstrapping-ca-issuers
 */
export class MeshCa extends Construct {
  public readonly issuerName = MESH_CA_ISSUER;

  public constructor(scope: Construct, id: string, props: MeshCaProps) {
    super(scope, id);
    const labels = props.labels.withComponent({ name: MESH_CA_ISSUER, component: 'mesh-tls' });
    const metadata = (name: string) => ({ name, labels: { ...labels.all } });
    const selfSigned = `${MESH_CA_ISSUER}-bootstrap`;
    new Issuer(this, 'Bootstrap', { metadata: metadata(selfSigned), spec: { selfSigned: {} } });
    new Certificate(this, 'Certificate', {
      metadata: metadata(MESH_CA_ISSUER),
      spec: {
        isCa: true,
        commonName: MESH_CA_ISSUER,
        secretName: MESH_CA_ISSUER,
        privateKey: { algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA, size: 256 },
        duration: '8760h',
        renewBefore: '720h',
        issuerRef: { group: 'cert-manager.io', kind: 'Issuer', name: selfSigned },
      },
    });
    new Issuer(this, 'Issuer', { metadata: metadata(MESH_CA_ISSUER), spec: { ca: { secretName: MESH_CA_ISSUER } } });
  }
}
