import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIRROR_CHART, overlayOf } from '../../../src/stacks/mirror/index.ts';
import { checkRestricted, FlowModel, formatFlows, KUBE_DNS, loadManifests, type ExternalEndpoint, type KubeObject } from '../../_analysis/index.ts';
import { CHARTS, HELMS } from '../../helm/_helm.ts';
import { ENVIRONMENTS, loadEnvironment } from './_mirror.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

/*
 * `helm test` where the chart's own NetworkPolicies are enforced: the chart (default deny
 * included) rendered with its test hooks by the real Helm binary, its flows computed with
 * NetworkPolicy semantics. The smoke test pod reaches the gateway's TLS port and DNS, nothing else,
 * and its policies open no other flow.
 */

const chart = join(CHARTS, MIRROR_CHART);
const isHook = (o: KubeObject): boolean => o.metadata?.annotations?.['helm.sh/hook'] !== undefined;

describe.each(HELMS.flatMap((h) => ENVIRONMENTS.map((env) => ({ h, env }))))('Mirror smoke test network, $h.name, $env |', async ({ h, env }) => {
  const config = await loadEnvironment(env);
  const out = await h.run('template', 'mirror', chart, '-f', join(chart, overlayOf(env)), '-n', config.namespace);
  const rendered = loadManifests(out.stdout);
  const testPod = rendered.find((o) => isHook(o) && o.kind === 'Pod') as Obj;
  const hookPolicies = rendered.filter((o) => isHook(o) && o.kind === 'NetworkPolicy');
  const prometheus: ExternalEndpoint = { namespace: config.network.monitoringNamespace, name: 'prometheus', podLabels: { 'app.kubernetes.io/name': 'prometheus' } };
  const withHooks = new FlowModel(rendered, [prometheus]);
  const withoutHookPolicies = new FlowModel(rendered.filter((o) => !hookPolicies.includes(o)), [prometheus]);
  const pod = `${config.namespace}/${testPod?.metadata.name}`;
  const gateway = `${config.namespace}/mirror-gateway`;
  const involvesPod = (flow: string): boolean => flow.startsWith(`${pod} `) || flow.includes(` -> ${pod} `);

  it('GIVEN the render THEN it holds a helm test hook Pod calling the first domain through the gateway Service, and its policies', () => {
    expect(out.code, out.stderr).toBe(0);
    expect(testPod.metadata.annotations['helm.sh/hook']).toBe('test');
    const args = testPod.spec.containers[0].args as string[];
    const host = config.domains[0]!.host;
    expect(args.slice(-3)).toEqual(['--connect-to', `${host}:443:mirror-gateway:443`, `https://${host}/healthz`]);
    expect(hookPolicies.length).toBeGreaterThan(0);
    expect(rendered.some((o) => !isHook(o) && o.kind === 'NetworkPolicy' && o.metadata?.name === 'default-deny')).toBe(true);
  });

  it('GIVEN the chart\'s default deny WHEN helm test runs THEN the test pod reaches the gateway\'s TLS port, and only it and DNS', () => {
    const https = (rendered.find((o) => o.kind === 'Deployment') as Obj).spec.template.spec.containers[0].ports.find((p: Obj) => p.name === 'https').containerPort;
    expect(withHooks.allows(pod, gateway, https), withHooks.explain(pod, gateway, https)).toBe(true);
    expect(withoutHookPolicies.allows(pod, gateway, https), 'without its hook policies the test pod is denied').toBe(false);
    const dns = `${KUBE_DNS.namespace}/${KUBE_DNS.name}`;
    const flows = formatFlows(withHooks.matrix()).filter(involvesPod).sort();
    expect(flows).toEqual([`${pod} -> ${dns} 53/TCP`, `${pod} -> ${dns} 53/UDP`, `${pod} -> ${gateway} ${https}/TCP`].sort());
    for (const ip of ['8.8.8.8', ...config.network.upstreamCidrs.map((c) => c.split('/')[0]!.replace(/\.0$/, '.1')), '169.254.169.254']) {
      expect(withHooks.allows(pod, { ip }, 443), `the smoke test pod must not reach ${ip}`).toBe(false);
    }
  });

  it('GIVEN the hook policies THEN they open no flow but the test pod\'s', () => {
    const others = (m: FlowModel) => formatFlows(m.matrix()).filter((f) => !involvesPod(f));
    expect(others(withHooks)).toEqual(others(withoutHookPolicies));
  });

  it('GIVEN the test pod THEN it meets the Pod Security Standard restricted and pulls curl by digest', () => {
    expect(checkRestricted(testPod as KubeObject)).toEqual([]);
    expect(testPod.spec.containers[0].image).toMatch(/@sha256:[a-f0-9]{64}"?$/);
  });
});
