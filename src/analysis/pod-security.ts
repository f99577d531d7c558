/*
 * The Kubernetes Pod Security Standards, profiles `baseline` and `restricted`, as a checker over
 * rendered or parsed objects: synth refuses a pod template its namespace's enforced level would
 * reject ({@link enforcedViolations}), and the tests check every output with it.
 *
 * Each control of the published standard is one rule; a rule reports every offending field with
 * its full path inside the object, so a failing assertion points at the line to change. The field
 * lists and allowed values follow the current page (Kubernetes v1.34+) and, where the page is
 * terse, the reference implementation in k8s.io/pod-security-admission.
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
import {
  list,
  objectId,
  podSpecsOf,
  type Container,
  type HostHandler,
  type KubeObject,
  type PodSecurityContext,
  type PodTemplate,
  type SecurityContext,
} from './kube-objects.ts';

export { podSpecsOf, type KubeObject, type PodSpec, type PodTemplate } from './kube-objects.ts';

/** The two enforcing profiles of the standard (`privileged` enforces nothing). */
export type Level = 'baseline' | 'restricted';

/** One field of one object that a rule forbids. */
export interface Violation {
  /** `Kind/name` of the offending object. */
  readonly object: string;
  /** Full path of the field inside the object, e.g. `spec.template.spec.containers[1].securityContext.privileged`. */
  readonly field: string;
  /** Id of the broken rule, `<level>/<control>`, e.g. `restricted/privilege-escalation`. */
  readonly rule: RuleId;
  /** What is wrong and what the standard allows. */
  readonly message: string;
}

/** A control of the standard, as documented metadata (the check itself stays private). */
export interface RuleInfo {
  readonly id: RuleId;
  readonly level: Level;
  /** The control's name on the published page. */
  readonly control: string;
}

/** Ids of every implemented control. */
export type RuleId =
  | 'baseline/host-process'
  | 'baseline/host-namespaces'
  | 'baseline/privileged'
  | 'baseline/capabilities'
  | 'baseline/host-path-volumes'
  | 'baseline/host-ports'
  | 'baseline/apparmor'
  | 'baseline/selinux'
  | 'baseline/proc-mount'
  | 'baseline/seccomp'
  | 'baseline/sysctls'
  | 'baseline/probe-host'
  | 'restricted/volume-types'
  | 'restricted/privilege-escalation'
  | 'restricted/run-as-non-root'
  | 'restricted/run-as-user'
  | 'restricted/seccomp'
  | 'restricted/capabilities';

/** Capabilities baseline lets a container add: the container runtime's default set. */
const BASELINE_CAPABILITIES: ReadonlySet<unknown> = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD',
  'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

/** Sysctls namespaced to the pod and isolated from other pods on the node (PSA's v1.32+ set). */
const SAFE_SYSCTLS: ReadonlySet<unknown> = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
]);

/** SELinux types a container may run as (container_engine_t since v1.31). */
const SELINUX_TYPES: ReadonlySet<unknown> = new Set([
  undefined, '', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t',
]);

/** The only inline volume sources restricted allows: core types and those backed by PVs or CSI. */
const RESTRICTED_VOLUME_SOURCES: ReadonlySet<string> = new Set([
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret',
]);

const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const PROFILE_TYPES: ReadonlySet<unknown> = new Set(['RuntimeDefault', 'Localhost']);
const UNSET_OR_FALSE: ReadonlySet<unknown> = new Set([undefined, null, false]);

/** What a rule sees: one pod template of one object, plus a way to report. */
interface RuleContext {
  readonly template: PodTemplate;
  readonly podSc: PodSecurityContext;
  /** Every container of every kind, with its path. */
  readonly containers: readonly { readonly c: Container; readonly sc: SecurityContext; readonly path: string }[];
  /**
   * Windows pods (`spec.os.name: windows`) are exempt from the Linux-only restricted controls
   * (privilege escalation, seccomp, capabilities) since v1.25, because Windows ignores those fields.
   */
  readonly windows: boolean;
  report(field: string, message: string): void;
}

interface Rule extends RuleInfo {
  check(ctx: RuleContext): void;
}

const show = (value: unknown): string => JSON.stringify(value) ?? 'undefined';

/** Reports `field` when `value` is not in `allowed`. */
function requireIn(ctx: RuleContext, field: string, value: unknown, allowed: ReadonlySet<unknown>, what: string): void {
  if (!allowed.has(value)) ctx.report(field, `${what}, got ${show(value)}`);
}

/** Hosts a probe or lifecycle handler may target: none, i.e. the pod's own IP. */
function checkHandlerHost(ctx: RuleContext, handler: HostHandler | undefined, path: string): void {
  for (const action of ['httpGet', 'tcpSocket'] as const) {
    const host = handler?.[action]?.host;
    if (host !== undefined && host !== '') {
      ctx.report(`${path}.${action}.host`, `must be unset so the kubelet probes the pod itself, got ${show(host)}`);
    }
  }
}

