import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEnvironment } from '../../src/stacks/crumpet/index.ts';
import { FlowModel, formatFlows, KUBE_DNS, loadManifests, type ExternalEndpoint, type KubeObject } from '../_analysis/index.ts';
import { PROJECT_ROOT } from '../_helpers.ts';
import { CHARTS as CRUMPET_CHARTS, ENVIRONMENTS } from '../stacks/crumpet/_output.ts';
import { templateChart } from './_batch.ts';
import { CHARTS, HELMS } from './_helm.ts';

/*
 * `helm test` where NetworkPolicy is enforced: each chart rendered by every real Helm binary with its
 * test hooks, in a namespace that denies by default (dist/'s namespace-wide policies) and in one
 * that does not, its flows computed with NetworkPolicy semantics (test/_analysis/network-flows.ts).
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

const charts = [...CRUMPET_CHARTS];
const chartDirs = charts.map((c) => join(CHARTS, c));
const environments = ENVIRONMENTS;
const isHook = (o: KubeObject): boolean => o.metadata?.annotations?.['helm.sh/hook'] !== undefined;
const monitoring = (name: string): ExternalEndpoint => ({ namespace: 'monitoring', name, podLabels: { 'app.kubernetes.io/name': name } });
const EXTERNAL = [monitoring('prometheus'), monitoring('tempo'), monitoring('loki')];

/** The Service and port the smoke test calls: `--connect-to <host>:443:<service>:<port>`, or its URL's host and port. */
function calledService(pod: Obj): { service: string; port: number } {
  const args = pod.spec.containers[0].args as string[];
  const connectTo = args.indexOf('--connect-to');
  if (connectTo >= 0) {
    const [, , service, port] = args[connectTo + 1]!.split(':');
    return { service: service!, port: Number(port) };
  }
  const url = new URL(args.at(-1)!);
  return { service: url.hostname, port: Number(url.port) };
}

/** The workloads a Service sends to, and the container port its `port` lands on. */
function serviceTargets(objects: readonly KubeObject[], model: FlowModel, name: string, port: number): { ids: string[]; containerPort: number } {
  const service = objects.find((o) => o.kind === 'Service' && o.metadata?.name === name) as Obj | undefined;
  if (!service) throw new Error(`the smoke test calls Service ${name}, which the chart does not render`);
  const servicePort = (service.spec.ports as Obj[]).find((p) => p.port === port && (p.protocol ?? 'TCP') === 'TCP')!;
  const selector = Object.entries(service.spec.selector as Record<string, string>);
  const targets = model.workloads().filter((w) => w.kind !== 'Pod' && selector.every(([k, v]) => w.podLabels[k] === v));
  const declared = targets[0]!.ports.find((p) => p.name === servicePort.targetPort || p.containerPort === servicePort.targetPort)!;
  return { ids: targets.map((t) => t.id), containerPort: declared.containerPort };
}

describe.each(HELMS.flatMap((h) => charts.map((chart) => ({ h, chart }))))('Smoke test network of $chart with $h.name |', ({ h, chart }) => {
  describe.each(environments)('values-%s.yaml', async (env) => {
    const { namespace } = await loadEnvironment(env);
    // With the network policies on: an environment may turn them off (features.networkPolicy), and
    // then neither its chart values nor its dist/ have any to check.
    const values = ['-f', join(CHARTS, chart, `values-${env}.yaml`), '--set', 'networkPolicy.enabled=true'];
    // In one Helm process with the other charts where it can be (_batch.ts), as charts.test.ts renders them.
    const out = await templateChart(h, 'crumpet', join(CHARTS, chart), [...values, '-n', namespace], chartDirs);
    const rendered = loadManifests(out.stdout);
    const testPod = rendered.find((o) => isHook(o) && o.kind === 'Pod') as Obj;
    const hookPolicies = rendered.filter((o) => isHook(o) && o.kind === 'NetworkPolicy');
    const namespaceFile = join(PROJECT_ROOT, 'dist', env, 'network-policies.k8s.yaml');
    const namespacePolicies = existsSync(namespaceFile) ? loadManifests(readFileSync(namespaceFile, 'utf8')) : [];
    const pod = `${namespace}/${testPod.metadata.name}`;
    const involvesPod = (flow: string): boolean => flow.startsWith(`${pod} `) || flow.includes(` -> ${pod} `);

    it('GIVEN the render THEN it holds the test pod and its NetworkPolicies, switched by networkPolicy.enabled', async () => {
      expect(out.code, out.stderr).toBe(0);
      expect(testPod.metadata.annotations['helm.sh/hook']).toBe('test');
      expect(hookPolicies.length).toBeGreaterThan(0);
      for (const p of hookPolicies) expect((p as Obj).metadata.annotations['helm.sh/hook']).toBe('test');
      const off = await templateChart(h, 'crumpet', join(CHARTS, chart), [...values, '-n', namespace, '--set', 'networkPolicy.enabled=false'], chartDirs);
      expect(loadManifests(off.stdout).filter((o) => o.kind === 'NetworkPolicy')).toEqual([]);
    });

    it.each([
      ['denies by default (dist/ network-policies)', true],
      ['has no policy of its own', false],
    ])('GIVEN a namespace that %s WHEN helm test runs THEN the test pod reaches exactly the Service port it calls and DNS, and its policies open nothing else', (_name, denyByDefault) => {
      const base = denyByDefault ? namespacePolicies : [];
      const withHooks = new FlowModel([...rendered, ...base], EXTERNAL);
      const withoutHookPolicies = new FlowModel([...rendered.filter((o) => !hookPolicies.includes(o)), ...base], EXTERNAL);
      const called = calledService(testPod);
      const target = serviceTargets(rendered, withHooks, called.service, called.port);
      const dns = `${KUBE_DNS.namespace}/${KUBE_DNS.name}`;

      // Reaches what it probes, both ends agreeing.
      for (const id of target.ids) {
        const explain = withHooks.explain(pod, id, target.containerPort);
        expect(withHooks.allows(pod, id, target.containerPort), `helm test must reach ${id}:${target.containerPort}\n${explain}`).toBe(true);
      }
      // Its own flows are exactly those, and DNS.
      const flows = new Set(formatFlows(withHooks.matrix()));
      const expected = [
        ...target.ids.map((id) => `${pod} -> ${id} ${target.containerPort}/TCP`),
        `${pod} -> ${dns} 53/TCP`,
        `${pod} -> ${dns} 53/UDP`,
      ];
      expect([...flows].filter(involvesPod).sort(), 'the smoke test pod may reach what it calls, and DNS, only').toEqual(expected.sort());
      // Nothing reaches the test pod, on any port of the render.
      const ports = [...new Set(withHooks.endpoints().flatMap((e) => e.ports.map((p) => p.containerPort)))];
      for (const from of withHooks.endpoints().filter((e) => e.id !== pod)) {
        for (const port of ports) expect(withHooks.verdict(from.id, pod, port).ingress.allowed, `${from.id} -> ${pod}:${port}`).toBe(false);
      }
      for (const ip of ['8.8.8.8', '10.0.0.1', '169.254.169.254', '2606:4700:4700::1111']) {
        expect(withHooks.allows(pod, { ip }, 443), `the smoke test pod must not reach ${ip}`).toBe(false);
      }
      // The other flows are those of the chart without its test policies.
      const others = (m: FlowModel) => formatFlows(m.matrix()).filter((f) => !involvesPod(f));
      expect(others(withHooks), 'the smoke test policies must open no flow but the test pod\'s').toEqual(others(withoutHookPolicies));
    });
  });
});
