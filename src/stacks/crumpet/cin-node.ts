import { Construct } from 'constructs';
import type { CinLanguageConfig, PlatformConfig } from './model/index.ts';
import {
  AppLabels,
  DisruptionBudget,
  ImageReference,
  StatefulService,
  type MeshCertificates,
  type MountedCertificate,
  type Workload,
} from '../../lib/index.ts';
import { service } from '../../lib/_workload-parts.ts';
import { HEALTH_PATH, METRICS_ADDRESS_ENV, PORTS } from './ports.ts';
import { LOG_VOLUME, TelemetrySidecars } from './telemetry-sidecars.ts';

/** Props of {@link CinNode}. */
export interface CinNodeProps {
  readonly config: PlatformConfig;
  /** Standard labels of the installation; name and component are set here. */
  readonly labels: AppLabels;
  /** The mesh, where the environment turns mTLS on: gRPC then answers only clients with a certificate of its CA. @default - none: gRPC serves plaintext */
  readonly mesh?: MeshCertificates;
}

/** One language: its instances, and the Service that spreads requests over them. */
export interface CinLanguage extends Workload {
  readonly code: string;
  readonly instances: readonly StatefulService[];
}

/** The pod label naming a CIN pod's language; each language's Service selects by it. */
export const LANGUAGE_LABEL = 'crumpet.dev/language';
const INSTANCE_LABEL = 'crumpet.dev/cin-instance';
const INDEX_DIR = '/var/lib/cin/index';
const LOG_DIR = '/var/log/cin';

/**
 * CIN nodes, scaled horizontally by language (spec sections 2 and 12). Every instance is a
 * pod/PVC pair run by its own single-replica StatefulSet, as the Cosmos Operator runs its pod/PVC
 * pairs: a StatefulSet has one pod template, so an instance could not otherwise get another
 * image or be stopped for data repair alone. Per language: a Service over its ready instances
 * and a PodDisruptionBudget. Per instance: its index volume, and a LoadBalancer for libp2p QUIC
 * open to the known peers only.
 */
export class CinNode extends Construct {
  /** Every CIN pod of the installation. */
  public readonly all: Workload;
  public readonly languages: readonly CinLanguage[];

  public constructor(scope: Construct, id: string, props: CinNodeProps) {
    super(scope, id);
    const { config } = props;
    const cin = config.components.cinNode;
    const base = props.labels.withComponent({ name: 'cin-node', component: 'indexer', version: cin.image.tag });
    this.all = { name: 'cin-node', labels: base, home: this };
    const telemetry = new TelemetrySidecars(this, 'Telemetry', { component: 'cin-node', labels: base, config, logDir: LOG_DIR });

    this.languages = cin.languages.map((lang) => {
      const langLabels = base.withSelector({ [LANGUAGE_LABEL]: lang.code });
      const scope = new Construct(this, lang.code);
      const name = `cin-node-${lang.code}`;
      // With a mesh, gRPC answers only clients with a certificate of its CA.
      const grpcTls = props.mesh?.server(scope, { name: `${name}-grpc-tls`, labels: langLabels, service: name, volume: 'grpc-tls', dir: '/etc/cin/grpc-tls' });
      const instances = Array.from({ length: lang.replicas }, (_, n) => this.instance(scope, props, lang, n, langLabels, telemetry, grpcTls));
      service(scope, name, langLabels, [PORTS.cinHttp, PORTS.cinGrpc].map((p) => ({ ...p, targetPort: p.port })));
      if (config.features.podDisruptionBudget) {
        new DisruptionBudget(scope, 'Budget', { target: { name, labels: langLabels } });
      }
      return { code: lang.code, name, labels: langLabels, instances, home: scope };
    });
  }

  private instance(
    scope: Construct,
    props: CinNodeProps,
    lang: CinLanguageConfig,
    n: number,
    langLabels: AppLabels,
    telemetry: TelemetrySidecars,
    grpcTls: MountedCertificate | undefined,
  ): StatefulService {
    const { config } = props;
    const cin = config.components.cinNode;
    const override = cin.instanceOverrides.find((o) => o.language === lang.code && o.instance === n);
    const image = override?.image ?? cin.image;
    const name = `cin-node-${lang.code}-${n}`;
    const labels = langLabels.withSelector({ [INSTANCE_LABEL]: name }, image.tag);
    const workload = new StatefulService(scope, `Instance${n}`, {
      name,
      labels,
      replicas: override?.excluded ? 0 : 1,
      container: {
        image: ImageReference.of(image),
        ports: [PORTS.cinHttp, PORTS.cinGrpc, PORTS.cinP2p, PORTS.metrics],
        resources: cin.resources,
        health: { path: HEALTH_PATH, port: PORTS.cinHttp.name },
        env: [
          { name: 'CIN_LANGUAGE', value: lang.code },
          { name: 'CIN_INDEX_DIR', value: INDEX_DIR },
          { name: 'CIN_LOG_FILE', value: `${LOG_DIR}/cin.log` },
          { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: `http://127.0.0.1:${PORTS.otlp.port}` },
          { name: 'OTEL_SERVICE_NAME', value: 'cin-node' },
          { name: METRICS_ADDRESS_ENV, value: `:${PORTS.metrics.port}` },
          ...(grpcTls
            ? [
                { name: 'CIN_GRPC_TLS_CERT_FILE', value: grpcTls.certFile },
                { name: 'CIN_GRPC_TLS_KEY_FILE', value: grpcTls.keyFile },
                { name: 'CIN_GRPC_TLS_CLIENT_CA_FILE', value: grpcTls.caFile },
              ]
            : []),
        ],
        mounts: [
          { volume: LOG_VOLUME, path: LOG_DIR, readOnly: false },
          ...(grpcTls ? [grpcTls.mount] : []),
        ],
      },
      sidecars: telemetry.containers,
      volumes: [
        ...telemetry.volumes,
        ...(grpcTls ? [grpcTls.volume] : []),
      ],
      podAnnotations: { 'checksum/telemetry-config': telemetry.checksum },
      // Each instance is a set of one: spread the language's instances, so that losing a node or
      // a zone leaves the language served. Languages do not spread together: a node holding every
      // instance of one language would still balance against the others.
      spreadSelector: langLabels.selector,
      volumeClaims: [{ name: 'index', size: lang.storage, storageClassName: config.storage.storageClassName, mountPath: INDEX_DIR }],
    });
    service(workload, `${name}-p2p`, labels, [{ ...PORTS.cinP2p, targetPort: PORTS.cinP2p.port }], {
      id: 'P2pService',
      type: 'LoadBalancer',
      loadBalancerSourceRanges: config.network.peerCidrs,
    });
    return workload;
  }
}
