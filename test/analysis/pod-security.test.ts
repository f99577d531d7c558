import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/analysis/kube-objects.ts';
import {
  enforcedViolations,
  ENFORCE_LABEL,
  checkBaseline,
  checkRestricted,
  firstViolation,
  formatViolation,
  podSpecsOf,
  RULES,
  type RuleId,
  type Violation,
} from '../../src/analysis/pod-security.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Fixture = Record<string, any>;

const hardened = (): Fixture => ({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });

/** A Deployment that meets `restricted`: an app container, a sidecar and an init container. */
function deployment(): Fixture {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' }, annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'runtime/default' } },
        spec: {
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 10001,
            seccompProfile: { type: 'RuntimeDefault' },
            sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }],
          },
          initContainers: [{ name: 'migrate', image: 'web:1', securityContext: hardened() }],
          containers: [
            {
              name: 'app',
              image: 'web:1',
              ports: [{ name: 'http', containerPort: 8080 }],
              readinessProbe: { httpGet: { path: '/health', port: 'http' } },
              securityContext: { ...hardened(), capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] }, readOnlyRootFilesystem: true },
            },
            { name: 'log-shipper', image: 'shipper:2', securityContext: hardened() },
          ],
          volumes: [
            { name: 'tmp', emptyDir: {} },
            { name: 'config', configMap: { name: 'web' } },
          ],
        },
      },
    },
  };
}

const T = 'spec.template.spec';

interface Case {
  readonly given: string;
  readonly mutate: (spec: Fixture, template: Fixture) => void;
  /** The violation the case is about. */
  readonly rule: RuleId;
  readonly field: string;
  /** Other rules the same mistake breaks too (a hostPath volume is also a restricted volume type). */
  readonly alsoBreaks?: readonly RuleId[];
}

