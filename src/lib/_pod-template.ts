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

/**
 * How the kubelet checks a container: an HTTP GET of `path` on `port` or, for a server with no
 * GET health endpoint, a TCP connect to `port`.
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
 */
export interface HealthCheck {
  /** Name of the container port probed. */
  readonly port: string;
  /** @default - a TCP connect instead of an HTTP GET */
  readonly path?: string;
  /**
   * How long the container may take to start before liveness takes over (the startup probe's
   * budget, in 5-second periods).
   * @default 120
   */
  readonly startupSeconds?: number;
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
  /** @default - the image's entrypoint */
  readonly command?: readonly string[];
  /** @default - the image's entrypoint arguments */
  readonly args?: readonly string[];
  /** @default - none */
  readonly ports?: readonly NamedPort[];
  readonly resources: IResourceRequirements;
  /**
   * Endpoint of the startup, readiness and liveness probes.
   * @default - no probes (sidecars whose health the main container's probes cover)
   */
  readonly health?: HealthCheck;
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
  /**
   * Labels of the pods these pods spread with across zones and nodes.
   * @default - the workload's selector labels
   */
  readonly spreadSelector?: Readonly<Record<string, string>>;
  /** Seconds between the stop request and SIGKILL, preStop hooks included. @default - Kubernetes' 30 */
  readonly terminationGracePeriodSeconds?: number;
}

const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const STARTUP_PERIOD_SECONDS = 5;

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
  const startup = c.health?.startupSeconds;
  if (startup !== undefined && !(Number.isInteger(startup) && startup >= STARTUP_PERIOD_SECONDS)) {
    throw new Error(`[${where}] health.startupSeconds must be an integer >= ${STARTUP_PERIOD_SECONDS}, got ${startup}`);
  }
  if (c.health && !ports.some((p) => p.name === c.health!.port)) {
    throw new Error(`[${where}] health.port must name one of the ports (${ports.map((p) => p.name).join(', ')}), got "${c.health.port}"`);
  }
}

function probe(health: HealthCheck, extra: Partial<IProbe>): IProbe {
  const action: IProbe = health.path === undefined
    ? { tcpSocket: { port: health.port } }
    : { httpGet: { path: health.path, port: health.port, scheme: 'HTTP' } };
  return { ...action, timeoutSeconds: 2, ...extra };
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
      ...(c.command ? { command: [...c.command] } : {}),
      ...(c.args ? { args: [...c.args] } : {}),
      ...(c.env ? { env: [...c.env] } : {}),
      ...(c.ports ? { ports: c.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol ?? 'TCP' })) } : {}),
      resources: c.resources,
      securityContext: restrictedContainerSecurityContext(),
      ...(c.health
        ? {
            startupProbe: probe(c.health, {
              periodSeconds: STARTUP_PERIOD_SECONDS,
              failureThreshold: Math.ceil((c.health.startupSeconds ?? 120) / STARTUP_PERIOD_SECONDS),
            }),
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
    labelSelector: { matchLabels: { ...(spec.spreadSelector ?? spec.labels.selector) } },
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
