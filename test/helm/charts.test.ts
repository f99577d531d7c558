import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { applyOverrides } from '../../src/config/index.ts';
import { renderApp } from '../../src/render/index.ts';
import { CRUMPET_COMPONENTS, CrumpetApp, loadEnvironment } from '../../src/stacks/crumpet/index.ts';
import { crumpetChecks } from '../../src/stacks/crumpet/model/index.ts';
import { PROJECT_ROOT, tempDir } from '../_helpers.ts';
import { CHARTS as CRUMPET_CHARTS, ENVIRONMENTS } from '../stacks/crumpet/_output.ts';
import { batchableCall, batchedRefusals, batchedTemplate, schemaErrorsByChart, templateChart, type Refusal } from './_batch.ts';
import { CHARTS, HELMS, normalize, schemaError, type Helm, type HelmResult } from './_helm.ts';

/* The generated charts, rendered and linted by every real Helm binary of test/helm/_helm.ts (a current Helm 3 and Helm 4). */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

const charts = [...CRUMPET_CHARTS];
const environments = ENVIRONMENTS;

const chartDirs = charts.map((c) => join(CHARTS, c));

/** The objects `h`'s `helm template` renders, without test hooks (helm-only by design). */
function templater(h: Helm) {
  return async (release: string, chart: string, ...args: string[]): Promise<Obj[]> => {
    const out = await templateChart(h, release, chart.startsWith('/') ? chart : join(CHARTS, chart), args, chartDirs);
    expect(out.code, out.stderr).toBe(0);
    return (yaml.loadAll(out.stdout) as Obj[]).filter((o) => o && !o.metadata?.annotations?.['helm.sh/hook']);
  };
}


const key = (o: Obj): string => `${o.kind}/${o.metadata.name}`;
const defaults = (chart: string): Obj => yaml.load(readFileSync(join(CHARTS, chart, 'values.yaml'), 'utf8')) as Obj;
/** `--set` values excluding every instance of the language with the fewest in `valuesFile`. */
function excludeEvery(valuesFile: string): string[] {
  const { languages } = yaml.load(readFileSync(valuesFile, 'utf8')) as { languages: { code: string; replicas: number }[] };
  const least = [...languages].sort((a, b) => a.replicas - b.replicas)[0]!;
  return [Array.from({ length: least.replicas }, (_, k) => `instanceOverrides[${k}].language=${least.code},instanceOverrides[${k}].instance=${k},instanceOverrides[${k}].excluded=true`).join(',')];
}
const isWorkload = (o: Obj): boolean => o.kind === 'Deployment' || o.kind === 'StatefulSet';
/** What runs a stateless chart's pods by default: its Rollout where rollout.enabled, else its Deployment. */
const ownerKind = (chart: string): string => (defaults(chart).rollout?.enabled ? 'Rollout' : 'Deployment');
/** The replica count knob: per language for CIN nodes, `replicaCount` elsewhere. */
const replicasKey = (chart: string): string => (chart === 'cin-node' ? 'languages[0].replicas' : 'replicaCount');

/** A value a chart's values.schema.json refuses (one --set), the error `h` prints naming its key, and the test that gives it. */
interface RefusedValue {
  readonly set: string;
  readonly message: RegExp;
  readonly test: 'every chart' | 'rollout' | 'edge values' | 'network values';
}

/**
 * Helm 4's error for an unknown key `key` of an object: one error per object lists every unknown
 * key given with it (`additional properties 'a', 'b' not allowed`), where Helm 3 words one per key.
 */
const unknownKey = (key: string): string => `additional properties ('[^']+', )*'${key}'(, '[^']+')* not allowed`;