const CASES: readonly Case[] = [
  {
    given: 'a HostProcess pod',
    mutate: (s) => (s.securityContext.windowsOptions = { hostProcess: true }),
    rule: 'baseline/host-process',
    field: `${T}.securityContext.windowsOptions.hostProcess`,
  },
  {
    given: 'a HostProcess sidecar',
    mutate: (s) => (s.containers[1].securityContext.windowsOptions = { hostProcess: true }),
    rule: 'baseline/host-process',
    field: `${T}.containers[1].securityContext.windowsOptions.hostProcess`,
  },
  { given: 'hostNetwork', mutate: (s) => (s.hostNetwork = true), rule: 'baseline/host-namespaces', field: `${T}.hostNetwork` },
  { given: 'hostPID', mutate: (s) => (s.hostPID = true), rule: 'baseline/host-namespaces', field: `${T}.hostPID` },
  { given: 'hostIPC', mutate: (s) => (s.hostIPC = true), rule: 'baseline/host-namespaces', field: `${T}.hostIPC` },
  {
    given: 'a privileged sidecar only',
    mutate: (s) => (s.containers[1].securityContext.privileged = true),
    rule: 'baseline/privileged',
    field: `${T}.containers[1].securityContext.privileged`,
  },
  {
    given: 'privileged: "false" as a string',
    mutate: (s) => (s.containers[0].securityContext.privileged = 'false'),
    rule: 'baseline/privileged',
    field: `${T}.containers[0].securityContext.privileged`,
  },
  {
    given: 'SYS_ADMIN added',
    mutate: (s) => (s.containers[0].securityContext.capabilities.add = ['NET_BIND_SERVICE', 'SYS_ADMIN']),
    rule: 'baseline/capabilities',
    field: `${T}.containers[0].securityContext.capabilities.add[1]`,
    alsoBreaks: ['restricted/capabilities'],
  },
  {
    given: 'a hostPath volume',
    mutate: (s) => s.volumes.push({ name: 'docker', hostPath: { path: '/var/run/docker.sock' } }),
    rule: 'baseline/host-path-volumes',
    field: `${T}.volumes[2].hostPath`,
    alsoBreaks: ['restricted/volume-types'],
  },
  {
    given: 'a host port',
    mutate: (s) => (s.containers[0].ports[0].hostPort = 80),
    rule: 'baseline/host-ports',
    field: `${T}.containers[0].ports[0].hostPort`,
  },
  {
    given: 'an unconfined AppArmor profile on the init container only',
    mutate: (s) => (s.initContainers[0].securityContext.appArmorProfile = { type: 'Unconfined' }),
    rule: 'baseline/apparmor',
    field: `${T}.initContainers[0].securityContext.appArmorProfile.type`,
  },
  {
    given: 'the legacy AppArmor annotation set to unconfined',
    mutate: (_s, t) => (t.metadata.annotations['container.apparmor.security.beta.kubernetes.io/app'] = 'unconfined'),
    rule: 'baseline/apparmor',
    field: "spec.template.metadata.annotations['container.apparmor.security.beta.kubernetes.io/app']",
  },
  {
    given: 'a pod SELinux type spc_t',
    mutate: (s) => (s.securityContext.seLinuxOptions = { type: 'spc_t' }),
    rule: 'baseline/selinux',
    field: `${T}.securityContext.seLinuxOptions.type`,
  },
  {
    given: 'a container SELinux user',
    mutate: (s) => (s.containers[0].securityContext.seLinuxOptions = { type: 'container_t', user: 'system_u' }),
    rule: 'baseline/selinux',
    field: `${T}.containers[0].securityContext.seLinuxOptions.user`,
  },
  {
    given: 'an unmasked /proc',
    mutate: (s) => (s.containers[0].securityContext.procMount = 'Unmasked'),
    rule: 'baseline/proc-mount',
    field: `${T}.containers[0].securityContext.procMount`,
  },
  {
    given: 'seccomp Unconfined on the sidecar',
    mutate: (s) => (s.containers[1].securityContext.seccompProfile = { type: 'Unconfined' }),
    rule: 'baseline/seccomp',
    field: `${T}.containers[1].securityContext.seccompProfile.type`,
    alsoBreaks: ['restricted/seccomp'],
  },
  {
    given: 'an unsafe sysctl',
    mutate: (s) => s.securityContext.sysctls.push({ name: 'kernel.msgmax', value: '65536' }),
    rule: 'baseline/sysctls',
    field: `${T}.securityContext.sysctls[1].name`,
  },
  {
    given: 'a readiness probe aimed at another host',
    mutate: (s) => (s.containers[0].readinessProbe.httpGet.host = '169.254.169.254'),
    rule: 'baseline/probe-host',
    field: `${T}.containers[0].readinessProbe.httpGet.host`,
  },
  {
    given: 'a preStop hook aimed at another host',
    mutate: (s) => (s.containers[1].lifecycle = { preStop: { tcpSocket: { host: '10.0.0.1', port: 9 } } }),
    rule: 'baseline/probe-host',
    field: `${T}.containers[1].lifecycle.preStop.tcpSocket.host`,
  },
  {
    given: 'an nfs volume',
    mutate: (s) => s.volumes.push({ name: 'share', nfs: { server: 'nas', path: '/x' } }),
    rule: 'restricted/volume-types',
    field: `${T}.volumes[2].nfs`,
  },
  {
    given: 'an init container that leaves allowPrivilegeEscalation unset',
    mutate: (s) => delete s.initContainers[0].securityContext.allowPrivilegeEscalation,
    rule: 'restricted/privilege-escalation',
    field: `${T}.initContainers[0].securityContext.allowPrivilegeEscalation`,
  },
  {
    given: 'a sidecar with runAsNonRoot false under a pod with true',
    mutate: (s) => (s.containers[1].securityContext.runAsNonRoot = false),
    rule: 'restricted/run-as-non-root',
    field: `${T}.containers[1].securityContext.runAsNonRoot`,
  },
  {
    given: 'a sidecar running as UID 0',
    mutate: (s) => (s.containers[1].securityContext.runAsUser = 0),
    rule: 'restricted/run-as-user',
    field: `${T}.containers[1].securityContext.runAsUser`,
  },
  {
    given: 'a pod running as UID 0',
    mutate: (s) => (s.securityContext.runAsUser = 0),
    rule: 'restricted/run-as-user',
    field: `${T}.securityContext.runAsUser`,
  },
  {
    given: 'a pod seccomp profile of Unconfined',
    mutate: (s) => (s.securityContext.seccompProfile = { type: 'Unconfined' }),
    rule: 'restricted/seccomp',
    field: `${T}.securityContext.seccompProfile.type`,
    alsoBreaks: ['baseline/seccomp'],
  },
  {
    given: 'a sidecar that does not drop ALL',
    mutate: (s) => (s.containers[1].securityContext.capabilities = { drop: ['NET_RAW'] }),
    rule: 'restricted/capabilities',
    field: `${T}.containers[1].securityContext.capabilities.drop`,
  },
  {
    given: 'a runtime-default capability added (CHOWN)',
    mutate: (s) => (s.containers[0].securityContext.capabilities.add = ['CHOWN']),
    rule: 'restricted/capabilities',
    field: `${T}.containers[0].securityContext.capabilities.add[0]`,
  },
];

