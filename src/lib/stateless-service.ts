import { Construct } from 'constructs';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { IResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
import type { ApiObject } from 'cdk8s';
import type { AppLabels } from './labels.ts';
import type { ImageReference } from './values/index.ts';
import { typedApiObject } from './_api-object.ts';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from './_restricted.ts';

/** A named port the workload listens on and its Service exposes. */
export interface NamedPort {
  /** Port name (IANA_SVC_NAME: at most 15 characters), used by probes and Service targets. */
  readonly name: string;
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
}

/** Props of {@link StatelessService}. */
export interface StatelessServiceProps {
  /** Name of the Deployment, Service and ServiceAccount. */
  readonly name: string;
  /** Standard labels; `selector` selects the pods. */
  readonly labels: AppLabels;
  readonly image: ImageReference;
  /** Pod replicas. @default 1 */
  readonly replicas?: number;
  /** Ports the container listens on; all of them are exposed by the Service. */
  readonly ports: readonly NamedPort[];
  /** CPU and memory requests and limits of the main container. */
  readonly resources: IResourceRequirements;
  /** HTTP health endpoint used by the startup, readiness and liveness probes. */
  readonly health: {
    readonly path: string;
    /** Name of one of `ports`. */
    readonly port: string;
  };
  /**
   * Directories the process writes to; each gets an emptyDir, since the root filesystem is
   * read-only.
   * @default ['/tmp']
   */
  readonly writablePaths?: readonly string[];
  /**
   * Mount the ServiceAccount token: only for workloads that call the Kubernetes API.
   * @default false
   */
  readonly automountServiceAccountToken?: boolean;
}

const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * A hardened stateless HTTP workload: its own ServiceAccount, a Deployment that meets the Pod
 * Security Standard `restricted` with a read-only root filesystem and startup, readiness and
 * liveness probes, and a ClusterIP Service for its ports.
 */
export class StatelessService extends Construct {
  public readonly name: string;
  public readonly labels: AppLabels;
  public readonly replicas: number;
  public readonly ports: readonly NamedPort[];
  public readonly writablePaths: readonly string[];
  public readonly serviceAccount: ApiObject;
  public readonly deployment: ApiObject;
  public readonly service: ApiObject;

  public constructor(scope: Construct, id: string, props: StatelessServiceProps) {
    super(scope, id);
    this.name = props.name;
    this.labels = props.labels;
    this.replicas = props.replicas ?? 1;
    this.ports = props.ports;
    this.writablePaths = props.writablePaths ?? ['/tmp'];
    const automount = props.automountServiceAccountToken ?? false;

    const where = this.node.path;
    if (!Number.isInteger(this.replicas) || this.replicas < 0) {
      throw new Error(`[${where}] replicas must be an integer >= 0, got ${this.replicas}`);
    }
    if (this.ports.length === 0) throw new Error(`[${where}] ports must name at least one port`);
    for (const p of this.ports) {
      if (p.name.length > 15 || !PORT_NAME.test(p.name)) {
        throw new Error(`[${where}] ports: name must be a lower-case IANA service name of at most 15 characters, got "${p.name}"`);
      }
      if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) {
        throw new Error(`[${where}] ports.${p.name}: port must be 1-65535, got ${p.port}`);
      }
    }
    if (!this.ports.some((p) => p.name === props.health.port)) {
      throw new Error(`[${where}] health.port must name one of the ports (${this.ports.map((p) => p.name).join(', ')}), got "${props.health.port}"`);
    }

    const metadata = { name: this.name, labels: { ...this.labels.all } };
    this.serviceAccount = typedApiObject<IServiceAccount>(this, 'ServiceAccount', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata,
      automountServiceAccountToken: automount,
    });

    const probe = (extra: Partial<IProbe>): IProbe => ({
      httpGet: { path: props.health.path, port: props.health.port, scheme: 'HTTP' },
      timeoutSeconds: 2,
      ...extra,
    });
    const volumes = this.writablePaths.map((path) => ({ name: volumeName(path), path }));

    this.deployment = typedApiObject<IDeployment>(this, 'Deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata,
      spec: {
        replicas: this.replicas,
        revisionHistoryLimit: 5,
        selector: { matchLabels: { ...this.labels.selector } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
        template: {
          metadata: { labels: { ...this.labels.all } },
          spec: {
            serviceAccountName: this.name,
            automountServiceAccountToken: automount,
            enableServiceLinks: false,
            securityContext: restrictedPodSecurityContext(),
            containers: [
              {
                name: this.name,
                image: props.image.toString(),
                imagePullPolicy: 'IfNotPresent',
                ports: this.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol ?? 'TCP' })),
                resources: props.resources,
                securityContext: restrictedContainerSecurityContext(),
                // Startup allows two minutes before liveness takes over.
                startupProbe: probe({ periodSeconds: 5, failureThreshold: 24 }),
                readinessProbe: probe({ periodSeconds: 10, failureThreshold: 3 }),
                livenessProbe: probe({ periodSeconds: 20, failureThreshold: 3 }),
                volumeMounts: volumes.map((v) => ({ name: v.name, mountPath: v.path })),
              },
            ],
            volumes: volumes.map((v) => ({ name: v.name, emptyDir: { sizeLimit: '256Mi' } })),
          },
        },
      },
    });

    this.service = typedApiObject<IService>(this, 'Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata,
      spec: {
        type: 'ClusterIP',
        selector: { ...this.labels.selector },
        ports: this.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.name, protocol: p.protocol ?? 'TCP' })),
      },
    });
  }
}

/** `/var/cache/app` becomes `var-cache-app`. */
function volumeName(path: string): string {
  return path.replace(/^\/+|\/+$/g, '').replace(/[^a-z0-9]+/gi, '-').toLowerCase() || 'root';
}
