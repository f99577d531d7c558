import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { ILifecycleHandler } from 'kubernetes-models/v1/LifecycleHandler';
import type { IResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { AppLabels } from './labels.ts';
import type { ImageReference } from './values/index.ts';
import { NON_ROOT_ID } from './_restricted.ts';

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

/** Everything that makes up a hardened pod. */
export interface PodSpec {
  readonly labels: AppLabels;
  readonly serviceAccount: kplus.IServiceAccount;
  readonly automountServiceAccountToken: boolean;
  /** The main container first, then its sidecars. */
  readonly containers: readonly ContainerSpec[];
  /** Volumes referenced by `mounts` (config, secrets, claims, shared emptyDirs). */
  readonly volumes?: readonly IVolume[];
  /** Pod annotations, e.g. a config checksum that rolls the pods when the config changes. */
  readonly annotations?: Readonly<Record<string, string>>;
  /**
   * Labels of the pods these pods spread with across zones and nodes.
   * @default - the workload's selector labels
   */
  readonly spreadSelector?: Readonly<Record<string, string>>;
  /** Seconds between the stop request and SIGKILL, preStop hooks included. @default 30 (Kubernetes' own) */
  readonly terminationGracePeriodSeconds?: number;
  /** The pods' own volumes, created from the workload's claim templates: mounted, never declared. @default - none */
  readonly claimTemplates?: readonly string[];
}

const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const STARTUP_PERIOD_SECONDS = 5;
const SCRATCH_SIZE_MIB = 256;

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

/** The kplus form of a pod volume the model gives as a Kubernetes volume. */
function toVolume(scope: Construct, where: string, v: IVolume): kplus.Volume {
  const id = `Volume-${v.name}`;
  if (v.secret) {
    const secret = kplus.Secret.fromSecretName(scope, `${id}-Secret`, v.secret.secretName!);
    return kplus.Volume.fromSecret(scope, id, secret, { name: v.name, ...(v.secret.defaultMode !== undefined ? { defaultMode: v.secret.defaultMode } : {}) });
  }
  if (v.configMap) {
    const configMap = kplus.ConfigMap.fromConfigMapName(scope, `${id}-ConfigMap`, v.configMap.name!);
    return kplus.Volume.fromConfigMap(scope, id, configMap, { name: v.name, ...(v.configMap.defaultMode !== undefined ? { defaultMode: v.configMap.defaultMode } : {}) });
  }
  if (v.persistentVolumeClaim) {
    const claim = kplus.PersistentVolumeClaim.fromClaimName(scope, `${id}-Claim`, v.persistentVolumeClaim.claimName);
    return kplus.Volume.fromPersistentVolumeClaim(scope, id, claim, { name: v.name, readOnly: v.persistentVolumeClaim.readOnly ?? false });
  }
  if (v.emptyDir) {
    const size = v.emptyDir.sizeLimit === undefined ? undefined : Size.mebibytes(mebibytes(where, v.name, String(v.emptyDir.sizeLimit)));
    return kplus.Volume.fromEmptyDir(scope, id, v.name, size ? { sizeLimit: size } : {});
  }
  throw new Error(`[${where}] volumes.${v.name}: only secret, configMap, persistentVolumeClaim and emptyDir volumes are supported`);
}

/** `256Mi`, `1Gi` in mebibytes. */
function mebibytes(where: string, volume: string, quantity: string): number {
  const m = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (!m) throw new Error(`[${where}] volumes.${volume}.emptyDir.sizeLimit must be a whole number of Mi or Gi, got "${quantity}"`);
  return Number(m[1]) * (m[2] === 'Gi' ? 1024 : 1);
}

function toEnv(where: string, scope: Construct, env: readonly IEnvVar[]): Record<string, kplus.EnvValue> {
  const out: Record<string, kplus.EnvValue> = {};
  for (const e of env) {
    const secretRef = e.valueFrom?.secretKeyRef;
    const fieldRef = e.valueFrom?.fieldRef;
    if (e.value !== undefined) out[e.name] = kplus.EnvValue.fromValue(e.value);
    else if (secretRef) {
      const secret = kplus.Secret.fromSecretName(scope, `Env-${e.name}-Secret`, secretRef.name!);
      out[e.name] = kplus.EnvValue.fromSecretValue({ secret, key: secretRef.key });
    } else if (fieldRef) out[e.name] = kplus.EnvValue.fromFieldRef(fieldRef.fieldPath as kplus.EnvFieldPaths);
    else throw new Error(`[${where}] env.${e.name}: only values, secret keys and pod fields are supported`);
  }
  return out;
}

function portNumber(c: ContainerSpec, name: string | number): number {
  return typeof name === 'number' ? name : c.ports!.find((p) => p.name === name)!.port;
}

function probe(c: ContainerSpec, extra: kplus.ProbeOptions): kplus.Probe {
  const health = c.health!;
  const port = portNumber(c, health.port);
  const options = { port, timeoutSeconds: Duration.seconds(2), ...extra };
  return health.path === undefined ? kplus.Probe.fromTcpSocket(options) : kplus.Probe.fromHttpGet(health.path, { ...options, scheme: kplus.ConnectionScheme.HTTP });
}

function preStopHandler(c: ContainerSpec, where: string, h: ILifecycleHandler): kplus.Handler {
  if (h.httpGet) return kplus.Handler.fromHttpGet(h.httpGet.path ?? '/', { port: portNumber(c, h.httpGet.port) });
  if (h.exec?.command) return kplus.Handler.fromCommand([...h.exec.command]);
  throw new Error(`[${where}] preStop: only httpGet and exec handlers are supported`);
}

/**
 * What a cdk8s-plus workload's props take for a hardened pod: every container meeting the Pod
 * Security Standard `restricted` through kplus's own security-context props, a read-only root
 * filesystem with an emptyDir per writable path, startup/readiness/liveness probes on the main
 * container, the pod's volumes, the standard labels as the pod's (kplus selects nothing itself).
 */
export function hardenedPodProps(scope: Construct, spec: PodSpec): kplus.WorkloadProps {
  const where = scope.node.path;
  const declared = new Map((spec.volumes ?? []).map((v) => [v.name, toVolume(scope, where, v)]));
  const claimed = new Map(
    (spec.claimTemplates ?? []).map((name) => [name, kplus.Volume.fromPersistentVolumeClaim(scope, `Claim-${name}`, kplus.PersistentVolumeClaim.fromClaimName(scope, `Claim-${name}-Ref`, name), { name })]),
  );
  const containers: kplus.ContainerProps[] = spec.containers.map((c, i) => {
    const writable = (c.writablePaths ?? ['/tmp']).map((path) => {
      const name = `${i === 0 ? '' : `${c.name}-`}${volumeName(path)}`.slice(0, 63);
      return { path, volume: kplus.Volume.fromEmptyDir(scope, `Scratch-${name}`, name, { sizeLimit: Size.mebibytes(SCRATCH_SIZE_MIB) }), readOnly: false };
    });
    const mounts = (c.mounts ?? []).map((m) => {
      const volume = declared.get(m.volume) ?? claimed.get(m.volume);
      if (!volume) throw new Error(`[${where}/${c.name}] mounts: no volume "${m.volume}" in the pod (${[...declared.keys(), ...claimed.keys()].join(', ')})`);
      return { path: m.path, volume, readOnly: m.readOnly ?? true };
    });
    return {
      name: c.name,
      image: c.image.toString(),
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      ...(c.command ? { command: [...c.command] } : {}),
      ...(c.args ? { args: [...c.args] } : {}),
      ...(c.env ? { envVariables: toEnv(`${where}/${c.name}`, scope, c.env) } : {}),
      ...(c.ports ? { ports: c.ports.map((p) => ({ name: p.name, number: p.port, protocol: p.protocol === 'UDP' ? kplus.Protocol.UDP : kplus.Protocol.TCP })) } : {}),
      securityContext: {
        ensureNonRoot: true,
        readOnlyRootFilesystem: true,
        privileged: false,
        allowPrivilegeEscalation: false,
        capabilities: { drop: [kplus.Capability.ALL] },
        seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
      },
      ...(c.health
        ? {
            startup: probe(c, { periodSeconds: Duration.seconds(STARTUP_PERIOD_SECONDS), failureThreshold: Math.ceil((c.health.startupSeconds ?? 120) / STARTUP_PERIOD_SECONDS) }),
            readiness: probe(c, { periodSeconds: Duration.seconds(10), failureThreshold: 3 }),
            liveness: probe(c, { periodSeconds: Duration.seconds(20), failureThreshold: 3 }),
          }
        : {}),
      volumeMounts: [...writable, ...mounts],
      ...(c.preStop ? { lifecycle: { preStop: preStopHandler(c, `${where}/${c.name}`, c.preStop) } } : {}),
    };
  });
  return {
    select: false,
    podMetadata: { labels: { ...spec.labels.all }, ...(spec.annotations ? { annotations: { ...spec.annotations } } : {}) },
    serviceAccount: spec.serviceAccount,
    automountServiceAccountToken: spec.automountServiceAccountToken,
    securityContext: { ensureNonRoot: true, user: NON_ROOT_ID, group: NON_ROOT_ID, fsGroup: NON_ROOT_ID, fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH },
    terminationGracePeriod: Duration.seconds(spec.terminationGracePeriodSeconds ?? 30),
    containers,
    volumes: [...declared.values()],
  };
}

/**
 * What cdk8s-plus has no prop for, patched onto the rendered workload at `podPath` (the pod
 * template's JSON pointer), each listed in the README's escape hatches: the pod-level seccomp
 * profile, service-link environment off, zone and node spreading with `topologySpreadConstraints`,
 * the containers' resources exactly as the model writes them (kplus rewrites every memory figure
 * in Mi and could not carry a Helm value), and without the `cdk8s.io/metadata.addr` label kplus
 * adds to every pod for selectors this library never uses (it would carry a construct-path hash).
 * The patches apply to the object's final JSON: `addJsonPatch` runs before kplus's generated
 * bindings re-map the object through their typed converters, which drop plain quantities.
 */
export function hardenPodObject(workload: kplus.Workload, podPath: string, spec: PodSpec): void {
  const spread = (topologyKey: string) => ({
    maxSkew: 1,
    topologyKey,
    // Prefer spreading, but never leave a pod pending on a small cluster.
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: { ...(spec.spreadSelector ?? spec.labels.selector) } },
  });
  const patches = [
    JsonPatch.remove(`${podPath}/metadata/labels/${kplus.Pod.ADDRESS_LABEL.replace('/', '~1')}`),
    JsonPatch.add(`${podPath}/spec/securityContext/seccompProfile`, { type: 'RuntimeDefault' }),
    JsonPatch.add(`${podPath}/spec/enableServiceLinks`, false),
    JsonPatch.add(`${podPath}/spec/topologySpreadConstraints`, [spread('topology.kubernetes.io/zone'), spread('kubernetes.io/hostname')]),
    ...spec.containers.map((c, i) => JsonPatch.add(`${podPath}/spec/containers/${i}/resources`, c.resources)),
  ];
  const claims = new Set(spec.claimTemplates ?? []);
  finalJson(ApiObject.of(workload), (json) => {
    const patched = JsonPatch.apply(json, ...patches) as { spec: Record<string, unknown> };
    if (claims.size === 0) return patched;
    // The claim templates' volumes are the set's to make: the pod mounts them, never declares them.
    const pod = (at(patched, podPath) as { spec: { volumes?: { name: string }[] } }).spec;
    pod.volumes = (pod.volumes ?? []).filter((v) => !claims.has(v.name));
    return patched;
  });
}

function at(json: unknown, pointer: string): unknown {
  return pointer.split('/').slice(1).reduce((node, key) => (node as Record<string, unknown>)[key], json);
}

/**
 * Makes `obj.toJson()` return `transform` of what it returned, after any conversion the object
 * makes, and a copy, so nothing downstream can change the values the transform holds.
 */
export function finalJson(obj: ApiObject, transform: (json: unknown) => unknown): void {
  const render = obj.toJson.bind(obj);
  obj.toJson = () => structuredClone(transform(render()));
}