/** Profile types baseline allows, where unset means the runtime's default. */
const BASELINE_PROFILE_TYPES: ReadonlySet<unknown> = new Set([undefined, ...PROFILE_TYPES]);

/** Reports the pod's and each container's `<profile>.type` that baseline does not allow (AppArmor, seccomp). */
function requireBaselineProfile(ctx: RuleContext, profile: 'appArmorProfile' | 'seccompProfile', what: string): void {
  for (const { sc, path } of [{ sc: ctx.podSc, path: ctx.template.path }, ...ctx.containers]) {
    requireIn(ctx, `${path}.securityContext.${profile}.type`, sc[profile]?.type, BASELINE_PROFILE_TYPES, what);
  }
}

const RULES_IMPL: readonly Rule[] = [
  {
    id: 'baseline/host-process',
    level: 'baseline',
    control: 'HostProcess',
    check(ctx) {
      const what = 'Windows HostProcess containers give privileged access to the node; allowed: unset or false';
      const podPath = `${ctx.template.path}.securityContext.windowsOptions.hostProcess`;
      requireIn(ctx, podPath, ctx.podSc.windowsOptions?.hostProcess, UNSET_OR_FALSE, what);
      for (const { sc, path } of ctx.containers) {
        requireIn(ctx, `${path}.securityContext.windowsOptions.hostProcess`, sc.windowsOptions?.hostProcess, UNSET_OR_FALSE, what);
      }
    },
  },
  {
    id: 'baseline/host-namespaces',
    level: 'baseline',
    control: 'Host Namespaces',
    check(ctx) {
      for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
        const what = 'sharing host namespaces is forbidden; allowed: unset or false';
        requireIn(ctx, `${ctx.template.path}.${field}`, ctx.template.spec[field], UNSET_OR_FALSE, what);
      }
    },
  },
  {
    id: 'baseline/privileged',
    level: 'baseline',
    control: 'Privileged Containers',
    check(ctx) {
      for (const { sc, path } of ctx.containers) {
        requireIn(ctx, `${path}.securityContext.privileged`, sc.privileged, UNSET_OR_FALSE, 'privileged containers are forbidden; allowed: unset or false');
      }
    },
  },
  {
    id: 'baseline/capabilities',
    level: 'baseline',
    control: 'Capabilities',
    check(ctx) {
      for (const { sc, path } of ctx.containers) {
        list(sc.capabilities?.add).forEach((cap, i) => {
          requireIn(ctx, `${path}.securityContext.capabilities.add[${i}]`, cap, BASELINE_CAPABILITIES, 'only the runtime default capabilities may be added');
        });
      }
    },
  },
  {
    id: 'baseline/host-path-volumes',
    level: 'baseline',
    control: 'HostPath Volumes',
    check(ctx) {
      list(ctx.template.spec.volumes).forEach((volume, i) => {
        if (volume['hostPath'] !== undefined) {
          ctx.report(`${ctx.template.path}.volumes[${i}].hostPath`, `volume ${show(volume.name)} mounts a host path; hostPath volumes are forbidden`);
        }
      });
    },
  },
  {
    id: 'baseline/host-ports',
    level: 'baseline',
    control: 'Host Ports',
    check(ctx) {
      for (const { c, path } of ctx.containers) {
        list(c.ports).forEach((port, i) => {
          requireIn(ctx, `${path}.ports[${i}].hostPort`, port.hostPort, new Set([undefined, null, 0]), 'host ports are forbidden; allowed: unset or 0');
        });
      }
    },
  },
  {
    id: 'baseline/apparmor',
    level: 'baseline',
    control: 'AppArmor',
    check(ctx) {
      requireBaselineProfile(ctx, 'appArmorProfile', 'the default AppArmor profile must not be disabled; allowed: unset, RuntimeDefault, Localhost');
      // The pre-1.30 annotation still takes effect on older nodes, so it is held to the same rule.
      for (const [key, value] of Object.entries(ctx.template.annotations)) {
        if (!key.startsWith(APPARMOR_ANNOTATION_PREFIX)) continue;
        if (value === '' || value === 'runtime/default' || (typeof value === 'string' && value.startsWith('localhost/'))) continue;
        ctx.report(`${ctx.template.annotationsPath}['${key}']`, `allowed: runtime/default or localhost/*, got ${show(value)}`);
      }
    },
  },
  {
    id: 'baseline/selinux',
    level: 'baseline',
    control: 'SELinux',
    check(ctx) {
      const sources = [{ sc: ctx.podSc, path: ctx.template.path }, ...ctx.containers];
      for (const { sc, path } of sources) {
        const opts = sc.seLinuxOptions;
        if (opts === undefined) continue;
        const base = `${path}.securityContext.seLinuxOptions`;
        requireIn(ctx, `${base}.type`, opts.type, SELINUX_TYPES, 'allowed SELinux types: container_t, container_init_t, container_kvm_t, container_engine_t');
        for (const field of ['user', 'role'] as const) {
          if (opts[field] !== undefined && opts[field] !== '') ctx.report(`${base}.${field}`, `a custom SELinux ${field} is forbidden, got ${show(opts[field])}`);
        }
      }
    },
  },
  {
    id: 'baseline/proc-mount',
    level: 'baseline',
    control: '/proc Mount Type',
    check(ctx) {
      for (const { sc, path } of ctx.containers) {
        requireIn(ctx, `${path}.securityContext.procMount`, sc.procMount, new Set([undefined, null, 'Default']), 'the default /proc masks are required; allowed: unset or Default');
      }
    },
  },
  {
    id: 'baseline/seccomp',
    level: 'baseline',
    control: 'Seccomp',
    check(ctx) {
      requireBaselineProfile(ctx, 'seccompProfile', 'seccomp must not be disabled; allowed: unset, RuntimeDefault, Localhost');
    },
  },
  {
    id: 'baseline/sysctls',
    level: 'baseline',
    control: 'Sysctls',
    check(ctx) {
      list(ctx.podSc.sysctls).forEach((sysctl, i) => {
        requireIn(ctx, `${ctx.template.path}.securityContext.sysctls[${i}].name`, sysctl.name, SAFE_SYSCTLS, 'only the safe, pod-namespaced sysctls are allowed');
      });
    },
  },
  {
    id: 'baseline/probe-host',
    level: 'baseline',
    control: 'Probes / Lifecycle Hooks (v1.34+)',
    check(ctx) {
      for (const { c, path } of ctx.containers) {
        for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) checkHandlerHost(ctx, c[probe], `${path}.${probe}`);
        for (const hook of ['postStart', 'preStop'] as const) checkHandlerHost(ctx, c.lifecycle?.[hook], `${path}.lifecycle.${hook}`);
      }
    },
  },
  {
    id: 'restricted/volume-types',
    level: 'restricted',
    control: 'Volume Types',
    check(ctx) {
      list(ctx.template.spec.volumes).forEach((volume, i) => {
        const sources = Object.keys(volume).filter((k) => k !== 'name');
        if (sources.some((s) => RESTRICTED_VOLUME_SOURCES.has(s))) return;
        const source = sources[0];
        ctx.report(
          `${ctx.template.path}.volumes[${i}]${source ? `.${source}` : ''}`,
          `volume ${show(volume.name)} uses ${source ?? 'no'} source; allowed: ${[...RESTRICTED_VOLUME_SOURCES].join(', ')}`,
        );
      });
    },
  },
  {
    id: 'restricted/privilege-escalation',
    level: 'restricted',
    control: 'Privilege Escalation',
    check(ctx) {
      if (ctx.windows) return;
      for (const { sc, path } of ctx.containers) {
        requireIn(ctx, `${path}.securityContext.allowPrivilegeEscalation`, sc.allowPrivilegeEscalation, new Set([false]), 'must be set to false (unset means true)');
      }
    },
  },
  {
    id: 'restricted/run-as-non-root',
    level: 'restricted',
    control: 'Running as Non-root',
    check(ctx) {
      const podValue = ctx.podSc.runAsNonRoot;
      const podPath = `${ctx.template.path}.securityContext.runAsNonRoot`;
      if (podValue !== undefined && podValue !== true) ctx.report(podPath, `must be true or unset, got ${show(podValue)}`);
      for (const { sc, path } of ctx.containers) {
        const value = sc.runAsNonRoot;
        const field = `${path}.securityContext.runAsNonRoot`;
        // Unset inherits the pod's value; a bad pod value is already reported once, at the pod.
        if (value === undefined) {
          if (podValue === undefined) ctx.report(field, `must be true here or in ${podPath}`);
        } else if (value !== true) {
          ctx.report(field, `must be true or unset, got ${show(value)}`);
        }
      }
    },
  },
  {
    id: 'restricted/run-as-user',
    level: 'restricted',
    control: 'Running as Non-root user',
    check(ctx) {
      const sources = [{ sc: ctx.podSc, path: ctx.template.path }, ...ctx.containers];
      for (const { sc, path } of sources) {
        if (sc.runAsUser === 0) ctx.report(`${path}.securityContext.runAsUser`, 'must not be 0 (root)');
      }
    },
  },
  {
    id: 'restricted/seccomp',
    level: 'restricted',
    control: 'Seccomp',
    check(ctx) {
      if (ctx.windows) return;
      const what = 'allowed: RuntimeDefault, Localhost';
      const podPath = `${ctx.template.path}.securityContext.seccompProfile.type`;
      if (ctx.podSc.seccompProfile !== undefined) requireIn(ctx, podPath, ctx.podSc.seccompProfile.type, PROFILE_TYPES, what);
      for (const { sc, path } of ctx.containers) {
        const field = `${path}.securityContext.seccompProfile.type`;
        // A container without its own profile inherits the pod's; a bad pod profile is already
        // reported once, at the pod.
        if (sc.seccompProfile === undefined) {
          if (ctx.podSc.seccompProfile === undefined) ctx.report(field, `must be RuntimeDefault or Localhost here or in ${podPath}`);
        } else {
          requireIn(ctx, field, sc.seccompProfile.type, PROFILE_TYPES, what);
        }
      }
    },
  },
  {
    id: 'restricted/capabilities',
    level: 'restricted',
    control: 'Capabilities',
    check(ctx) {
      if (ctx.windows) return;
      for (const { sc, path } of ctx.containers) {
        if (!list(sc.capabilities?.drop).includes('ALL')) {
          ctx.report(`${path}.securityContext.capabilities.drop`, `must include ALL, got ${show(sc.capabilities?.drop)}`);
        }
        list(sc.capabilities?.add).forEach((cap, i) => {
          requireIn(ctx, `${path}.securityContext.capabilities.add[${i}]`, cap, new Set(['NET_BIND_SERVICE']), 'only NET_BIND_SERVICE may be added');
        });
      }
    },
  },
];

