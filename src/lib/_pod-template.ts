import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { ILifecycleHandler } from 'kubernetes-models/v1/LifecycleHandler';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { IResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { AppLabels } from './labels.ts';
import type { ImageReference } from './values/index.ts';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from './_restricted.ts';

/** A named port a container listens on. */
export interface NamedPort {
  /** Port name (IANA_SVC_NAME: at most 15 characters), used by probes and Service targets. */
  readonly name: string;
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
}

/** A volume mounted into a container. */
export interface VolumeMount {
  /** Name of a volume of the pod. */
  readonly volume: string;
  readonly path: string;
  /** @default true */
  readonly readOnly?: boolean;
}

/** One container of a hardened pod. */
export interface ContainerSpec {
  readonly name: string;
  readonly image: ImageReference;
  /** @default - the image's entrypoint arguments */
  readonly args?: readonly string[];
  /** @default - none */
  readonly ports?: readonly NamedPort[];
  readonly resources: IResourceRequirements;
  /**
   * HTTP endpoint of the startup, readiness and liveness probes.
   * @default - no probes (sidecars whose health the main container's probes cover)
   */
  readonly health?: { readonly path: string; readonly port: string };
  /** @default - none */
  readonly env?: readonly IEnvVar[];
  /**
   * Directories the process writes to; each gets an emptyDir, since the root filesystem is
   * read-only.
   * @default ['/tmp']
   */
  readonly writablePaths?: readonly string[];
  /** @default - none */
  readonly mounts?: readonly VolumeMount[];
  /**
   * What the kubelet runs before it stops the container (a drain that waits for requests in flight).
   * @default - none
   * @see https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/
   */
  readonly preStop?: ILifecycleHandler;
}

/** Everything that makes up a hardened pod template. */
export interface PodTemplateSpec {
  readonly labels: AppLabels;
  readonly serviceAccountName: string;
  readonly automountServiceAccountToken: boolean;
  /** The main container first, then its sidecars. */
  readonly containers: readonly ContainerSpec[];
  /** Volumes referenced by `mounts` (config, secrets, shared emptyDirs). */
  readonly volumes?: readonly IVolume[];
  /** Pod annotations, e.g. a config checksum that rolls the pods when the config changes. */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Seconds between the stop request and SIGKILL, preStop hooks included. @default - Kubernetes' 30 */
  readonly terminationGracePeriodSeconds?: number;
}

const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** `/var/cache/app` becomes `var-cache-app`. */
function volumeName(path: string): string {
  return path.replace(/^\/+|\/+$/g, '').replace(/[^a-z0-9]+/gi, '-').toLowerCase() || 'root';
}

/** Checks a container spec; throws naming `where` and the field. */
export function checkContainer(where: string, c: ContainerSpec): void {
  const ports = c.ports ?? [];
  for (const p of ports) {
    if (p.name.length > 15 || !PORT_NAME.test(p.name)) {
      throw new Error(`[${where}] ports: name must be a lower-case IANA service name of at most 15 characters, got "${p.name}"`);
    }
    if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) {
      throw new Error(`[${where}] ports.${p.name}: port must be 1-65535, got ${p.port}`);
    }
  }
  if (c.health && !ports.some((p) => p.name === c.health!.port)) {
    throw new Error(`[${where}] health.port must name one of the ports (${ports.map((p) => p.name).join(', ')}), got "${c.health.port}"`);
  }
}

function probe(health: NonNullable<ContainerSpec['health']>, extra: Partial<IProbe>): IProbe {
  return { httpGet: { path: health.path, port: health.port, scheme: 'HTTP' }, timeoutSeconds: 2, ...extra };
}

/**
 * A pod template that meets the Pod Security Standard `restricted` for every container, spreads
 * replicas across zones and nodes, and gives each writable path its own emptyDir.
 */
export function hardenedPodTemplate(spec: PodTemplateSpec): IPodTemplateSpec {
  const scratch: IVolume[] = [];
  const containers: IContainer[] = spec.containers.map((c, i) => {
    const writable = (c.writablePaths ?? ['/tmp']).map((path) => {
      const name = `${i === 0 ? '' : `${c.name}-`}${volumeName(path)}`.slice(0, 63);
      scratch.push({ name, emptyDir: { sizeLimit: '256Mi' } });
      return { name, mountPath: path };
    });
    const mounts = (c.mounts ?? []).map((m) => ({ name: m.volume, mountPath: m.path, readOnly: m.readOnly ?? true }));
    return {
      name: c.name,
      image: c.image.toString(),
      imagePullPolicy: 'IfNotPresent',
      ...(c.args ? { args: [...c.args] } : {}),
      ...(c.env ? { env: [...c.env] } : {}),
      ...(c.ports ? { ports: c.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol ?? 'TCP' })) } : {}),
      resources: c.resources,
      securityContext: restrictedContainerSecurityContext(),
      ...(c.health
        ? {
            // Startup allows two minutes before liveness takes over.
            startupProbe: probe(c.health, { periodSeconds: 5, failureThreshold: 24 }),
            readinessProbe: probe(c.health, { periodSeconds: 10, failureThreshold: 3 }),
            livenessProbe: probe(c.health, { periodSeconds: 20, failureThreshold: 3 }),
          }
        : {}),
      volumeMounts: [...writable, ...mounts],
      ...(c.preStop ? { lifecycle: { preStop: c.preStop } } : {}),
    };
  });
  const spread = (topologyKey: string) => ({
    maxSkew: 1,
    topologyKey,
    // Prefer spreading, but never leave a pod pending on a small cluster.
    whenUnsatisfiable: 'ScheduleAnyway' as const,
    labelSelector: { matchLabels: { ...spec.labels.selector } },
  });
  return {
    metadata: {
      labels: { ...spec.labels.all },
      ...(spec.annotations ? { annotations: { ...spec.annotations } } : {}),
    },
    spec: {
      serviceAccountName: spec.serviceAccountName,
      automountServiceAccountToken: spec.automountServiceAccountToken,
      enableServiceLinks: false,
      ...(spec.terminationGracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds } : {}),
      securityContext: restrictedPodSecurityContext(),
      topologySpreadConstraints: [spread('topology.kubernetes.io/zone'), spread('kubernetes.io/hostname')],
      containers,
      volumes: [...scratch, ...(spec.volumes ?? [])],
    },
  };
}
