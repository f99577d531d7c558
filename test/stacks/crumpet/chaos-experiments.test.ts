import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AppLabels, chaosExperiment, chaosExperimentPath, scenarioSteadyState, withGameDays, type ChaosScenario } from '../../../src/lib/index.ts';
import { ManifestFile, renderApp } from '../../../src/render/index.ts';
import {
  ANNOTATION_DOMAIN,
  CHAOS_SCENARIOS,
  ChaosExperiments,
  CrumpetApp,
  crumpetObservability,
  loadEnvironment,
  RUNBOOK_ANNOTATION,
  SPEC_SLOS,
  STEADY_STATE_WINDOW,
} from '../../../src/stacks/crumpet/index.ts';
import { loadManifests, type KubeObject, type StringMap } from '../../_analysis/index.ts';
import { podSpecsOf } from '../../../src/analysis/kube-objects.ts';
import { PROJECT_ROOT, testChart } from '../../_helpers.ts';
import { distObjects, ENVIRONMENTS } from './_output.ts';

/*
 * Spec section 14's experiments as committed under ops/chaos/<env>/: what each selects is
 * computed against the pods of the committed dist/<env>/, and its runbook is read back from
 * ops/runbooks/.
 */

interface Selector {
  readonly namespaces?: readonly string[];
  readonly labelSelectors?: StringMap;
  readonly expressionSelectors?: readonly unknown[];
}

interface Experiment extends KubeObject {
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels: StringMap; readonly annotations: StringMap };
  readonly spec: { readonly selector: Selector; readonly externalTargets?: readonly string[]; readonly duration?: string };
}

function committed(env: string, scenario: ChaosScenario): Experiment {
  const docs = loadManifests(readFileSync(join(PROJECT_ROOT, chaosExperimentPath('ops', env, scenario.name)), 'utf8'));
  expect(docs).toHaveLength(1);
  return docs[0] as Experiment;
}

/** Does a Chaos Mesh selector pick pods of this template? Namespaces and labelSelectors, as Chaos Mesh ANDs them. */
function selects(selector: Selector, namespace: string, labels: StringMap): boolean {
  // This analyser reads only what the experiments use: anything else would be ignored, so refuse it.
  expect(Object.keys(selector).sort()).toEqual(['labelSelectors', 'namespaces']);
  return (selector.namespaces ?? []).includes(namespace) && Object.entries(selector.labelSelectors ?? {}).every(([k, v]) => labels[k] === v);
}

/** The pods a selector picks in `objects`: each workload with the labels of its pod template and its replica count. */
function selectedPods(objects: readonly KubeObject[], selector: Selector): { readonly workload: string; readonly labels: StringMap; readonly replicas: number }[] {
  return objects.flatMap((o) =>
    o.kind === 'CronJob'
      ? []
      : podSpecsOf(o)
          .filter((t) => selects(selector, o.metadata?.namespace ?? '', t.labels))
          .map((t) => ({ workload: `${o.kind}/${o.metadata?.name}`, labels: t.labels, replicas: ((o['spec'] as { replicas?: number }).replicas ?? 1) })),
  );
}

/** The CIDRs the NetworkPolicies selecting these pod labels allow egress to. */
function egressCidrs(objects: readonly KubeObject[], namespace: string, labels: StringMap): Set<string> {
  const cidrs = new Set<string>();
  for (const o of objects.filter((x) => x.kind === 'NetworkPolicy' && x.metadata?.namespace === namespace)) {
    const spec = o['spec'] as { podSelector?: { matchLabels?: StringMap }; egress?: { to?: { ipBlock?: { cidr: string } }[] }[] };
    if (!Object.entries(spec.podSelector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v)) continue;
    for (const rule of spec.egress ?? []) for (const to of rule.to ?? []) if (to.ipBlock) cidrs.add(to.ipBlock.cidr);
  }
  return cidrs;
}

const cases = ENVIRONMENTS.flatMap((env) => CHAOS_SCENARIOS.map((scenario) => ({ env, name: scenario.name, scenario })));