/** Every value the tests below give `chart` for its values.schema.json to refuse. */
function refusedValues(h: Helm, chart: string): RefusedValue[] {
  const refused: RefusedValue[] = [
    { test: 'every chart', set: `${replicasKey(chart)}=-1`, message: schemaError(h, replicasKey(chart).replace('[0]', '.0'), 'Must be greater than or equal to 0', 'minimum: got -1, want 0') },
    { test: 'every chart', set: 'image.tag=1', message: schemaError(h, 'image.tag', 'Invalid type\\. Expected: string, given: integer', 'got number, want string') },
    { test: 'every chart', set: 'replica=3', message: schemaError(h, '(root)', 'Additional property replica is not allowed', unknownKey('replica')) },
    { test: 'every chart', set: 'resources.requests.memory=512MB', message: schemaError(h, 'resources.requests.memory', 'Does not match pattern', "'512MB' does not match pattern") },
  ];
  // A chart without a Rollout variant has no such value.
  if (!('rollout' in defaults(chart))) {
    refused.push({ test: 'rollout', set: 'rollout.enabled=true', message: schemaError(h, '(root)', 'Additional property rollout is not allowed', unknownKey('rollout')) });
  }
  if (chart === 'envoy-edge') {
    refused.push(
      { test: 'edge values', set: 'hosts={Not_A_Host}', message: schemaError(h, 'hosts.0', 'Does not match pattern', "'Not_A_Host' does not match pattern") },
      { test: 'edge values', set: 'configFiles.bootstrap.x=y', message: schemaError(h, 'configFiles', 'Additional property bootstrap is not allowed', unknownKey('bootstrap')) },
    );
  }
  if (chart === 'watcher') {
    refused.push({ test: 'network values', set: 'networkPolicy.rpcEndpointCidrs={10.0.0.0/33}', message: schemaError(h, 'networkPolicy.rpcEndpointCidrs.0', 'Does not match pattern', "'10.0.0.0/33' does not match pattern") });
  }
  // Every address, which would make the policy restrict nothing: refused as the model refuses it.
  if (chart === 'pin-orchestrator') {
    refused.push({ test: 'network values', set: 'networkPolicy.pinningServiceCidrs={0.0.0.0/0}', message: schemaError(h, 'networkPolicy.pinningServiceCidrs.0', 'Does not match pattern', "'0.0.0.0/0' does not match pattern") });
  }
  return refused;
}

/** Every chart's refused values, as one batch of refusals. */
const everyRefusal = (h: Helm): Refusal[] => charts.flatMap((c) => refusedValues(h, c).map((r) => ({ chartDir: join(CHARTS, c), set: r.set })));

/**
 * What `h` says of `set` given to `chart`: read from one Helm process refusing every chart's
 * refused values at once (test/helm/_batch.ts `batchedRefusals`), the chart's own errors, else
 * from Helm run on the chart alone.
 */
async function refusal(h: Helm, chart: string, set: string): Promise<HelmResult> {
  const errors = (await batchedRefusals(h, everyRefusal(h)))?.get(join(CHARTS, chart));
  if (errors !== undefined) return { stdout: '', stderr: errors.join('\n'), code: 1 };
  return h.run('template', 'crumpet', join(CHARTS, chart), '--set', set);
}

/** Paths of the leaves that differ between two objects. */
function changedPaths(a: unknown, b: unknown, path = ''): string[] {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return JSON.stringify(a) === JSON.stringify(b) ? [] : [path];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((k) => changedPaths((a as Obj)[k], (b as Obj)[k], path ? `${path}.${k}` : k));
}

/** The changed leaves of each object of `base` in `changed`, as `<kind>/<name>:<path>`. */
function objectDiffs(base: readonly Obj[], changed: readonly Obj[]): string[] {
  return base.flatMap((b) => changedPaths(b, changed.find((c) => key(c) === key(b))).map((p) => `${key(b)}:${p}`));
}