const fields = (vs: readonly Violation[]): string[] => vs.map(formatViolation);

describe('checkRestricted |', () => {
  it('GIVEN a hardened Deployment with a sidecar and an init container THEN it has no violation', () => {
    expect(fields(checkRestricted(deployment()))).toEqual([]);
  });

  it.each(CASES)('GIVEN $given THEN it breaks $rule at $field', ({ mutate, rule, field, alsoBreaks = [] }) => {
    const d = deployment();
    mutate(d.spec.template.spec, d.spec.template);

    const violations = checkRestricted(d);

    expect(violations, fields(violations).join('\n')).toContainEqual(expect.objectContaining({ object: 'Deployment/web', rule, field }));
    // Nothing else fires: each fixture breaks only the controls it is about.
    expect(new Set(violations.map((v) => v.rule))).toEqual(new Set([rule, ...alsoBreaks]));
  });

  it('GIVEN the cases above THEN every rule of the standard has at least one failing fixture', () => {
    expect(new Set(CASES.map((c) => c.rule))).toEqual(new Set(RULES.map((r) => r.id)));
  });

  it('GIVEN a CronJob with a privileged container THEN the field path goes through the job template', () => {
    const cronJob = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'backup' },
      spec: { schedule: '@daily', jobTemplate: { spec: { template: deployment().spec.template } } },
    };
    cronJob.spec.jobTemplate.spec.template.spec.containers[0].securityContext.privileged = true;

    expect(checkRestricted(cronJob)).toEqual([
      expect.objectContaining({
        object: 'CronJob/backup',
        rule: 'baseline/privileged',
        field: 'spec.jobTemplate.spec.template.spec.containers[0].securityContext.privileged',
      }),
    ]);
  });

  it('GIVEN an ephemeral debug container without a securityContext THEN it is held to the same rules', () => {
    const d = deployment();
    d.spec.template.spec.ephemeralContainers = [{ name: 'debug', image: 'busybox' }];

    expect(checkRestricted(d).map((v) => `${v.rule} ${v.field}`)).toEqual([
      `restricted/privilege-escalation ${T}.ephemeralContainers[0].securityContext.allowPrivilegeEscalation`,
      `restricted/capabilities ${T}.ephemeralContainers[0].securityContext.capabilities.drop`,
    ]);
  });

  it('GIVEN no pod-level runAsNonRoot THEN each container that does not set it is reported', () => {
    const d = deployment();
    delete d.spec.template.spec.securityContext.runAsNonRoot;
    d.spec.template.spec.containers[0].securityContext.runAsNonRoot = true;

    expect(checkRestricted(d).map((v) => v.field)).toEqual([
      `${T}.containers[1].securityContext.runAsNonRoot`,
      `${T}.initContainers[0].securityContext.runAsNonRoot`,
    ]);
  });

  it('GIVEN pod-level runAsNonRoot false THEN it is reported once, at the pod', () => {
    const d = deployment();
    d.spec.template.spec.securityContext.runAsNonRoot = false;

    expect(checkRestricted(d).map((v) => v.field)).toEqual([`${T}.securityContext.runAsNonRoot`]);
  });

  it('GIVEN no pod-level seccomp profile THEN every container must set one itself', () => {
    const d = deployment();
    delete d.spec.template.spec.securityContext.seccompProfile;
    d.spec.template.spec.containers[0].securityContext.seccompProfile = { type: 'Localhost', localhostProfile: 'web.json' };

    expect(checkRestricted(d).map((v) => `${v.rule} ${v.field}`)).toEqual([
      `restricted/seccomp ${T}.containers[1].securityContext.seccompProfile.type`,
      `restricted/seccomp ${T}.initContainers[0].securityContext.seccompProfile.type`,
    ]);
  });

  it('GIVEN a Windows pod THEN the Linux-only controls are skipped but runAsNonRoot still applies', () => {
    const d = deployment();
    const spec = d.spec.template.spec;
    spec.os = { name: 'windows' };
    delete spec.securityContext.seccompProfile;
    for (const c of [...spec.containers, ...spec.initContainers]) c.securityContext = {};
    delete spec.securityContext.runAsNonRoot;

    expect(new Set(checkRestricted(d).map((v) => v.rule))).toEqual(new Set(['restricted/run-as-non-root']));
  });
});

