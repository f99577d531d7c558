import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { listEnvironments, type Overrides } from '../../src/config/index.ts';
import { SYNC_WAVE_ANNOTATION } from '../../src/lib/index.ts';
import { APPLICATIONS_FOLDER, applicationFile, PlatformError, synthesize, validateObjects, type KubeObject, type Stack } from '../../src/render/index.ts';
import { STACKS } from '../../src/stacks/index.ts';
import { PROJECT_ROOT } from '../_helpers.ts';

/* The Argo CD Applications of dist/argocd/ and the sync waves of the folders they deploy. */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

const DIST = join(PROJECT_ROOT, 'dist');
const load = (dir: string): Obj[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => yaml.loadAll(readFileSync(join(dir, f), 'utf8')) as Obj[]);

/** Every environment of every stack, with the folder the stack renders it to. */
const ENVIRONMENTS = STACKS.flatMap((stack) => listEnvironments(stack.model.environmentsDir).map((env) => ({ stack, env, folder: stack.distFolder(env) })));
/** The committed folders below dist/ that hold manifests, but the Applications' own. */
const FOLDERS_ON_DISK = readdirSync(DIST, { recursive: true, withFileTypes: true })
  .filter((d) => d.isFile() && d.name.endsWith('.yaml'))
  .map((d) => relative(PROJECT_ROOT, d.parentPath))
  .filter((dir, i, all) => all.indexOf(dir) === i && dir !== APPLICATIONS_FOLDER)
  .sort();
const APPLICATIONS = load(join(PROJECT_ROOT, APPLICATIONS_FOLDER));

const waveOf = (o: Obj): number => Number(o.metadata?.annotations?.[SYNC_WAVE_ANNOTATION] ?? 0);
const id = (o: Obj): string => `${o.kind}/${o.metadata.name}`;

/** The Application one synth of `stack`'s `env` writes, with `values` merged onto the model. */
async function applicationFor(stack: Stack<unknown>, env: string, values: object): Promise<Obj> {
  const overrides: Overrides = { files: [{ file: 'test.yaml', values }], sets: [] };
  const { output } = await synthesize([stack], { environments: [env], overrides });
  return yaml.load(output.files.get(applicationFile(stack, env))!) as Obj;
}

