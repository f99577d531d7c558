import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import pinOrchestrator from '../../../../src/stacks/crumpet/components/pin-orchestrator.ts';
import { loadEnvironment } from '../../../../src/stacks/crumpet/index.ts';
import { AppLabels } from '../../../../src/lib/index.ts';
import { testChart } from '../../../_helpers.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

async function synth(env: string): Promise<Obj[]> {
  const config = await loadEnvironment(env);
  const chart = testChart();
  const settings = config.components.pinOrchestrator;
  pinOrchestrator.build({
    scope: chart,
    settings,
    model: config,
    labels: new AppLabels({ name: 'pin-orchestrator', instance: 'crumpet', component: 'orchestrator', partOf: 'crumpet', version: settings.image.tag }),
    features: config.features,
    others: new Map(),
    declared: [pinOrchestrator],
  });
  return Testing.synth(chart) as Obj[];
}

const byKind = (objs: Obj[], kind: string): Obj => objs.find((o) => o.kind === kind)!;

describe('PinOrchestrator |', () => {
  it('GIVEN prod WHEN synthesized THEN the Service on 7070 reaches a container port of the selected pods', async () => {
    const objs = await synth('prod');
    const svc = byKind(objs, 'Service');
    const deploy = byKind(objs, 'Deployment');
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 7070, targetPort: 7070, protocol: 'TCP' }]);
    const podLabels = deploy.spec.template.metadata.labels;
    for (const [k, v] of Object.entries(svc.spec.selector)) expect(podLabels[k]).toBe(v);
    expect(deploy.spec.selector.matchLabels).toEqual(svc.spec.selector);
    const container = deploy.spec.template.spec.containers[0];
    const target = container.ports.find((p: Obj) => p.containerPort === svc.spec.ports[0].targetPort);
    expect(target.containerPort).toBe(7070);
  });

  it('GIVEN prod WHEN synthesized THEN it has spec section 12 resources, /v1/health probes and the pinned image', async () => {
    const objs = await synth('prod');
    const deploy = byKind(objs, 'Deployment');
    // The autoscaler owns the replica count, from a floor of 2.
    expect(deploy.spec.replicas).toBeUndefined();
    expect(byKind(objs, 'HorizontalPodAutoscaler').spec.minReplicas).toBe(2);
    const c = deploy.spec.template.spec.containers[0];
    expect(c.resources).toEqual({ requests: { cpu: '1', memory: '512Mi' }, limits: { cpu: '1', memory: '512Mi' } });
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      expect(c[probe].httpGet).toEqual({ path: '/v1/health', port: 7070, scheme: 'HTTP' });
    }
    expect(c.image).toMatch(/^ghcr\.io\/crumpet\/pin-orchestrator:v0\.1\.0@sha256:[a-f0-9]{64}$/);
  });

  it('GIVEN any environment WHEN synthesized THEN the pod runs hardened under its own ServiceAccount without a token', async () => {
    const objs = await synth('staging');
    const pod = byKind(objs, 'Deployment').spec.template.spec;
    expect(pod.serviceAccountName).toBe(byKind(objs, 'ServiceAccount').metadata.name);
    expect(byKind(objs, 'ServiceAccount').automountServiceAccountToken).toBe(false);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    const c = pod.containers[0];
    expect(c.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    // The read-only root leaves /tmp writable through an emptyDir.
    expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp', readOnly: false });
    expect(pod.volumes).toContainEqual({ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } });
    // Secrets are mounted read-only.
    for (const m of c.volumeMounts.filter((v: Obj) => v.name !== 'tmp')) expect(m.readOnly).toBe(true);
  });
});