/** Every implemented control, baseline first, in the order violations are reported. */
export const RULES: readonly RuleInfo[] = RULES_IMPL.map(({ id, level, control }) => ({ id, level, control }));

function check(obj: KubeObject, level: Level): Violation[] {
  const violations: Violation[] = [];
  const object = objectId(obj);
  const rules = RULES_IMPL.filter((r) => level === 'restricted' || r.level === 'baseline');
  for (const template of podSpecsOf(obj)) {
    const { spec, path } = template;
    // The same order as the reference implementation visits them, so reports read alike.
    const containers = (['containers', 'initContainers', 'ephemeralContainers'] as const).flatMap((kind) =>
      list(spec[kind]).map((c, i) => ({ c, sc: c.securityContext ?? {}, path: `${path}.${kind}[${i}]` })),
    );
    for (const rule of rules) {
      rule.check({
        template,
        podSc: spec.securityContext ?? {},
        containers,
        windows: spec.os?.name === 'windows',
        report: (field, message) => violations.push({ object, field, rule: rule.id, message }),
      });
    }
  }
  return violations;
}

/** Violations of the baseline profile. Objects without a pod template have none. */
export function checkBaseline(obj: KubeObject): Violation[] {
  return check(obj, 'baseline');
}

/** Violations of the restricted profile, which includes every baseline control. */
export function checkRestricted(obj: KubeObject): Violation[] {
  return check(obj, 'restricted');
}