describe('Argo CD Applications |', () => {
  it('GIVEN every stack and environment THEN the stacks render exactly the committed folders', () => {
    expect(ENVIRONMENTS.map((e) => e.folder).sort()).toEqual(FOLDERS_ON_DISK);
  });

  it('GIVEN dist/argocd THEN every committed folder is the path of exactly one Application, and no Application points elsewhere', () => {
    for (const folder of FOLDERS_ON_DISK) {
      expect(APPLICATIONS.filter((a) => a.spec.source.path === folder).map((a) => a.metadata.name), folder).toHaveLength(1);
    }
    expect(APPLICATIONS.map((a) => a.spec.source.path).sort()).toEqual(FOLDERS_ON_DISK);
  });

  it('GIVEN dist/argocd THEN each Application validates against the CRD, and an unknown field is refused', async () => {
    expect(await validateObjects(APPLICATIONS as KubeObject[])).toEqual([]);
    const misspelled = { ...APPLICATIONS[0], spec: { ...APPLICATIONS[0]!.spec, syncPolicy: { ...APPLICATIONS[0]!.spec.syncPolicy, selfheal: true } } };
    expect(await validateObjects([misspelled as unknown as KubeObject])).toEqual([`Application/${APPLICATIONS[0]!.metadata.name} spec.syncPolicy.selfheal: unknown field`]);
  });

  describe.each(ENVIRONMENTS.map((e) => [`${e.stack.name}/${e.env}`, e] as const))('%s', (_label, { stack, env, folder }) => {
    const objects = load(join(PROJECT_ROOT, folder));
    const application = APPLICATIONS.find((a) => a.spec.source.path === folder)!;

    it("THEN its Application deploys into the folder's Namespace, which the folder creates", () => {
      const namespaces = objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
      expect(namespaces).toEqual([application.spec.destination.namespace]);
      expect(application.spec.syncPolicy.syncOptions).toContain('CreateNamespace=false');
    });

    it('THEN the replicas of every autoscaled workload are ignored, and nothing else is', () => {
      const scaled = objects
        .filter((o) => o.kind === 'HorizontalPodAutoscaler')
        .map((h) => `${h.spec.scaleTargetRef.kind}/${h.spec.scaleTargetRef.name}:/spec/replicas`)
        .sort();
      const ignored = (application.spec.ignoreDifferences ?? []).flatMap((d: Obj) => d.jsonPointers.map((p: string) => `${d.kind}/${d.name}:${p}`)).sort();
      expect(ignored).toEqual(scaled);
    });

    it('THEN every Namespace is in an earlier sync wave than every namespaced object', () => {
      const namespaces = objects.filter((o) => o.kind === 'Namespace');
      const namespaced = objects.filter((o) => o.metadata.namespace !== undefined);
      expect(namespaced.length).toBeGreaterThan(0);
      for (const ns of namespaces) for (const o of namespaced) expect(waveOf(ns), `${id(ns)} before ${id(o)}`).toBeLessThan(waveOf(o));
    });

    it('THEN every object an issuer or a secret store backs is in a later sync wave than the one it references, and workloads come after both', () => {
      const refs: [Obj, Obj][] = [];
      for (const o of objects) {
        const ref = o.kind === 'Certificate' ? o.spec.issuerRef : o.kind === 'ExternalSecret' ? o.spec.secretStoreRef : undefined;
        if (ref) {
          for (const target of objects.filter((t) => t.kind === ref.kind && t.metadata.name === ref.name)) refs.push([target, o]);
        }
        // A CA issuer signs with the Secret of a Certificate.
        if (o.spec?.ca) for (const cert of objects.filter((t) => t.kind === 'Certificate' && t.spec.secretName === o.spec.ca.secretName)) refs.push([cert, o]);
      }
      for (const [needed, needing] of refs) expect(waveOf(needed), `${id(needed)} before ${id(needing)}`).toBeLessThan(waveOf(needing));
      const backed = objects.filter((o) => ['Certificate', 'ExternalSecret', 'SealedSecret', 'Issuer', 'ClusterIssuer'].includes(o.kind));
      const workloads = objects.filter((o) => ['Deployment', 'StatefulSet', 'CronJob'].includes(o.kind));
      for (const b of backed) for (const w of workloads) expect(waveOf(b), `${id(b)} before ${id(w)}`).toBeLessThan(waveOf(w));
    });

    it('WHEN the model changes repository, revision, namespace and switches THEN the Application follows', async () => {
      const values = {
        namespace: `gitops-${env}`,
        gitops: { repoURL: 'git@git.example.net:ops/elsewhere.git', targetRevision: 'release-7', prune: false, selfHeal: false },
      };
      const changed = await applicationFor(stack, env, values);
      expect(changed.spec.source).toEqual({ ...application.spec.source, repoURL: values.gitops.repoURL, targetRevision: 'release-7', path: folder });
      expect(changed.spec.destination.namespace).toBe(values.namespace);
      expect(changed.spec.syncPolicy.automated).toEqual({ prune: false, selfHeal: false });
      expect(changed.metadata.finalizers).toBeUndefined();
    });

    it('WHEN the environment leaves the switches out THEN the sync prunes and self-heals, and deleting the Application deletes what it deployed', () => {
      expect(application.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
      expect(application.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    });
  });

  describe('synthesis |', () => {
    const [first] = ENVIRONMENTS;

    it('GIVEN one environment selected WHEN synthesized THEN its folder and its Application alone are replaced', async () => {
      const { output } = await synthesize(STACKS, { stacks: [first!.stack.name], environments: [first!.env] });
      expect([...output.owned].sort()).toEqual([applicationFile(first!.stack, first!.env), first!.folder].sort());
    });

    it('GIVEN an environment whose folder is the Applications folder WHEN synthesized THEN synth refuses it', async () => {
      const stack: Stack<unknown> = { ...first!.stack, distFolder: () => APPLICATIONS_FOLDER };
      await expect(synthesize([stack], { environments: [first!.env] })).rejects.toThrow(PlatformError);
      await expect(synthesize([stack], { environments: [first!.env] })).rejects.toThrow(/dist\/argocd is the folder of the Argo CD Applications: rename the environment/);
    });

    it('GIVEN a destination namespace the environment does not render WHEN synthesized THEN synth refuses it', async () => {
      const stack: Stack<unknown> = { ...first!.stack, gitOps: (config) => ({ ...first!.stack.gitOps(config), namespace: 'elsewhere' }) };
      await expect(synthesize([stack], { environments: [first!.env] })).rejects.toThrow(/gitops: the environment renders no Namespace "elsewhere"/);
    });
  });
});
