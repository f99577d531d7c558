import { describe, expect, it } from 'vitest';
import { podSpecsOf, type KubeObject } from '../../_analysis/index.ts';
import { APP_SECRETS } from '../../../src/stacks/crumpet/index.ts';
import { distObjects, ENVIRONMENTS, renderedObjects, type Output } from './_output.ts';

/*
 * The Kubernetes API access of every workload, computed from the rendered RBAC objects and pod
 * templates of every environment: dist/ as committed, and rendered with the backups.secretData
 * switch on, under both secrets providers.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;
interface Rule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly verbs: readonly string[];
}

const RECIPIENT = `age1${'q'.repeat(58)}`;

/** The objects through which each secrets provider delivers the application Secrets. */
const SECRET_SOURCE = {
  'external-secrets': { apiGroup: 'external-secrets.io', resource: 'externalsecrets', kind: 'ExternalSecret' },
  'sealed-secrets': { apiGroup: 'bitnami.com', resource: 'sealedsecrets', kind: 'SealedSecret' },
} as const;
type Provider = keyof typeof SECRET_SOURCE;

/**
 * The API access declared for each job (README, "Backups"): the only service accounts with a
 * token. `delivered` are the Secrets the output delivers, readable by name only when the
 * secretData switch is on.
 */
function declaredRules(provider: Provider, delivered?: readonly string[]): Record<string, readonly Rule[]> {
  const source = SECRET_SOURCE[provider];
  return {
    'index-volume-snapshots': [
      { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['get', 'list'] },
      { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshots'], verbs: ['create', 'delete', 'get', 'list'] },
    ],
    'config-backup': [
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] },
      { apiGroups: [source.apiGroup], resources: [source.resource], verbs: ['get', 'list'] },
      ...(delivered ? [{ apiGroups: [''], resources: ['secrets'], resourceNames: delivered, verbs: ['get'] }] : []),
    ],
  };
}

/** A rule with its lists sorted and absent lists left out, so rules compare by meaning. */
function normalRule(rule: Rule | Obj): string {
  const r = rule as Obj;
  return JSON.stringify(
    Object.fromEntries(
      ['apiGroups', 'resources', 'resourceNames', 'verbs', 'nonResourceURLs']
        .filter((k) => r[k] !== undefined)
        .map((k) => [k, Array.isArray(r[k]) ? [...r[k]].sort() : r[k]]),
    ),
  );
}

const rulesOf = (rules: readonly (Rule | Obj)[]): string[] => rules.map(normalRule).sort();
const ofKind = (objects: readonly KubeObject[], kind: string): Obj[] => objects.filter((o) => o.kind === kind) as Obj[];

/** The Secrets the output delivers: the targets of its ExternalSecrets or SealedSecrets. */
function deliveredSecrets(objects: readonly KubeObject[], provider: Provider): string[] {
  return ofKind(objects, SECRET_SOURCE[provider].kind)
    .map((o) => (o.spec?.target?.name ?? o.spec?.template?.metadata?.name ?? o.metadata.name) as string)
    .sort();
}

/** The config backup's shell script (the `bash -c` argument), one pipeline per line. */
function configBackupScript(objects: readonly KubeObject[]): string[] {
  const job = ofKind(objects, 'CronJob').find((o) => o.metadata.name === 'config-backup');
  const argv: string[] = [...(job?.spec.jobTemplate.spec.template.spec.containers[0].command ?? []), ...(job?.spec.jobTemplate.spec.template.spec.containers[0].args ?? [])];
  expect(argv.slice(0, 2), 'config-backup runs a bash script').toEqual(['bash', '-c']);
  return String(argv[2]).split('\n');
}

/** The resources and object names a pipeline's `kubectl get` reads, if it starts with one. */
function kubectlGet(line: string): { resources: string[]; names: string[] } | undefined {
  const argv = line.split('|')[0]!.trim().split(/\s+/);
  if (argv[0] !== 'kubectl' || argv[1] !== 'get') return undefined;
  const words: string[] = [];
  for (let i = 2; i < argv.length; i++) {
    if (!argv[i]!.startsWith('-')) words.push(argv[i]!);
    else if (!argv[i]!.includes('=')) i++;
  }
  return { resources: words[0]?.split(',') ?? [], names: words.slice(1) };
}

