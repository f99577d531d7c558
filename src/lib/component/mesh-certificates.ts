import type { Construct } from 'constructs';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { AppLabels } from '../labels.ts';
import type { VolumeMount } from '../_pod-template.ts';

/** A certificate's Secret mounted into a pod: the volume, its mount, and the paths of its files. */
export interface MountedCertificate {
  readonly volume: IVolume;
  readonly mount: VolumeMount;
  readonly certFile: string;
  readonly keyFile: string;
  /** The CA that signs the other end's certificate, to check it. */
  readonly caFile: string;
}

/** What a component asks of the mesh for one port that serves TLS. */
export interface MeshServerCertificateProps {
  /** Name of the certificate and of its Secret. */
  readonly name: string;
  /** Labels of the workload that mounts it. */
  readonly labels: AppLabels;
  /** The Service its clients reach it by: the certificate's names derive from it and the namespace. */
  readonly service: string;
  /** Name of the pod volume. */
  readonly volume: string;
  /** Folder the volume is mounted at, read-only. */
  readonly dir: string;
}

/**
 * The certificates of the stack's mesh, where an environment turns mTLS on: the stack's own CA
 * issues them (the library knows none). A component whose port declares `meshTls` serves it with
 * a server certificate from here; {@link statelessComponent} mounts one per such port.
 */
export interface MeshCertificates {
  /** A server certificate for `props.service`, made in `scope`, and where the pod finds it. */
  server(scope: Construct, props: MeshServerCertificateProps): MountedCertificate;
}