/** The first violation over many objects, in object then rule order, or undefined when all comply. */
export function firstViolation(objects: readonly KubeObject[], level: Level = 'restricted'): Violation | undefined {
  for (const obj of objects) {
    const [first] = check(obj, level);
    if (first) return first;
  }
  return undefined;
}

/** One line per violation, for assertion messages: `Kind/name field [rule] message`. */
export function formatViolation(v: Violation): string {
  return `${v.object} ${v.field} [${v.rule}] ${v.message}`;
}

/** The label whose value is the level Pod Security admission enforces in a namespace. */
export const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

/** A violation of the level a namespace enforces, and that namespace. */
export interface EnforcedViolation extends Violation {
  readonly namespace: string;
  readonly level: Level;
}

/**
 * The violations Pod Security admission would reject among `objects`: each object whose
 * namespace is one of `objects`' Namespaces enforcing `baseline` or `restricted` is checked at
 * that level. Objects of other namespaces, and of namespaces enforcing `privileged`, are not.
 */
export function enforcedViolations(objects: readonly KubeObject[]): EnforcedViolation[] {
  const levels = new Map<string, Level>();
  for (const o of objects) {
    const level = o.metadata?.labels?.[ENFORCE_LABEL];
    if (o.kind === 'Namespace' && o.metadata?.name && (level === 'baseline' || level === 'restricted')) levels.set(o.metadata.name, level);
  }
  return objects.flatMap((o) => {
    const namespace = o.metadata?.namespace;
    const level = namespace === undefined ? undefined : levels.get(namespace);
    return level === undefined ? [] : check(o, level).map((v) => ({ ...v, namespace: namespace!, level }));
  });
}