/** Whether a pipeline reads Secrets (`secret`, `secrets`, `secrets.v1`, ...: core group only). */
const readsSecrets = (line: string): boolean => (kubectlGet(line)?.resources ?? []).some((r) => /^secrets?(\.v1)?\.?$/.test(r));

interface Variant extends Output {
  readonly provider: Provider;
  readonly secretData: boolean;
}

const sealed = {
  provider: 'sealed-secrets',
  sealed: Object.fromEntries(Object.entries(APP_SECRETS).map(([name, keys]) => [name, Object.fromEntries(keys.map((k) => [k, 'AgBy3i4OJSWK+PiTySYZZA==']))])),
};

describe('RBAC of every workload |', async () => {
  const variants: Variant[] = (
    await Promise.all(
      ENVIRONMENTS.map(async (env) => [
        { name: `dist/${env}`, objects: distObjects(env), provider: 'external-secrets' as const, secretData: false },
        {
          name: `${env} with backups.secretData`,
          objects: await renderedObjects(env, { sets: [`backups.secretData.ageRecipient=${RECIPIENT}`] }),
          provider: 'external-secrets' as const,
          secretData: true,
        },
        {
          name: `${env} with sealed-secrets and backups.secretData`,
          objects: await renderedObjects(env, { files: [{ file: 'rbac.yaml', values: { secrets: sealed, backups: { secretData: { ageRecipient: RECIPIENT } } } }] }),
          provider: 'sealed-secrets' as const,
          secretData: true,
        },
        {
          name: `${env} with sealed-secrets`,
          objects: await renderedObjects(env, { files: [{ file: 'rbac.yaml', values: { secrets: sealed } }] }),
          provider: 'sealed-secrets' as const,
          secretData: false,
        },
      ]),
    )
  ).flat();

  it('GIVEN the variants THEN each delivers application Secrets through its provider', () => {
    for (const v of variants) expect(deliveredSecrets(v.objects, v.provider).length, v.name).toBeGreaterThan(0);
  });

  it.each(variants.map((v) => [v.name, v] as const))(
    'GIVEN %s THEN every Role grants exactly the rules declared for its job (apiGroups, resources, resourceNames, verbs) and every declared job has its Role',
    (_name, v) => {
      const declared = declaredRules(v.provider, v.secretData ? deliveredSecrets(v.objects, v.provider) : undefined);
      const roles = ofKind(v.objects, 'Role');
      const wrong = [
        ...roles.flatMap((r) => {
          const [want, got] = [rulesOf(declared[r.metadata.name] ?? []), rulesOf(r.rules ?? [])];
          return JSON.stringify(got) === JSON.stringify(want) ? [] : [`Role/${r.metadata.name} rules must be exactly ${want.join(' ')}, got ${got.join(' ')}`];
        }),
        ...Object.keys(declared)
          .filter((job) => !roles.some((r) => r.metadata.name === job))
          .map((job) => `Role/${job} is declared but not rendered`),
      ];
      expect(wrong).toEqual([]);
    },
  );

  it.each(variants.map((v) => [v.name, v] as const))(
    'GIVEN %s THEN no rule has a wildcard in apiGroups, resources, resourceNames or verbs, and nothing is cluster-wide',
    (_name, v) => {
      const wildcards = ofKind(v.objects, 'Role').flatMap((r) =>
        (r.rules ?? []).flatMap((rule: Obj, i: number) =>
          ['apiGroups', 'resources', 'resourceNames', 'verbs']
            .filter((k) => (rule[k] ?? []).some((x: string) => x.includes('*')))
            .map((k) => `Role/${r.metadata.name} rules[${i}].${k} must name no wildcard, got ${JSON.stringify(rule[k])}`),
        ),
      );
      const clusterWide = v.objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding').map((o) => `${o.kind}/${o.metadata?.name} must not exist`);
      expect([...wildcards, ...clusterWide]).toEqual([]);
    },
  );

  it.each(variants.map((v) => [v.name, v] as const))(
    'GIVEN %s THEN every RoleBinding binds its job\'s own Role to exactly the job\'s ServiceAccount',
    (_name, v) => {
      const declared = Object.keys(declaredRules(v.provider));
      const bindings = ofKind(v.objects, 'RoleBinding');
      expect(bindings.map((b) => b.metadata.name).sort(), 'RoleBindings').toEqual([...declared].sort());
      for (const b of bindings) {
        expect(b.roleRef, `RoleBinding/${b.metadata.name} roleRef`).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: b.metadata.name });
        expect(b.subjects, `RoleBinding/${b.metadata.name} subjects`).toEqual([{ kind: 'ServiceAccount', name: b.metadata.name }]);
      }
    },
  );

  it.each(variants.map((v) => [v.name, v] as const))(
    'GIVEN %s THEN only the declared jobs\' ServiceAccounts and pods mount a token, and every pod runs under its own ServiceAccount',
    (_name, v) => {
      const declared = new Set(Object.keys(declaredRules(v.provider)));
      const accounts = new Map(ofKind(v.objects, 'ServiceAccount').map((sa) => [sa.metadata.name as string, sa]));
      const wrong: string[] = [];
      for (const [name, sa] of accounts) {
        // The API default is to mount: only an explicit false keeps the token out.
        const mounts = sa.automountServiceAccountToken !== false;
        if (mounts !== declared.has(name)) wrong.push(`ServiceAccount/${name} automountServiceAccountToken must be ${declared.has(name)}, got ${sa.automountServiceAccountToken}`);
      }
      for (const o of v.objects) {
        for (const pod of podSpecsOf(o)) {
          const spec = pod.spec as Obj;
          const account = spec.serviceAccountName ?? 'default';
          if (account !== o.metadata?.name) wrong.push(`${o.kind}/${o.metadata?.name} ${pod.path}.serviceAccountName must be its own, got ${account}`);
          const mounts = (spec.automountServiceAccountToken ?? accounts.get(account)?.automountServiceAccountToken) !== false;
          if (mounts !== declared.has(account)) wrong.push(`${o.kind}/${o.metadata?.name} ${pod.path}.automountServiceAccountToken must be ${declared.has(account)}, got ${spec.automountServiceAccountToken}`);
        }
      }
      expect(wrong).toEqual([]);
    },
  );

  it.each(variants.filter((v) => !v.secretData).map((v) => [v.name, v] as const))(
    'GIVEN %s (backups.secretData off, the default) THEN no Role grants anything on secrets and the config backup reads none',
    (_name, v) => {
      const grants = ofKind(v.objects, 'Role').filter((r) => (r.rules ?? []).some((rule: Obj) => (rule.resources ?? []).includes('secrets')));
      expect(grants.map((r) => `Role/${r.metadata.name} must not grant secrets`)).toEqual([]);
      expect(configBackupScript(v.objects).filter(readsSecrets), 'config-backup pipelines reading secrets').toEqual([]);
    },
  );

  it.each(variants.filter((v) => v.secretData).map((v) => [v.name, v] as const))(
    'GIVEN %s THEN the config backup reads only the delivered Secrets, never a certificate key, and encrypts them with age before the upload',
    (_name, v) => {
      const delivered = deliveredSecrets(v.objects, v.provider);
      const secretRules = ofKind(v.objects, 'Role').flatMap((r) =>
        (r.rules ?? []).filter((rule: Obj) => (rule.resources ?? []).includes('secrets')).map((rule: Obj) => ({ role: r.metadata.name, rule })),
      );
      expect(secretRules.map((s) => s.role)).toEqual(['config-backup']);
      expect([...secretRules[0]!.rule.resourceNames].sort(), 'resourceNames of the secrets rule').toEqual(delivered);
      const certificateSecrets = ofKind(v.objects, 'Certificate').map((c) => c.spec.secretName as string);
      expect(certificateSecrets.length).toBeGreaterThan(0);
      expect(delivered.filter((s) => certificateSecrets.includes(s)), 'certificate keys among the readable Secrets').toEqual([]);

      const reads = configBackupScript(v.objects).filter(readsSecrets);
      expect(reads.length, 'config-backup pipelines reading secrets').toBe(1);
      for (const line of reads) {
        const stages = line.split('|').map((s) => s.trim());
        const encrypt = stages.findIndex((s) => s === `age -r ${RECIPIENT}`);
        const upload = stages.findIndex((s) => /^aws s3 cp\b/.test(s));
        expect(encrypt, `config-backup "${line}" must pipe through age -r ${RECIPIENT}`).toBeGreaterThan(0);
        expect(upload, `config-backup "${line}" must upload only after age`).toBe(encrypt + 1);
        expect([...kubectlGet(line)!.names].sort(), 'Secrets the pipeline reads').toEqual(delivered);
      }
      expect(configBackupScript(v.objects)[0], 'the script stops at the first failing stage').toBe('set -euo pipefail');
    },
  );
});