describe.each(HELMS)('Helm charts with $name |', async (h) => {
  const helm = h.run;
  const template = templater(h);
  const namespaces = Object.fromEntries(await Promise.all(environments.map(async (e) => [e, (await loadEnvironment(e)).namespace] as const)));

  it('GIVEN charts-out THEN there is a chart per component of issue 4, and per component declared with a chart', () => {
    const spec = ['cin-node', 'envoy-edge', 'pin-orchestrator', 'watcher', 'web'];
    const declared = CRUMPET_COMPONENTS.components.filter((c) => c.chart).map((c) => c.name);
    expect(charts).toEqual([...new Set([...spec, ...declared])].sort());
  });

  describe.each(charts)('%s', (chart) => {
    it.each([
      ['its defaults', [] as string[]],
      ['values-prod.yaml, a namespace and a --set', ['-f', join(CHARTS, chart, 'values-prod.yaml'), '-n', 'crumpet', '--set', 'networkPolicy.enabled=false']],
    ])('GIVEN %s WHEN rendered in one Helm process with the other charts THEN the objects, hooks included, and their order are those of its own helm template', async (_, args) => {
      const call = batchableCall('crumpet', join(CHARTS, chart), args);
      expect(call).toBeDefined();
      const batched = await batchedTemplate(h, call!, chartDirs);
      expect(batched, 'the batch renders').toBeDefined();
      const alone = await h.run('template', 'crumpet', join(CHARTS, chart), ...args);
      expect(alone.code, alone.stderr).toBe(0);
      const objects = (out: HelmResult) => (yaml.loadAll(out.stdout) as Obj[]).filter(Boolean);
      expect(objects(alone).length).toBeGreaterThan(0);
      expect(objects(batched!)).toEqual(objects(alone));
    });

    it.each(environments)('GIVEN values-%s.yaml WHEN helm template runs THEN it renders exactly the dist/ objects but for Helm-only labels', async (env) => {
      const rendered = await template('crumpet', chart, '-f', join(CHARTS, chart, `values-${env}.yaml`), '-n', namespaces[env]!);
      const dist = yaml.loadAll(readFileSync(join(PROJECT_ROOT, 'dist', env, `${chart}.k8s.yaml`), 'utf8')) as Obj[];
      expect(rendered.map(key).sort()).toEqual(dist.map(key).sort());
      for (const d of dist) expect(normalize(rendered.find((r) => key(r) === key(d))), key(d)).toEqual(normalize(d));
    });

    it.each(environments)('GIVEN values-%s.yaml and the other rollout.enabled THEN it renders exactly what synth renders with features.rollouts switched so', async (env) => {
      const config = await loadEnvironment(env);
      const rollouts = !config.features.rollouts;
      // A chart without a Rollout variant has no such value, and its schema refuses one.
      if (!('rollout' in defaults(chart))) {
        const out = await refusal(h, chart, 'rollout.enabled=true');
        expect(out.code).not.toBe(0);
        expect(out.stderr).toMatch(refusedValues(h, chart).find((r) => r.test === 'rollout')!.message);
        return;
      }
      const rendered = await template('crumpet', chart, '-f', join(CHARTS, chart, `values-${env}.yaml`), '-n', namespaces[env]!, '--set', `rollout.enabled=${rollouts}`);
      const app = new CrumpetApp({ ...config, features: { ...config.features, rollouts } });
      const synthesized = (await renderApp(app, env)).charts.find((c) => c.chart === chart)!.objects as unknown as Obj[];
      expect(rendered.map(key).sort()).toEqual(synthesized.map(key).sort());
      for (const d of synthesized) expect(normalize(rendered.find((r) => key(r) === key(d))), key(d)).toEqual(normalize(d));
      // A chart with a workload that delivers by Rollout renders it exactly when it is on.
      if (synthesized.some((o) => o.kind === 'Rollout') || rendered.some((o) => o.kind === 'Rollout')) {
        expect(rendered.some((o) => o.kind === 'Rollout')).toBe(rollouts);
      }
    });

    it.each(environments)('GIVEN values-%s.yaml THEN helm lint --strict passes', async (env) => {
      const out = await helm('lint', '--strict', join(CHARTS, chart), '-f', join(CHARTS, chart, `values-${env}.yaml`));
      expect(out.code, out.stdout + out.stderr).toBe(0);
      expect(out.stdout).toContain('0 chart(s) failed');
    });

    it('GIVEN --set image.tag=v0.2.0 THEN only the image and the version label change', async () => {
      const base = await template('crumpet', chart);
      const changed = await template('crumpet', chart, '--set', 'image.tag=v0.2.0');
      const diffs = objectDiffs(base, changed);
      expect(diffs.length).toBeGreaterThan(0);
      for (const d of diffs) expect(d).toMatch(/(\.image|app\.kubernetes\.io\/version)$/);
      const workload = changed.find(isWorkload)!;
      expect(workload.spec.template.spec.containers[0].image).toMatch(/:v0\.2\.0$/);
    });

    it('GIVEN a 128-character tag THEN the version label is cut to a valid label value, as dist/ cuts it', async () => {
      // Cut at 63, the label would start with "_" and end with ".": both are trimmed.
      const tag = `_${'a'.repeat(61)}.-${'b'.repeat(64)}`;
      const rendered = await template('crumpet', chart, '--set', `image.tag=${tag}`);
      const expected = tag.slice(0, 63).replace(/^[-_.]+|[-_.]+$/g, '');
      for (const o of rendered) {
        for (const labels of [o.metadata.labels, o.spec?.template?.metadata?.labels]) {
          if (labels?.['app.kubernetes.io/version'] !== undefined) expect(labels['app.kubernetes.io/version'], `${o.kind}/${o.metadata.name}`).toBe(expected);
        }
      }
    });

    // CIN nodes scale per language (see the cin-node overrides below), the others by replicaCount.
    if (chart !== 'cin-node') {
      const autoscaled = defaults(chart).autoscaling !== undefined;
      /** The autoscaler's ceiling in the chart's defaults, where it has one. */
      const ceiling = (): number => defaults(chart).autoscaling.maxReplicas as number;
      it('GIVEN replicaCount raised (to the autoscaler\'s ceiling where there is one) THEN only the autoscaler floor changes while autoscaling is enabled, else only the replicas of what runs the pods', async () => {
        const runner = ownerKind(chart);
        const raised = autoscaled ? ceiling() : defaults(chart).replicaCount + 4;
        expect(raised, 'a replica count other than the default').not.toBe(defaults(chart).replicaCount);
        for (const enabled of autoscaled ? [true, false] : [undefined]) {
          const set = enabled === undefined ? [] : ['--set', `autoscaling.enabled=${enabled}`];
          const base = await template('crumpet', chart, ...set);
          const changed = await template('crumpet', chart, ...set, '--set', `replicaCount=${raised}`);
          // Without fullnameOverride, names derive from the release: crumpet-<chart>.
          const expected = enabled ? `HorizontalPodAutoscaler/crumpet-${chart}:spec.minReplicas` : `${runner}/crumpet-${chart}:spec.replicas`;
          expect(objectDiffs(base, changed), `autoscaling.enabled=${enabled}`).toEqual([expected]);
          const replicas = changed.find((o) => o.kind === runner)!.spec.replicas;
          expect(replicas, `spec.replicas of a ${runner} the autoscaler owns must be absent`).toBe(enabled ? undefined : raised);
          // A Deployment a Rollout takes over never sets replicas.
          if (runner === 'Rollout') expect(changed.find((o) => o.kind === 'Deployment')!.spec.replicas).toBeUndefined();
        }
      });

      if (autoscaled) it('GIVEN replicaCount above autoscaling.maxReplicas THEN Helm refuses it naming both values (the API server would refuse the autoscaler), and renders it with autoscaling off', async () => {
        const above = ceiling() + 1;
        const refused = await h.run('template', 'crumpet', join(CHARTS, chart), '--set', `replicaCount=${above}`);
        expect(refused.code).not.toBe(0);
        expect(refused.stderr).toContain(`replicaCount (${above}) is above autoscaling.maxReplicas (${ceiling()})`);
        // The same floor under a ceiling raised with it renders.
        const raised = await template('crumpet', chart, '--set', `replicaCount=${above}`, '--set', `autoscaling.maxReplicas=${above}`);
        expect(raised.find((o) => o.kind === 'HorizontalPodAutoscaler')!.spec).toMatchObject({ minReplicas: above, maxReplicas: above });
        const off = await template('crumpet', chart, '--set', `replicaCount=${above}`, '--set', 'autoscaling.enabled=false');
        expect(off.find((o) => o.kind === ownerKind(chart))!.spec.replicas).toBe(above);
      });

      if (autoscaled) it('GIVEN replicaCount=0 THEN Helm refuses it while autoscaling is on (an autoscaler never scales up from 0), and scales what runs the pods to 0 with it off', async () => {
        const refused = await h.run('template', 'crumpet', join(CHARTS, chart), '--set', 'replicaCount=0');
        expect(refused.code).not.toBe(0);
        expect(refused.stderr).toContain('replicaCount (0) must be at least 1 while the HorizontalPodAutoscaler is on');
        const off = await template('crumpet', chart, '--set', 'replicaCount=0', '--set', 'autoscaling.enabled=false');
        expect(off.find((o) => o.kind === ownerKind(chart))!.spec.replicas).toBe(0);
      });

      if (autoscaled) it('GIVEN autoscaling.enabled=false THEN exactly the autoscaler disappears and the Deployment sets replicaCount', async () => {
        const on = await template('crumpet', chart, '--set', 'autoscaling.enabled=true');
        const off = await template('crumpet', chart, '--set', 'autoscaling.enabled=false');
        const runner = ownerKind(chart);
        expect(on.map(key).filter((k) => !off.map(key).includes(k))).toEqual([`HorizontalPodAutoscaler/crumpet-${chart}`]);
        expect(objectDiffs(on.filter((o) => o.kind !== 'HorizontalPodAutoscaler'), off)).toEqual([`${runner}/crumpet-${chart}:spec.replicas`]);
        expect(off.find((o) => o.kind === runner)!.spec.replicas).toBe(defaults(chart).replicaCount);
      });
    }

    it.each(refusedValues(h, chart).filter((r) => r.test === 'every chart').map((r) => [r.set, r.message] as const))('GIVEN --set %s THEN Helm rejects it through values.schema.json naming the key', async (set, message) => {
      const out = await refusal(h, chart, set);
      expect(out.code).not.toBe(0);
      expect(out.stderr).toMatch(message);
    });

    it('GIVEN every value its schema refuses at once WHEN rendered in one Helm process with the other charts\' THEN Helm prints for it the errors it prints for the chart alone', async () => {
      const refused = refusedValues(h, chart);
      const alone = await h.run('template', 'crumpet', join(CHARTS, chart), ...refused.flatMap((r) => ['--set', r.set]));
      expect(alone.code).not.toBe(0);
      const own = schemaErrorsByChart(alone.stderr)?.get(chart);
      expect(own, alone.stderr).toBeDefined();
      // Each value's error, by its key.
      for (const r of refused) expect(own!.join('\n'), r.set).toMatch(r.message);
      const batched = (await batchedRefusals(h, everyRefusal(h)))?.get(join(CHARTS, chart));
      // Helm 4 lists a chart's errors, and the keys of one error ('a', 'b'), in no fixed order.
      const normalized = (lines: readonly string[]) => lines.map((l) => l.replace(/'[^']*'(, '[^']*')+/g, (list) => list.split(', ').sort().join(', '))).sort();
      expect(normalized(batched ?? [])).toEqual(normalized(own!));
    });

    it('GIVEN serviceMonitor.enabled=false (where the chart has metrics) THEN exactly its monitor disappears, and it selects its own Service or pods', async () => {
      const values = yaml.load(readFileSync(join(CHARTS, chart, 'values.yaml'), 'utf8')) as Obj;
      const monitorKinds = ['ServiceMonitor', 'PodMonitor'];
      if (values.serviceMonitor === undefined) {
        // Only a component that exports no metrics has no monitor to switch.
        expect(CRUMPET_COMPONENTS.get(chart).metrics).toBeUndefined();
        expect((await template('crumpet', chart)).filter((o) => monitorKinds.includes(o.kind))).toEqual([]);
        return;
      }
      const base = await template('crumpet', chart, '--set', 'serviceMonitor.enabled=true');
      const off = await template('crumpet', chart, '--set', 'serviceMonitor.enabled=false');
      const monitors = base.filter((o) => monitorKinds.includes(o.kind));
      expect(monitors).toHaveLength(1);
      expect(base.map(key).filter((k) => !off.map(key).includes(k))).toEqual(monitors.map(key));
      const selected = base.filter((o) => (monitors[0]!.kind === 'PodMonitor' ? isWorkload(o) : o.kind === 'Service'));
      const labels = (o: Obj) => (monitors[0]!.kind === 'PodMonitor' ? o.spec.template.metadata.labels : o.metadata.labels);
      expect(selected.some((o) => Object.entries(monitors[0]!.spec.selector.matchLabels).every(([k, v]) => labels(o)[k] === v))).toBe(true);
    });

    it('GIVEN networkPolicy.enabled=false THEN exactly the NetworkPolicies disappear, and every one selects the chart\'s own pods', async () => {
      // From the policies on: the defaults are an environment's, which may have them off.
      const base = await template('crumpet', chart, '--set', 'networkPolicy.enabled=true');
      const off = await template('crumpet', chart, '--set', 'networkPolicy.enabled=false');
      const policies = base.filter((o) => o.kind === 'NetworkPolicy');
      expect(policies.length).toBeGreaterThan(0);
      expect(base.map(key).filter((k) => !off.map(key).includes(k))).toEqual(policies.map(key));
      const pods = base.filter(isWorkload).map((w) => w.spec.template.metadata.labels);
      for (const p of policies) {
        const selector = Object.entries(p.spec.podSelector.matchLabels as Record<string, string>);
        expect(pods.some((labels) => selector.every(([k, v]) => labels[k] === v)), key(p)).toBe(true);
      }
    });

    it('GIVEN two releases in one namespace THEN their names and selectors do not overlap', async () => {
      const [a, b] = await Promise.all([template('alpha', chart, '-n', 'shared'), template('beta', chart, '-n', 'shared')]);
      const names = (objs: Obj[]) => new Set(objs.map(key));
      for (const n of names(a)) expect(names(b).has(n), n).toBe(false);
      const selectors = (objs: Obj[]) => objs.filter((o) => o.spec?.selector).map((o) => JSON.stringify(o.spec.selector.matchLabels ?? o.spec.selector));
      for (const s of selectors(a)) expect(selectors(b)).not.toContain(s);
      // Nor the Secrets and ConfigMaps they refer to (the edge's TLS Secret included).
      const refs = (objs: Obj[]) => new Set(objs.flatMap((o) => [
        ...(o.spec?.secretName ? [o.spec.secretName as string] : []),
        ...(o.spec?.template?.spec?.volumes ?? []).flatMap((v: Obj) => [v.secret?.secretName, v.configMap?.name].filter(Boolean)),
      ]));
      for (const r of refs(a)) expect(refs(b).has(r), r).toBe(false);
      // Each release's workloads still select their own pods.
      for (const objs of [a, b]) {
        for (const d of objs.filter(isWorkload)) {
          for (const [k, v] of Object.entries(d.spec.selector.matchLabels)) expect(d.spec.template.metadata.labels[k]).toBe(v);
        }
      }
    });

    it('GIVEN the chart THEN the smoke test hook pod is hardened and calls the health endpoint', async () => {
      // The chart's default render (the one the tests above compare against, made once per run), its test hook pod.
      const out = await templateChart(h, 'crumpet', join(CHARTS, chart), [], chartDirs);
      expect(out.code, out.stderr).toBe(0);
      const pods = (yaml.loadAll(out.stdout) as Obj[]).filter((o) => o?.kind === 'Pod');
      expect(pods).toHaveLength(1);
      const pod = pods[0]!;
      expect(pod.metadata.annotations['helm.sh/hook']).toBe('test');
      const c = pod.spec.containers[0];
      if (chart === 'envoy-edge') {
        // Through the edge itself: curl sends and verifies the public host name, connected to the Service.
        const host = defaults(chart).hosts[0];
        expect(c.args.slice(-3)).toEqual(['--connect-to', `${host}:443:crumpet-envoy-edge:443`, `https://${host}/v1/health`]);
      } else {
        // The port and path its component declares for the smoke test.
        // (CIN's chart is made by hand: its HTTP port's health path.)
        const component = CRUMPET_COMPONENTS.get(chart);
        const smokeTest = component.chart?.smokeTest ?? { port: 'http', path: component.ports['http']!.healthPath! };
        const port = component.ports[smokeTest.port]!.port;
        expect(c.args.at(-1)).toMatch(new RegExp(`^http://crumpet-${chart}(-[a-z]{2})?:${port}${smokeTest.path}$`));
      }
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
      expect(c.image).toMatch(/@sha256:[a-f0-9]{64}$/);
    });
  });

  describe('cin-node overrides', () => {
    const prodValues = join(CHARTS, 'cin-node', 'values-prod.yaml');
    const sets = (objs: Obj[]) => Object.fromEntries(objs.filter((o) => o.kind === 'StatefulSet').map((o) => [o.metadata.name, o]));

    it('GIVEN one instance excluded THEN exactly that StatefulSet scales to 0', async () => {
      const base = sets(await template('crumpet', 'cin-node', '-f', prodValues, '-n', 'crumpet'));
      const changed = sets(await template('crumpet', 'cin-node', '-f', prodValues, '-n', 'crumpet',
        '--set', 'instanceOverrides[0].language=en,instanceOverrides[0].instance=1,instanceOverrides[0].excluded=true'));
      const diffs = Object.keys(base).flatMap((n) => changedPaths(base[n], changed[n]).map((p) => `${n}:${p}`));
      expect(diffs).toEqual(['cin-node-en-1:spec.replicas']);
      expect(changed['cin-node-en-1']!.spec.replicas).toBe(0);
    });

    it.each([
      ['an override of a language not configured', ['instanceOverrides[0].language=xx,instanceOverrides[0].instance=0']],
      ['an override of an instance past the language\'s replicas', ['instanceOverrides[0].language=en,instanceOverrides[0].instance=9']],
      ['one instance overridden twice', ['instanceOverrides[0].language=en,instanceOverrides[0].instance=1,instanceOverrides[1].language=en,instanceOverrides[1].instance=1']],
      ['a language twice', ['languages[1].code=en']],
      ['a language with no instance', ['languages[1].replicas=0']],
      ['every instance of a language excluded', excludeEvery(prodValues)],
    ])('GIVEN %s THEN Helm refuses it in the model\'s words, where the loops would ignore it or let the last win', async (_, sets) => {
      // The model given the same values: prod's CIN settings with the chart's --set applied, as synth's --set applies them.
      const config = await loadEnvironment('prod');
      const cin = applyOverrides(config.components.cinNode, { files: [], sets }) as typeof config.components.cinNode;
      const said = crumpetChecks('prod', { ...config, components: { ...config.components, cinNode: cin } })
        .filter((i) => i.path.startsWith('components.cinNode.'))
        // The chart's values are the model's components.cinNode.
        .map((i) => `${i.path}: ${i.message}`.replaceAll('components.cinNode.', ''));
      expect(said, 'the model refuses it').toHaveLength(1);
      const out = await h.run('template', 'crumpet', join(CHARTS, 'cin-node'), '-f', prodValues, ...sets.flatMap((v) => ['--set', v]));
      expect(out.code).not.toBe(0);
      expect(out.stderr).toContain(said[0]);
    });

    it('GIVEN another image for one instance THEN only that instance runs it', async () => {
      const base = sets(await template('crumpet', 'cin-node', '-f', prodValues, '-n', 'crumpet'));
      const changed = sets(await template('crumpet', 'cin-node', '-f', prodValues, '-n', 'crumpet',
        '--set', 'instanceOverrides[0].language=de,instanceOverrides[0].instance=0,instanceOverrides[0].image.repository=ghcr.io/crumpet/cin-node,instanceOverrides[0].image.tag=v0.1.1'));
      const changedSets = Object.keys(base).filter((n) => changedPaths(base[n], changed[n]).length > 0);
      expect(changedSets).toEqual(['cin-node-de-0']);
      expect(changed['cin-node-de-0']!.spec.template.spec.containers[0].image).toBe('ghcr.io/crumpet/cin-node:v0.1.1');
    });

    it('GIVEN a language with more replicas THEN it gets more instances, each with its own volume', async () => {
      const changed = sets(await template('crumpet', 'cin-node', '-f', prodValues, '-n', 'crumpet', '--set', 'languages[1].replicas=4'));
      expect(Object.keys(changed).filter((n) => n.startsWith('cin-node-es-')).sort()).toEqual(['cin-node-es-0', 'cin-node-es-1', 'cin-node-es-2', 'cin-node-es-3']);
      expect(changed['cin-node-es-3']!.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('30Gi');
    });
  });

  describe('envoy-edge values', () => {
    const diff = async (...args: string[]) => {
      const base = await template('crumpet', 'envoy-edge');
      const changed = await template('crumpet', 'envoy-edge', ...args);
      return { changed, diffs: objectDiffs(base, changed) };
    };

    it('GIVEN another envoy.yaml in configFiles THEN the ConfigMap carries it and the pods roll with its checksum', async () => {
      const envoyYaml = 'admin:\n  address:\n    socket_address: { address: 127.0.0.1, port_value: 9901 }\n';
      const file = join(tempDir('crumpet-edge'), 'values.yaml');
      writeFileSync(file, yaml.dump({ configFiles: { config: { 'envoy.yaml': envoyYaml } } }));
      const { changed, diffs } = await diff('-f', file);
      expect(diffs.sort()).toEqual([
        'ConfigMap/crumpet-envoy-edge-config:data.envoy.yaml',
        'Deployment/crumpet-envoy-edge:spec.template.metadata.annotations.checksum/config',
      ]);
      // Helm merges the file into the chart's configFiles: other files of the ConfigMap stay.
      const data = { ...defaults('envoy-edge').configFiles.config, 'envoy.yaml': envoyYaml } as Record<string, string>;
      expect(changed.find((o) => o.kind === 'ConfigMap')!.data).toEqual(data);
      // synth's checksum (src/lib/config-files.ts): sha256 over "key NUL content NUL" in key order.
      const expected = createHash('sha256').update(Object.keys(data).sort().map((k) => `${k}\u0000${data[k]}\u0000`).join('')).digest('hex');
      expect(changed.find(isWorkload)!.spec.template.metadata.annotations['checksum/config']).toBe(expected);
    });

    it('GIVEN other hosts and issuer THEN only the Certificate changes, and the smoke test calls the first host', async () => {
      const { diffs } = await diff('--set', 'hosts={edge.example.net,www.example.net}', '--set', 'tls.issuerName=internal-ca');
      expect(diffs.sort()).toEqual([
        'Certificate/crumpet-envoy-edge-tls:spec.dnsNames.0',
        'Certificate/crumpet-envoy-edge-tls:spec.dnsNames.1',
        'Certificate/crumpet-envoy-edge-tls:spec.issuerRef.name',
      ]);
      const out = await helm('template', 'crumpet', join(CHARTS, 'envoy-edge'), '--set', 'hosts={edge.example.net}', '--show-only', 'templates/tests/smoke-test.yaml');
      expect((yaml.load(out.stdout) as Obj).spec.containers[0].args.at(-1)).toBe('https://edge.example.net/v1/health');
    });

    it('GIVEN tls.secretName THEN the Certificate writes that Secret and the pods mount it', async () => {
      const { changed } = await diff('--set', 'tls.secretName=edge-tls');
      const certificate = changed.find((o) => o.kind === 'Certificate' && o.spec.issuerRef.kind === 'ClusterIssuer')!;
      expect([certificate.metadata.name, certificate.spec.secretName]).toEqual(['edge-tls', 'edge-tls']);
      expect(changed.find(isWorkload)!.spec.template.spec.volumes.find((v: Obj) => v.name === 'tls').secret.secretName).toBe('edge-tls');
    });

    it.each(refusedValues(h, 'envoy-edge').filter((r) => r.test === 'edge values').map((r) => [r.set, r.message] as const))('GIVEN --set %s THEN Helm rejects it through values.schema.json naming the key', async (set, message) => {
      const out = await refusal(h, 'envoy-edge', set);
      expect(out.code).not.toBe(0);
      expect(out.stderr).toMatch(message);
    });
  });

  describe('network values', () => {
    it('GIVEN three RPC endpoint CIDRs for the watcher THEN its egress to RPC has one ipBlock per CIDR, and nothing else changes', async () => {
      const cidrs = ['198.51.100.0/28', '198.51.100.64/28', '192.0.2.0/24'];
      const base = await template('crumpet', 'watcher', '--set', 'networkPolicy.enabled=true');
      const changed = await template('crumpet', 'watcher', '--set', 'networkPolicy.enabled=true', '--set', `networkPolicy.rpcEndpointCidrs={${cidrs.join(',')}}`);
      const diffs = objectDiffs(base, changed);
      expect(diffs.every((d) => d.startsWith('NetworkPolicy/crumpet-watcher:spec.egress.'))).toBe(true);
      const egress = changed.find((o) => o.kind === 'NetworkPolicy')!.spec.egress as Obj[];
      const blocks = egress.map((r) => (r.to as Obj[]).map((p) => p.ipBlock?.cidr).filter(Boolean));
      expect(blocks).toContainEqual(cidrs);
    });

    it.each([
      ['a malformed CIDR', 'watcher'],
      ['a CIDR of every address', 'pin-orchestrator'],
    ])('GIVEN %s THEN Helm rejects it naming the key', async (_, chart) => {
      const { set, message } = refusedValues(h, chart).find((r) => r.test === 'network values')!;
      const out = await refusal(h, chart, set);
      expect(out.code).not.toBe(0);
      expect(out.stderr).toMatch(message);
    });
  });
});
