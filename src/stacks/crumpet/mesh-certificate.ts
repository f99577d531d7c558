import { Construct } from 'constructs';
import {
  Certificate,
  CertificateSpecPrivateKeyAlgorithm,
  CertificateSpecPrivateKeyRotationPolicy,
  CertificateSpecUsages,
} from '../../../imports/certificates-cert-manager.io.ts';
import type { AppLabels, MeshCertificates, MountedCertificate } from '../../lib/index.ts';
import { MESH_CA_ISSUER } from './mesh-ca.ts';

/** Props of {@link MeshCertificate}. */
export interface MeshCertificateProps {
  /** Name of the Certificate and of its Secret (`tls.crt`, `tls.key`, `ca.crt`). */
  readonly name: string;
  /** Labels of the workload that mounts it. */
  readonly labels: AppLabels;
  /** `server`: it answers TLS on these names; `client`: it proves its identity to servers. */
  readonly role: 'server' | 'client';
  /** DNS names in the certificate, the first also its identity. */
  readonly dnsNames: readonly string[];
}

/** The files of a mesh certificate's Secret. */
const FILES = { cert: 'tls.crt', key: 'tls.key', ca: 'ca.crt' } as const;

/**
 * A leaf certificate of the mesh CA ({@link MeshCa}) for one end of an mTLS connection: 90 days,
 * renewed a month before expiry with a fresh key (spec section 6 rotates TLS at least
 * semi-annually).
 */
export class MeshCertificate extends Construct {
  public readonly secretName: string;

  public constructor(scope: Construct, id: string, props: MeshCertificateProps) {
    super(scope, id);
    if (props.dnsNames.length === 0) throw new Error(`[${this.node.path}] dnsNames must name at least one host, got none`);
    this.secretName = props.name;
    new Certificate(this, 'Resource', {
      metadata: { name: props.name, labels: { ...props.labels.all } },
      spec: {
        secretName: props.name,
        dnsNames: [...props.dnsNames],
        usages: [
          CertificateSpecUsages.DIGITAL_SIGNATURE,
          CertificateSpecUsages.KEY_ENCIPHERMENT,
          props.role === 'server' ? CertificateSpecUsages.SERVER_AUTH : CertificateSpecUsages.CLIENT_AUTH,
        ],
        privateKey: { algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA, size: 256, rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS },
        duration: '2160h',
        renewBefore: '720h',
        issuerRef: { group: 'cert-manager.io', kind: 'Issuer', name: MESH_CA_ISSUER },
      },
    });
  }

  /** The Secret as the pod volume `volume`, mounted read-only at `dir`. */
  public mountAt(volume: string, dir: string): MountedCertificate {
    return {
      volume: { name: volume, secret: { secretName: this.secretName, defaultMode: 0o440 } },
      mount: { volume, path: dir },
      certFile: `${dir}/${FILES.cert}`,
      keyFile: `${dir}/${FILES.key}`,
      caFile: `${dir}/${FILES.ca}`,
    };
  }
}

/**
 * The mesh of the environment's namespace, for the components whose ports declare `meshTls`: a
 * server certificate of the mesh CA per such port, for the names the edge and the other pods
 * reach its Service by.
 */
export function meshCertificates(namespace: string): MeshCertificates {
  return {
    server: (scope, props) =>
      new MeshCertificate(scope, `MeshCertificate-${props.volume}`, {
        name: props.name,
        labels: props.labels,
        role: 'server',
        dnsNames: [`${props.service}.${namespace}.svc.cluster.local`, `${props.service}.${namespace}.svc`, props.service],
      }).mountAt(props.volume, props.dir),
  };
}
