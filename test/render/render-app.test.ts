import { ApiObject } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { CrumpetApp, loadEnvironment } from '../../src/stacks/crumpet/index.ts';
import { STANDARD_LABEL_KEYS } from '../../src/lib/index.ts';
import { renderApp, SynthError } from '../../src/render/index.ts';
import { duplicateObjects } from '../../src/render/_object-identity.ts';

const labels = Object.fromEntries(STANDARD_LABEL_KEYS.map((k) => [k, 'x']));

async function stagingApp(): Promise<CrumpetApp> {
  return new CrumpetApp(await loadEnvironment('staging'));
}

function chartOf(app: CrumpetApp, id: string) {
  const chart = app.charts.find((c) => c.node.id === id);
  if (!chart) throw new Error(`no chart ${id}`);
  return chart;
}

describe('renderApp | synth-time validation', () => {
  it('GIVEN an object violating its schema WHEN rendered THEN synth fails naming environment, kind, name and path', async () => {
    const app = await stagingApp();
    new ApiObject(chartOf(app, 'pin-orchestrator'), 'Bad', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'bad', labels },
      spec: { ports: [{ name: 'http', port: 'eighty' }] },
    });
    const err = await renderApp(app, 'staging').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SynthError);
    expect((err as Error).message).toMatch(/^\[staging\] Service\/bad spec\.ports\[0\]\.port: must be integer$/m);
  });

  it('GIVEN an object missing a required field WHEN rendered THEN the message names the missing field', async () => {
    const app = await stagingApp();
    new ApiObject(chartOf(app, 'pin-orchestrator'), 'NoSelector', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'broken', labels },
      spec: { template: { spec: { containers: [{ name: 'a', image: 'b' }] } } },
    });
    await expect(renderApp(app, 'staging')).rejects.toThrow(/\[staging\] Deployment\/broken spec\.selector: is required/);
  });

  it('GIVEN a kind with no schema and no allow-list entry WHEN rendered THEN synth fails', async () => {
    const app = await stagingApp();
    new ApiObject(chartOf(app, 'pin-orchestrator'), 'Widget', {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', labels },
    });
    await expect(renderApp(app, 'staging')).rejects.toThrow(/Widget\/w: no schema for example\.com\/v1 Widget/);
  });

  it('GIVEN an object without standard labels and a bad name WHEN rendered THEN both are reported', async () => {
    const app = await stagingApp();
    new ApiObject(chartOf(app, 'pin-orchestrator'), 'Bare', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'Bare_Account' },
    });
    const message = ((await renderApp(app, 'staging').catch((e: unknown) => e)) as Error).message;
    expect(message).toContain('[staging] ServiceAccount/Bare_Account metadata.name: must be a DNS-1123 label');
    expect(message).toContain('[staging] ServiceAccount/Bare_Account metadata.labels: missing app.kubernetes.io/name');
  });

  it('GIVEN a second object of a kind, namespace and name another chart renders WHEN rendered THEN synth fails naming it and both charts', async () => {
    // GIVEN the web chart's own Service, declared again by another chart
    const app = await stagingApp();
    const service = chartOf(app, 'web')
      .toJson()
      .find((o: { kind: string }) => o.kind === 'Service') as { metadata: { name: string; namespace: string } };
    new ApiObject(chartOf(app, 'pin-orchestrator'), 'SameService', service as never);
    // WHEN
    const message = ((await renderApp(app, 'staging').catch((e: unknown) => e)) as Error).message;
    // THEN
    expect(message).toContain(
      `[staging] Service/${service.metadata.name} metadata.name: two objects of this kind and name in namespace ${service.metadata.namespace} (charts pin-orchestrator and web): kubectl apply keeps only the last one applied`,
    );
  });

  it('GIVEN objects alike but for their namespace, API group or version THEN only the version makes the same object', () => {
    const object = (apiVersion: string, kind: string, namespace?: string) => ({ apiVersion, kind, metadata: { name: 'api', ...(namespace ? { namespace } : {}) } });
    const charts = (...objects: ReturnType<typeof object>[]) => duplicateObjects(objects.map((o, i) => ({ owner: `c${i}`, objects: [o] })));
    expect(charts(object('v1', 'Service', 'a'), object('v1', 'Service', 'b'))).toEqual([]);
    expect(charts(object('cert-manager.io/v1', 'Certificate', 'a'), object('example.org/v1', 'Certificate', 'a'))).toEqual([]);
    expect(charts(object('autoscaling/v1', 'HorizontalPodAutoscaler', 'a'), object('autoscaling/v2', 'HorizontalPodAutoscaler', 'a'))).toEqual([
      'HorizontalPodAutoscaler/api metadata.name: two objects of this kind and name in namespace a (charts c0 and c1): kubectl apply keeps only the last one applied',
    ]);
    expect(duplicateObjects([{ owner: 'cluster', objects: [object('v1', 'Namespace'), object('v1', 'Namespace')] }])).toEqual([
      'Namespace/api metadata.name: two objects of this kind and name (twice in chart cluster): kubectl apply keeps only the last one applied',
    ]);
  });

  it('GIVEN a construct validation error WHEN rendered THEN it is reported with the construct path', async () => {
    const app = await stagingApp();
    chartOf(app, 'pin-orchestrator').node.addValidation({ validate: () => ['route to a missing service'] });
    await expect(renderApp(app, 'staging')).rejects.toThrow(/\[staging\] pin-orchestrator: route to a missing service/);
  });

  it('GIVEN a valid environment WHEN rendered THEN the namespace file sorts first and objects are in apply order', async () => {
    const rendered = await renderApp(await stagingApp(), 'staging');
    const files = [...rendered.files.keys()].sort();
    expect(files[0]).toBe('dist/staging/00-cluster.k8s.yaml');
    const kinds = rendered.charts.find((c) => c.chart === 'pin-orchestrator')!.objects.map((o) => o.kind);
    // Custom resources last, by kind: the AnalysisTemplate before the Rollout that runs it.
    const rollouts = (await loadEnvironment('staging')).features.rollouts;
    expect(kinds).toEqual([
      'NetworkPolicy', 'PodDisruptionBudget', 'ServiceAccount', 'Service', 'Deployment', 'HorizontalPodAutoscaler',
      ...(rollouts ? ['AnalysisTemplate'] : []), 'PodMonitor', ...(rollouts ? ['Rollout'] : []),
    ]);
  });
});
