import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { NOT_HELM_OWNED } from '../../src/render/helm/index.ts';
import { CHART_TOGGLES, loadEnvironment, UMBRELLA_CHART, UMBRELLA_SWITCHES } from '../../src/stacks/crumpet/index.ts';
import { PROJECT_ROOT, tempDir } from '../_helpers.ts';
import { CHARTS as COMPONENT_CHARTS, ENVIRONMENTS } from '../stacks/crumpet/_output.ts';
import { CHARTS, HELMS, normalize, schemaError, type Helm } from './_helm.ts';

/*
 * The umbrella chart installs the whole environment: `helm template` of charts-out/crumpet with
 * values-<env>.yaml renders every object of dist/<env> but the kinds Helm does not own, and each
 * switch turns off exactly its part. Expected sets come from dist/, by file (one cdk8s chart per
 * file) and by kind; every real Helm binary renders and lints it.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

const key = (o: Obj): string => `${o.kind}/${o.metadata.name}`;
const owned = (o: Obj): boolean => !(o.kind in NOT_HELM_OWNED);

/** dist/<env>'s objects by cdk8s chart (`<chart>.k8s.yaml`, `00-cluster.k8s.yaml` is `cluster`). */
function distByChart(env: string): Map<string, Obj[]> {
  const dir = join(PROJECT_ROOT, 'dist', env);
  return new Map(readdirSync(dir).sort().map((f) => [f.replace(/^\d+-/, '').replace(/\.k8s\.yaml$/, ''), yaml.loadAll(readFileSync(join(dir, f), 'utf8')) as Obj[]] as const));
}

/** What `global.<switch>.enabled=false` removes from dist/<env>: its charts' objects, and the component objects of the kinds it also switches. */
function partOf(env: string, key: string): Obj[] {
  const charts = UMBRELLA_SWITCHES.find((w) => w.key === key)!.charts;
  const kinds = CHART_TOGGLES.filter((t) => t.part === key).flatMap((t) => t.kinds);
  return [...distByChart(env)].flatMap(([chart, objects]) => objects.filter((o) => charts.includes(chart) || kinds.includes(o.kind))).filter(owned);
}

/** The umbrella with its dependencies built, in a copy (dependency build writes into charts/). */
async function built(h: Helm): Promise<{ dir: string; build: Awaited<ReturnType<Helm['run']>> }> {
  const copy = tempDir('crumpet-umbrella');
  cpSync(CHARTS, copy, { recursive: true });
  const dir = join(copy, UMBRELLA_CHART);
  return { dir, build: await h.run('dependency', 'build', dir) };
}