describe('checkBaseline |', () => {
  it('GIVEN a minimally specified pod THEN baseline accepts it and restricted does not', () => {
    const [pod] = loadManifests(`
apiVersion: v1
kind: Pod
metadata: { name: plain }
spec:
  containers:
    - name: app
      image: nginx
`);

    expect(checkBaseline(pod!)).toEqual([]);
    expect(new Set(checkRestricted(pod!).map((v) => v.rule))).toEqual(
      new Set(['restricted/privilege-escalation', 'restricted/run-as-non-root', 'restricted/seccomp', 'restricted/capabilities']),
    );
  });

  it('GIVEN a baseline breach THEN checkBaseline reports it with the Pod field path', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { hostPID: true, containers: [{ name: 'a' }] } };

    expect(checkBaseline(pod)).toEqual([expect.objectContaining({ object: 'Pod/p', rule: 'baseline/host-namespaces', field: 'spec.hostPID' })]);
  });
});

describe('firstViolation |', () => {
  it('GIVEN only compliant objects and non-workloads THEN it returns undefined', () => {
    expect(firstViolation([{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' } }, deployment()])).toBeUndefined();
  });

  it('GIVEN a breach in the second workload THEN it returns that object and field', () => {
    const bad = deployment();
    bad.metadata.name = 'bad';
    bad.spec.template.spec.hostNetwork = true;

    expect(firstViolation([deployment(), bad])).toMatchObject({ object: 'Deployment/bad', field: `${T}.hostNetwork` });
  });
});

describe('podSpecsOf |', () => {
  const template = { metadata: { labels: { app: 'x' } }, spec: { containers: [] } };

  it.each([
    ['v1', 'Pod', { metadata: { name: 'x', labels: { app: 'x' } }, spec: { containers: [] } }, 'spec'],
    ['apps/v1', 'Deployment', { spec: { template } }, 'spec.template.spec'],
    ['apps/v1', 'StatefulSet', { spec: { template } }, 'spec.template.spec'],
    ['apps/v1', 'DaemonSet', { spec: { template } }, 'spec.template.spec'],
    ['apps/v1', 'ReplicaSet', { spec: { template } }, 'spec.template.spec'],
    ['batch/v1', 'Job', { spec: { template } }, 'spec.template.spec'],
    ['batch/v1', 'CronJob', { spec: { jobTemplate: { spec: { template } } } }, 'spec.jobTemplate.spec.template.spec'],
    ['argoproj.io/v1alpha1', 'Rollout', { spec: { template } }, 'spec.template.spec'],
  ])('GIVEN a %s %s THEN its pod spec is at %s', (apiVersion, kind, body, path) => {
    const [found] = podSpecsOf({ apiVersion, kind, ...body });

    expect(found).toMatchObject({ path, labels: { app: 'x' } });
  });

  it.each([
    ['v1', 'Service', { spec: { template } }],
    ['example.com/v1', 'Deployment', { spec: { template } }],
    ['argoproj.io/v1alpha1', 'Rollout', { spec: { workloadRef: { kind: 'Deployment', name: 'x' } } }],
  ])('GIVEN a %s %s THEN it has no pod template', (apiVersion, kind, body) => {
    expect(podSpecsOf({ apiVersion, kind, ...body })).toEqual([]);
  });
});

describe('Pod Security | the level each namespace enforces', () => {
  const namespace = (name: string, level?: string): Fixture => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: level ? { [ENFORCE_LABEL]: level } : {} } });
  /** The fixture with its pod made to run as root: restricted refuses it, baseline does not. */
  const rootPod = (ns: string): Fixture => {
    const d = deployment();
    d.metadata.namespace = ns;
    d.spec.template.spec.securityContext.runAsNonRoot = false;
    return d;
  };

  it('GIVEN namespaces enforcing restricted, baseline, privileged and none THEN only the restricted one refuses a root pod, at its own level', () => {
    const objects = [namespace('strict', 'restricted'), namespace('lax', 'baseline'), namespace('open', 'privileged'), namespace('plain'), ...['strict', 'lax', 'open', 'plain', 'foreign'].map(rootPod)];
    const found = enforcedViolations(objects);
    expect(found.map((v) => [v.namespace, v.level, v.rule])).toEqual([['strict', 'restricted', 'restricted/run-as-non-root']]);
  });

  it('GIVEN a privileged container under baseline THEN baseline refuses it', () => {
    const d = rootPod('lax');
    d.spec.template.spec.containers[0].securityContext.privileged = true;
    expect(enforcedViolations([namespace('lax', 'baseline'), d]).map((v) => v.rule)).toEqual(['baseline/privileged']);
  });
});