describe('ChaosExperiments |', () => {
  describe.each(cases)('$env $name', ({ env, scenario }) => {
    it('GIVEN the committed experiment WHEN its selector is applied to the pod templates of dist/<env> THEN it picks running pods of its target and nothing else', () => {
      // GIVEN
      const experiment = committed(env, scenario);
      // WHEN
      const pods = selectedPods(distObjects(env), experiment.spec.selector);
      // THEN
      expect(pods.filter((p) => p.replicas > 0).length).toBeGreaterThan(0);
      expect(new Set(pods.map((p) => p.labels['app.kubernetes.io/name']))).toEqual(new Set([scenario.target]));
      expect(experiment.metadata.namespace).toBe(experiment.spec.selector.namespaces![0]);
    });

    it('GIVEN a network fault WHEN its targets are compared with the NetworkPolicies of the selected pods THEN every target is an egress the pods are allowed', () => {
      const experiment = committed(env, scenario);
      const objects = distObjects(env);
      const targets = experiment.spec.externalTargets ?? [];
      expect(targets.length > 0).toBe(scenario.fault.kind !== 'pod-kill');
      for (const pod of selectedPods(objects, experiment.spec.selector)) {
        const allowed = egressCidrs(objects, experiment.metadata.namespace, pod.labels);
        expect(targets.filter((t) => !allowed.has(t)), pod.workload).toEqual([]);
      }
    });

    it('GIVEN the experiment WHEN its runbook is read THEN the runbook exists and its game day links back to the experiment file', () => {
      // GIVEN
      const experiment = committed(env, scenario);
      // WHEN
      const runbook = experiment.metadata.annotations[RUNBOOK_ANNOTATION]!;
      // THEN
      expect(existsSync(join(PROJECT_ROOT, runbook))).toBe(true);
      const text = readFileSync(join(PROJECT_ROOT, runbook), 'utf8');
      const link = chaosExperimentPath('ops', '<env>', experiment.metadata.name);
      expect(text).toContain(`## Game day: ${scenario.title}\n\nExperiment: \`${link}\``);
      expect(link.replace('<env>', env)).toBe(chaosExperimentPath('ops', env, experiment.metadata.name));
      for (const section of ['### How to run', '### What must hold', '### How to abort']) expect(text.slice(text.indexOf(`Experiment: \`${link}\``))).toContain(section);
    });

    it('GIVEN the experiment WHEN its steady state is compared with the SLO model THEN it is the SLO error ratio within its budget', () => {
      const experiment = committed(env, scenario);
      const model = crumpetObservability();
      const slo = model.rules.slos.find((s) => s.name === scenario.slo)!;
      const a = experiment.metadata.annotations;
      expect(a[`${ANNOTATION_DOMAIN}/steady-state-slo`]).toBe(slo.name);
      expect(Number(a[`${ANNOTATION_DOMAIN}/steady-state-objective`])).toBe(slo.objective);
      expect(a[`${ANNOTATION_DOMAIN}/steady-state`]).toBe(`${slo.errorRatio(STEADY_STATE_WINDOW, model.rules.name)} <= ${Number((1 - slo.objective).toFixed(6))}`);
      expect(experiment.spec.duration).toBe(scenario.duration);
    });
  });

  it('GIVEN the committed manifests WHEN searched for Chaos Mesh kinds THEN none is in dist/ (kubectl apply -f dist/<env> never runs an experiment)', () => {
    for (const env of ENVIRONMENTS) expect(distObjects(env).filter((o) => o.apiVersion?.startsWith('chaos-mesh.org/'))).toEqual([]);
  });

  it('GIVEN an SLO with another objective WHEN the steady state is derived THEN the experiment annotation follows it', () => {
    // GIVEN
    const scenario = CHAOS_SCENARIOS[0]!;
    const slos = SPEC_SLOS.map((s) => (s.name === scenario.slo ? { ...s, objective: 0.99 } : s));
    // WHEN
    const steady = scenarioSteadyState(scenario, { slos, rulesName: 'crumpet', opsRoot: 'ops', window: STEADY_STATE_WINDOW });
    const built = chaosExperiment({
      scenario,
      environment: 'prod',
      opsRoot: 'ops',
      namespace: 'crumpet',
      target: { name: 'cin-node', labels: new AppLabels({ name: 'cin-node', instance: 'crumpet', component: 'indexer', partOf: 'crumpet', version: 'v1' }) },
      labels: new AppLabels({ name: 'crumpet', instance: 'crumpet', component: 'platform', partOf: 'crumpet', version: 'v1' }),
      steadyState: steady,
      runbookPath: 'ops/runbooks/r2-elevated-5xx-at-edge.md',
      annotationDomain: ANNOTATION_DOMAIN,
    });
    // THEN
    const annotations = built.manifest.metadata.annotations;
    expect(annotations[`${ANNOTATION_DOMAIN}/steady-state`]).toMatch(/ <= 0\.01$/);
    expect(annotations[`${ANNOTATION_DOMAIN}/steady-state-objective`]).toBe('0.99');
  });

  it('GIVEN a chaos object with a misspelled field in a ManifestFile WHEN the app is rendered THEN synth fails naming the file, the object and the field', async () => {
    // GIVEN
    const app = new App();
    const labels = Object.fromEntries(['name', 'instance', 'component', 'part-of', 'version', 'managed-by'].map((k) => [`app.kubernetes.io/${k}`, 'x']));
    const bad = {
      apiVersion: 'chaos-mesh.org/v1alpha1',
      kind: 'PodChaos',
      metadata: { name: 'pod-kill', labels },
      spec: { action: 'pod-kill', mode: 'one', selector: { labelSelector: { a: 'b' } } },
    };
    new ManifestFile(app, 'Chaos', { path: 'ops/chaos/test/pod-kill.yaml', objects: () => [bad] });
    // WHEN
    const render = renderApp(app, 'test');
    // THEN
    await expect(render).rejects.toThrow('ops/chaos/test/pod-kill.yaml: PodChaos/pod-kill spec.selector.labelSelector: unknown field');
  });

  it('GIVEN scenarios with bad durations or loss WHEN built THEN every problem is reported, naming environment, scenario and field', () => {
    const steady = scenarioSteadyState(CHAOS_SCENARIOS[1]!, { slos: SPEC_SLOS, rulesName: 'crumpet', opsRoot: 'ops', window: '5m' });
    const labels = new AppLabels({ name: 'crumpet', instance: 'crumpet', component: 'platform', partOf: 'crumpet', version: 'v1' });
    const build = () =>
      chaosExperiment({
        scenario: { ...CHAOS_SCENARIOS[1]!, duration: '1d' as '1h', fault: { kind: 'network-loss', percent: 0, to: 'ipfsGatewayCidrs' } },
        environment: 'prod',
        opsRoot: 'ops',
        namespace: 'crumpet',
        target: { name: 'x', labels },
        labels,
        steadyState: steady,
        runbookPath: 'ops/runbooks/r1-snapshot-stale.md',
        annotationDomain: ANNOTATION_DOMAIN,
      });
    expect(build).toThrow(
      [
        '[prod/chaos/ipfs-gateway-errors] duration must be a whole number of s, m or h such as 10m, got "1d"',
        '[prod/chaos/ipfs-gateway-errors] fault.percent must be above 0 and at most 100, got 0',
        '[prod/chaos/ipfs-gateway-errors] a network-loss fault needs the addresses of "ipfsGatewayCidrs" (externalTargets), got none',
      ].join('\n'),
    );
  });

  it('GIVEN a network fault to a CIDR set its target does not call WHEN the experiments are built THEN it throws naming the scenario and the sets called', async () => {
    const config = await loadEnvironment('staging');
    const app = new CrumpetApp(config);
    const scenario: ChaosScenario = { ...CHAOS_SCENARIOS[2]!, fault: { kind: 'network-delay', latency: '500ms', to: 'pinningServiceCidrs' } };
    const build = () =>
      new ChaosExperiments(testChart(), 'Chaos', { config, labels: app.cinNode.all.labels, components: app.placed, model: app.monitoring.model, scenarios: [scenario] });
    expect(build).toThrow(
      '[test/Chaos] rpc-latency: fault.to "pinningServiceCidrs" is not a CIDR set cin-node calls (rpcEndpointCidrs, ipfsGatewayCidrs, peerCidrs)',
    );
  });

  it('GIVEN a scenario targeting a component that does not run in the environment WHEN the experiments are built THEN it throws naming the components that do', async () => {
    const config = await loadEnvironment('prod');
    const app = new CrumpetApp(config);
    const scenario: ChaosScenario = { ...CHAOS_SCENARIOS[0]!, target: 'kubo' };
    const build = () =>
      new ChaosExperiments(testChart(), 'Chaos', { config, labels: app.cinNode.all.labels, components: app.placed, model: app.monitoring.model, scenarios: [scenario] });
    expect(build).toThrow(
      `[test/Chaos] cin-pod-kill-during-snapshot: target "kubo" is not a component running in prod (${app.placed.map((p) => p.declaration.name).join(', ')})`,
    );
  });

  it('GIVEN a scenario naming an unknown SLO or runbook WHEN its game day is derived THEN it throws naming the scenario', () => {
    const context = { slos: SPEC_SLOS, rulesName: 'crumpet', opsRoot: 'ops', window: STEADY_STATE_WINDOW };
    const scenario = CHAOS_SCENARIOS[0]!;
    expect(() => scenarioSteadyState({ ...scenario, slo: 'uptime' }, context)).toThrow(
      `chaos scenario cin-pod-kill-during-snapshot: slo "uptime" is not an SLO of the model (${SPEC_SLOS.map((s) => s.name).join(', ')})`,
    );
    expect(() => withGameDays([], [scenario], context)).toThrow(
      'chaos scenario cin-pod-kill-during-snapshot: runbook "r2-elevated-5xx-at-edge" is not a runbook of the model',
    );
  });

  it('GIVEN a latency that is not a duration WHEN the experiment is built THEN it throws naming the field', () => {
    const scenario = CHAOS_SCENARIOS[2]!;
    const labels = new AppLabels({ name: 'crumpet', instance: 'crumpet', component: 'platform', partOf: 'crumpet', version: 'v1' });
    const build = () =>
      chaosExperiment({
        scenario: { ...scenario, fault: { kind: 'network-delay', latency: '0.5s' as '500ms', to: 'rpcEndpointCidrs' }, recoverWithin: '2 minutes' as '2m' },
        environment: 'staging',
        opsRoot: 'ops',
        namespace: 'crumpet-staging',
        target: { name: 'x', labels },
        labels,
        steadyState: scenarioSteadyState(scenario, { slos: SPEC_SLOS, rulesName: 'crumpet', opsRoot: 'ops', window: '5m' }),
        runbookPath: 'ops/runbooks/r1-snapshot-stale.md',
        externalTargets: ['198.51.100.0/28'],
        annotationDomain: ANNOTATION_DOMAIN,
      });
    expect(build).toThrow(
      [
        '[staging/chaos/rpc-latency] recoverWithin must be a duration such as 2m, got "2 minutes"',
        '[staging/chaos/rpc-latency] fault.latency must be a duration such as 500ms, got "0.5s"',
      ].join('\n'),
    );
  });
});