describe.each(HELMS)(`${UMBRELLA_CHART} (umbrella) with $name |`, async (h) => {
  const { dir, build } = await built(h);
  const values = (env: string) => join(dir, `values-${env}.yaml`);
  const namespaces = Object.fromEntries(await Promise.all(ENVIRONMENTS.map(async (e) => [e, (await loadEnvironment(e)).namespace] as const)));
  const template = async (env: string, ...args: string[]): Promise<Obj[]> => {
    const out = await h.run('template', 'crumpet', dir, '-f', values(env), '-n', namespaces[env]!, ...args);
    expect(out.code, out.stderr).toBe(0);
    return (yaml.loadAll(out.stdout) as Obj[]).filter((o) => o && !o.metadata?.annotations?.['helm.sh/hook']);
  };
  // NOTES.txt as `helm install` renders it, without a cluster: through `tpl` in a template of another copy.
  const probed = tempDir('crumpet-umbrella-notes');
  cpSync(dir, probed, { recursive: true });
  const NOTES_PROBE = 'templates/zz-notes-probe.yaml';
  writeFileSync(join(probed, NOTES_PROBE), `notes: {{ tpl ${JSON.stringify(readFileSync(join(dir, 'templates/NOTES.txt'), 'utf8'))} . | toJson }}\n`);
  const notes = async (env: string, ...args: string[]): Promise<string> => {
    const out = await h.run('template', 'crumpet', probed, '-f', values(env), '-n', namespaces[env]!, '--show-only', NOTES_PROBE, ...args);
    expect(out.code, out.stderr).toBe(0);
    return (yaml.load(out.stdout) as { notes: string }).notes;
  };

  it('GIVEN another release name, with or without an environment\'s values file THEN every component keeps its dist/ names, by which the umbrella\'s own objects call it', async () => {
    const distNames = new Set(ENVIRONMENTS.flatMap((env) => [...distByChart(env).values()].flat().map(key)));
    for (const args of [[], ...ENVIRONMENTS.map((env) => ['-f', values(env), '-n', namespaces[env]!])]) {
      const out = await h.run('template', 'another-release', dir, ...args);
      expect(out.code, out.stderr).toBe(0);
      const workloads = (yaml.loadAll(out.stdout) as Obj[]).filter((o) => o && ['Service', 'Deployment', 'StatefulSet', 'CronJob'].includes(o.kind));
      expect(workloads.length).toBeGreaterThan(0);
      expect(workloads.map(key).filter((k) => !distNames.has(k)), args.join(' ') || 'no values file').toEqual([]);
    }
  });

  it('GIVEN its file:// dependencies THEN helm dependency build resolves every component chart', () => {
    expect(build.code, build.stderr).toBe(0);
    const deps = (yaml.load(readFileSync(join(dir, 'Chart.yaml'), 'utf8')) as Obj).dependencies.map((d: Obj) => d.name);
    expect(deps.sort()).toEqual([...COMPONENT_CHARTS]);
  });

  it.each(ENVIRONMENTS)('GIVEN values-%s.yaml THEN helm lint --strict passes', async (env) => {
    const lint = await h.run('lint', '--strict', dir, '-f', values(env));
    expect(lint.code, lint.stdout + lint.stderr).toBe(0);
    expect(lint.stdout).toContain('0 chart(s) failed');
  });

  it.each(ENVIRONMENTS)('GIVEN values-%s.yaml with every switch on THEN it renders exactly the objects of dist/<env> but those Helm does not own, Helm-only labels aside', async (env) => {
    const rendered = await template(env);
    const dist = [...distByChart(env).values()].flat();
    const expected = dist.filter(owned);
    // The exclusions are the documented kinds, and only the Namespace is one today.
    expect(dist.filter((o) => !owned(o)).map((o) => o.kind)).toEqual(['Namespace']);
    expect(rendered.map(key).sort()).toEqual(expected.map(key).sort());
    for (const d of expected) expect(normalize(rendered.find((r) => key(r) === key(d))), key(d)).toEqual(normalize(d));
  });

  describe.each(UMBRELLA_SWITCHES.map((w) => w.key))('global.%s.enabled=false', (part) => {
    it.each(ENVIRONMENTS)('GIVEN values-%s.yaml THEN exactly that part\'s objects of dist/<env> disappear, and the others are unchanged', async (env) => {
      const on = await template(env);
      const off = await template(env, '--set', `global.${part}.enabled=false`);
      const gone = partOf(env, part);
      // An environment may have none of a part (its feature off): nothing disappears then, but some environment has it.
      expect(ENVIRONMENTS.some((e) => partOf(e, part).length > 0), part).toBe(true);
      const offKeys = new Set(off.map(key));
      expect(on.map(key).filter((k) => !offKeys.has(k)).sort()).toEqual(gone.map(key).sort());
      for (const o of off) expect(normalize(o), key(o)).toEqual(normalize(on.find((r) => key(r) === key(o))));
    });
  });

  it.each(ENVIRONMENTS)('GIVEN values-%s.yaml WHEN NOTES.txt renders THEN it names every object of its parts, every dashboard, and the Pod Security labels of dist/\'s Namespace', async (env) => {
    const text = await notes(env);
    const byChart = distByChart(env);
    for (const [chart, objects] of byChart) {
      if ((COMPONENT_CHARTS as readonly string[]).includes(chart)) continue;
      for (const o of objects.filter(owned)) expect(text, `${chart}: ${key(o)}`).toContain(key(o));
    }
    const dashboards = [...byChart.values()].flat()
      .filter((o) => o.kind === 'ConfigMap')
      .flatMap((o) => Object.entries(o.data as Record<string, string>).filter(([f]) => f.endsWith('.json')).map(([, json]) => JSON.parse(json) as Obj))
      .filter((d) => typeof d.uid === 'string');
    expect(dashboards.length).toBeGreaterThan(0);
    for (const d of dashboards) expect(text).toContain(`${d.title}: /d/${d.uid}`);
    const namespace = [...byChart.values()].flat().find((o) => o.kind === 'Namespace')!;
    const labels = Object.entries(namespace.metadata.labels as Record<string, string>).filter(([k]) => k.startsWith('pod-security.kubernetes.io/'));
    expect(labels.length).toBeGreaterThan(0);
    const command = text.split('\n').find((l) => l.includes(`kubectl label namespace ${namespaces[env]} `))!;
    expect(command.trim().split(' ').filter((w) => w.includes('=')).sort()).toEqual(labels.map(([k, v]) => `${k}=${v}`).sort());
  });

  it('GIVEN global.observability.enabled=false WHEN NOTES.txt renders THEN it says the observability is not installed and lists no dashboard', async () => {
    const text = await notes(ENVIRONMENTS[0]!, '--set', 'global.observability.enabled=false');
    expect(text).toContain('not installed (global.observability.enabled=false)');
    expect(text).not.toContain('/d/');
  });

  it('GIVEN --set web.replicaCount=5 THEN only the web autoscaler floor changes (the autoscaler owns the replicas)', async () => {
    const env = ENVIRONMENTS[0]!;
    const base = await template(env);
    const changed = await template(env, '--set', 'web.replicaCount=5');
    const changedKeys = base.filter((b) => JSON.stringify(normalize(b)) !== JSON.stringify(normalize(changed.find((c) => key(c) === key(b))))).map(key);
    expect(changedKeys).toEqual(['HorizontalPodAutoscaler/web']);
    expect(changed.find((o) => key(o) === 'HorizontalPodAutoscaler/web')!.spec.minReplicas).toBe(5);
  });

  it.each([
    ['webb.replicaCount=5', '(root)', 'Additional property webb is not allowed', "additional properties 'webb' not allowed"],
    ['environment=retired', 'environment', 'environment must be one of the following', "value must be one of"],
    ['global.backups.enabled=yes', 'global.backups.enabled', 'Invalid type. Expected: boolean, given: string', 'got string, want boolean'],
  ])('GIVEN --set %s THEN the umbrella schema rejects it naming the key', async (set, path, helm3, helm4) => {
    const out = await h.run('template', 'crumpet', dir, '--set', set);
    expect(out.code).not.toBe(0);
    expect(out.stderr).toMatch(schemaError(h, path, helm3.replace(/\./g, '\\.'), helm4));
  });
});
