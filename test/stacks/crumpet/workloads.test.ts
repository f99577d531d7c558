import { describe, expect, it } from 'vitest';
import { type Overrides } from '../../../src/config/index.ts';
import { settingsKey } from '../../../src/lib/index.ts';
import { CRUMPET_COMPONENTS, loadEnvironment } from '../../../src/stacks/crumpet/index.ts';
import type { KubeObject } from '../../../src/render/index.ts';
import { distObjects, ENVIRONMENTS, renderedObjects } from './_output.ts';

/* Facts about every workload of an environment, computed from the rendered objects. */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = KubeObject & Record<string, any>;

const render = (env: string, sets: string[] = [], files: Overrides['files'] = []): Promise<Obj[]> =>
  renderedObjects(env, { sets, files }) as Promise<Obj[]>;

const find = (objs: Obj[], kind: string, name: string): Obj => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind}/${name}`);
  return o;
};
const mainContainer = (o: Obj): any => o.spec.template.spec.containers[0];
const key = (o: Obj): string => `${o.kind}/${o.metadata.name}`;

describe('Crumpet workloads |', async () => {
  const prod = await render('prod');
  const staging = await render('staging');

  it('GIVEN prod THEN every workload of the spec is present, and any other is a Deployment of a declared component', () => {
    const workloads = prod.filter((o) => ['Deployment', 'StatefulSet', 'CronJob'].includes(o.kind)).map(key).sort();
    const spec = [
      'CronJob/config-backup',
      'CronJob/index-snapshot',
      'CronJob/index-volume-snapshots',
      'Deployment/envoy-edge',
      'Deployment/pin-orchestrator',
      'Deployment/watcher',
      'Deployment/web',
      'StatefulSet/cin-node-de-0',
      'StatefulSet/cin-node-de-1',
      'StatefulSet/cin-node-en-0',
      'StatefulSet/cin-node-en-1',
      'StatefulSet/cin-node-en-2',
      'StatefulSet/cin-node-es-0',
      'StatefulSet/cin-node-es-1',
    ];
    expect(workloads).toEqual(expect.arrayContaining(spec));
    const declared = new Set(CRUMPET_COMPONENTS.components.map((c) => `Deployment/${c.name}`));
    expect(workloads.filter((w) => !spec.includes(w) && !declared.has(w))).toEqual([]);
  });

  it('GIVEN staging THEN it runs fewer languages and replicas, and Kubo by toggle', () => {
    expect(staging.filter((o) => o.kind === 'StatefulSet').map(key).sort()).toEqual([
      'StatefulSet/cin-node-en-0',
      'StatefulSet/cin-node-en-1',
      'StatefulSet/cin-node-es-0',
      'StatefulSet/kubo',
    ]);
    expect(prod.some((o) => o.metadata.name === 'kubo')).toBe(false);
  });

  it('GIVEN prod THEN every Crumpet service is probed on /v1/health (startup, readiness, liveness)', () => {
    for (const [kind, name] of [['StatefulSet', 'cin-node-en-0'], ['Deployment', 'pin-orchestrator'], ['Deployment', 'watcher']]) {
      const c = mainContainer(find(prod, kind!, name!));
      for (const p of ['startupProbe', 'readinessProbe', 'livenessProbe']) expect(c[p].httpGet.path, `${name} ${p}`).toBe('/v1/health');
    }
  });

  it('GIVEN prod THEN the autoscalers use the spec metrics', () => {
    const metrics = (name: string) => find(prod, 'HorizontalPodAutoscaler', name).spec.metrics;
    expect(metrics('pin-orchestrator')).toEqual([
      { type: 'Pods', pods: { metric: { name: 'pin_jobs_inflight' }, target: { type: 'AverageValue', averageValue: 15 } } },
    ]);
    expect(metrics('web')).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
    ]);
    expect(metrics('envoy-edge').map((m: any) => m.pods.metric.name)).toEqual([
      'envoy_http_downstream_cx_active',
      'envoy_cluster_upstream_rq_time',
    ]);
    const orch = find(prod, 'HorizontalPodAutoscaler', 'pin-orchestrator').spec;
    expect([orch.minReplicas, orch.maxReplicas, orch.scaleTargetRef.name]).toEqual([2, 6, 'pin-orchestrator']);
  });

  it('GIVEN prod THEN every Deployment and every CIN language has a PodDisruptionBudget selecting its pods', async () => {
    const pdbs = prod.filter((o) => o.kind === 'PodDisruptionBudget');
    const languages = (await loadEnvironment('prod')).components.cinNode.languages.map((l) => `cin-node-${l.code}`);
    const deployments = prod.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name);
    expect(pdbs.map((p) => p.metadata.name).sort()).toEqual([...languages, ...deployments].sort());
    for (const pdb of pdbs) {
      const selected = prod.filter(
        (o) => ['Deployment', 'StatefulSet'].includes(o.kind) &&
          Object.entries(pdb.spec.selector.matchLabels).every(([k, v]) => o.spec.template.metadata.labels[k] === v),
      );
      expect(selected.length, pdb.metadata.name).toBeGreaterThan(0);
      expect(pdb.spec.maxUnavailable).toBe(1);
    }
  });

  it('GIVEN prod THEN each CIN instance has its own index volume of its language size, kept on scale-down', () => {
    const sets = prod.filter((o) => o.kind === 'StatefulSet');
    for (const s of sets) {
      const lang = s.metadata.labels!['crumpet.dev/language'];
      const size = { en: '50Gi', es: '30Gi', de: '20Gi' }[lang as 'en' | 'es' | 'de'];
      expect(s.spec.volumeClaimTemplates).toHaveLength(1);
      expect(s.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe(size);
      expect(s.spec.volumeClaimTemplates[0].spec.storageClassName).toBe('premium-rwo');
      expect(s.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
      expect(mainContainer(s).env).toContainEqual({ name: 'CIN_LANGUAGE', value: lang });
    }
    // Selectors never overlap, so each set owns exactly its own pods.
    for (const a of sets) {
      const owners = sets.filter((b) => Object.entries(b.spec.selector.matchLabels).every(([k, v]) => a.spec.template.metadata.labels[k] === v));
      expect(owners.map(key)).toEqual([key(a)]);
    }
  });

  it('GIVEN prod THEN CIN exposes 8080, 8081, its metrics port and a QUIC LoadBalancer per instance open to the known peers only', () => {
    expect(mainContainer(find(prod, 'StatefulSet', 'cin-node-en-0')).ports).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: 'grpc', containerPort: 8081, protocol: 'TCP' },
      { name: 'p2p', containerPort: 4001, protocol: 'UDP' },
      { name: 'metrics', containerPort: 9091, protocol: 'TCP' },
    ]);
    const p2p = find(prod, 'Service', 'cin-node-en-0-p2p').spec;
    expect(p2p.type).toBe('LoadBalancer');
    expect(p2p.ports).toEqual([{ name: 'p2p', port: 4001, targetPort: 4001, protocol: 'UDP' }]);
    expect(p2p.loadBalancerSourceRanges).toEqual(['192.0.2.0/25']);
    expect(p2p.selector['crumpet.dev/cin-instance']).toBe('cin-node-en-0');
  });

  it('GIVEN prod THEN the edge publishes 443 over TCP and UDP and rolls when its config changes', () => {
    const svc = find(prod, 'Service', 'envoy-edge').spec;
    expect(svc.ports.map((p: any) => `${p.port}/${p.protocol}`)).toEqual(['443/TCP', '443/UDP']);
    const deploy = find(prod, 'Deployment', 'envoy-edge');
    const checksum = deploy.spec.template.metadata.annotations['checksum/config'];
    expect(checksum).toMatch(/^[a-f0-9]{64}$/);
    expect(deploy.spec.template.spec.volumes).toContainEqual({ name: 'config', configMap: { name: 'envoy-edge-config' } });
  });

  it('GIVEN an override of one CIN instance image WHEN rendered THEN only that instance changes', async () => {
    const digest = `sha256:${'1'.repeat(64)}`;
    const changed = await render('prod', [], [
      {
        file: 'override.yaml',
        values: {
          components: {
            cinNode: {
              instanceOverrides: [{ language: 'en', instance: 1, image: { repository: 'ghcr.io/crumpet/cin-node', tag: 'v0.1.1', digest } }],
            },
          },
        },
      },
    ]);
    const before = new Map(prod.map((o) => [key(o), JSON.stringify(o)]));
    const diff = changed.filter((o) => before.get(key(o)) !== JSON.stringify(o)).map(key);
    expect(changed.map(key).sort()).toEqual([...before.keys()].sort());
    // The instance's objects carry its version label; only its StatefulSet runs another image.
    expect(diff.every((k) => k.endsWith('/cin-node-en-1') || k.endsWith('/cin-node-en-1-p2p'))).toBe(true);
    const sets = changed.filter((o) => o.kind === 'StatefulSet');
    const images = sets.map((s) => [s.metadata.name, mainContainer(s).image]);
    expect(images.filter(([, img]) => img.includes(digest))).toEqual([['cin-node-en-1', `ghcr.io/crumpet/cin-node:v0.1.1@${digest}`]]);
  });

  it('GIVEN an instance excluded for repair WHEN rendered THEN only its StatefulSet scales to 0 and its volume stays', async () => {
    const changed = await render('prod', ['components.cinNode.instanceOverrides[0].language=es', 'components.cinNode.instanceOverrides[0].instance=0', 'components.cinNode.instanceOverrides[0].excluded=true']);
    const replicas = Object.fromEntries(changed.filter((o) => o.kind === 'StatefulSet').map((s) => [s.metadata.name, s.spec.replicas]));
    expect(replicas).toEqual({ 'cin-node-de-0': 1, 'cin-node-de-1': 1, 'cin-node-en-0': 1, 'cin-node-en-1': 1, 'cin-node-en-2': 1, 'cin-node-es-0': 0, 'cin-node-es-1': 1 });
    expect(find(changed, 'StatefulSet', 'cin-node-es-0').spec.volumeClaimTemplates).toHaveLength(1);
  });

  it('GIVEN an override naming a missing instance THEN the model refuses it with its path', async () => {
    await expect(render('prod', ['components.cinNode.instanceOverrides[0].language=en', 'components.cinNode.instanceOverrides[0].instance=3']))
      .rejects.toThrow(/\[prod\] config components\.cinNode\.instanceOverrides\[0\]\.instance: must be below the language's 3 replicas, got 3/);
  });

  it('GIVEN prod with an unpinned override image THEN synth refuses it naming the image path', async () => {
    await expect(render('prod', [
      'components.cinNode.instanceOverrides[0].language=en',
      'components.cinNode.instanceOverrides[0].instance=0',
      'components.cinNode.instanceOverrides[0].image.repository=ghcr.io/crumpet/cin-node',
      'components.cinNode.instanceOverrides[0].image.tag=v0.1.1',
    ])).rejects.toThrow(/\[prod\] config components\.cinNode\.instanceOverrides\[0\]\.image\.digest: is required: this environment pins images by digest/);
  });

  it.each(ENVIRONMENTS)('GIVEN %s THEN no Secret carries data, and workloads only reference secrets', async (env) => {
    const objs = env === 'prod' ? prod : staging;
    for (const o of objs) {
      if (o.kind === 'Secret') expect(o.data ?? o.stringData, key(o)).toBeUndefined();
    }
    expect(objs.some((o) => o.kind === 'Secret')).toBe(false);
  });

  it('GIVEN prod THEN every container image, sidecars and jobs included, is pinned by digest', () => {
    const images = prod.flatMap((o) => {
      const spec = o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template.spec : o.spec?.template?.spec;
      return spec ? [...spec.containers, ...(spec.initContainers ?? [])].map((c: any) => c.image as string) : [];
    });
    expect(images.length).toBeGreaterThan(20);
    for (const image of images) expect(image).toMatch(/@sha256:[a-f0-9]{64}$/);
  });

  it('GIVEN staging THEN images go by tag, as the environment does not pin digests', () => {
    expect(mainContainer(find(staging, 'Deployment', 'web')).image).toBe('ghcr.io/crumpet/web:v0.1.0');
  });

  it('GIVEN the backup jobs THEN they never overlap, and the snapshot job uses the pinned CIN image', () => {
    for (const name of ['index-snapshot', 'index-volume-snapshots', 'config-backup']) {
      expect(find(prod, 'CronJob', name).spec.concurrencyPolicy).toBe('Forbid');
    }
    const job = find(prod, 'CronJob', 'index-snapshot').spec;
    expect(job.schedule).toBe('0 2 * * *');
    expect(job.jobTemplate.spec.template.spec.containers[0].image).toMatch(/^ghcr\.io\/crumpet\/cin-node:v0\.1\.0@sha256:/);
  });

  it('GIVEN staging (Kubo on) THEN Kubo, which has no GET health endpoint, is probed by TCP on its API port: startup, readiness and liveness', () => {
    const kubo = mainContainer(find(staging, 'StatefulSet', 'kubo'));
    const port = (target: string | number) => kubo.ports.find((p: any) => p.name === target || p.containerPort === target)?.containerPort;
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      expect(port(kubo[probe]?.tcpSocket?.port), `kubo ${probe}.tcpSocket.port must be the API port 5001`).toBe(5001);
    }
    // A first start initialises the repository and an upgrade migrates it: minutes, not seconds.
    const startup = kubo.startupProbe.periodSeconds * kubo.startupProbe.failureThreshold;
    expect(startup, 'kubo startupProbe budget in seconds').toBeGreaterThanOrEqual(300);
    expect(kubo.livenessProbe.periodSeconds * kubo.livenessProbe.failureThreshold, 'liveness waits longer than readiness')
      .toBeGreaterThan(kubo.readinessProbe.periodSeconds * kubo.readinessProbe.failureThreshold);
  });
});

describe.each(ENVIRONMENTS)('Autoscaled workloads of %s |', async (env) => {
  const config = await loadEnvironment(env);
  const objects = distObjects(env) as Obj[];
  const group = (apiVersion: string | undefined) => (apiVersion?.includes('/') ? apiVersion.split('/')[0] : '');

  it('GIVEN every HorizontalPodAutoscaler of dist/ THEN the object its scaleTargetRef names exists and carries no spec.replicas', () => {
    const hpas = objects.filter((o) => o.kind === 'HorizontalPodAutoscaler');
    expect(hpas.length > 0, 'autoscalers rendered').toBe(config.features.autoscaling);
    const wrong = hpas.flatMap((hpa) => {
      const ref = hpa.spec.scaleTargetRef;
      const target = objects.find((o) => o.kind === ref.kind && o.metadata.name === ref.name && group(o.apiVersion) === group(ref.apiVersion));
      if (!target) return [`HorizontalPodAutoscaler/${hpa.metadata.name} scaleTargetRef ${ref.kind}/${ref.name} names no object`];
      return target.spec.replicas === undefined
        ? []
        : [`${ref.kind}/${ref.name} spec.replicas must be absent (HorizontalPodAutoscaler/${hpa.metadata.name} owns it), got ${target.spec.replicas}`];
    });
    expect(wrong).toEqual([]);
  });

  it('GIVEN features.autoscaling off THEN there is no autoscaler and what runs each stateless workload\'s pods sets spec.replicas to the model\'s replicas', async () => {
    for (const rollouts of [true, false]) {
      const off = await render(env, ['features.autoscaling=false', `features.rollouts=${rollouts}`]);
      expect(off.filter((o) => o.kind === 'HorizontalPodAutoscaler')).toEqual([]);
      const deployments = off.filter((o) => o.kind === 'Deployment');
      expect(deployments.length).toBeGreaterThan(0);
      for (const d of deployments) {
        const settings = (config.components as Record<string, { replicas?: number }>)[settingsKey(d.metadata.name!)];
        // A Rollout takes over the Deployment's pods and its count; the Deployment then sets none.
        const rollout = off.find((o) => o.kind === 'Rollout' && o.spec.workloadRef.name === d.metadata.name);
        expect(rollout !== undefined, `Deployment/${d.metadata.name} delivered by a Rollout`).toBe(rollouts);
        expect(d.spec.replicas, `Deployment/${d.metadata.name} spec.replicas`).toBe(rollout ? undefined : settings?.replicas);
        if (rollout) expect(rollout.spec.replicas, `Rollout/${d.metadata.name} spec.replicas`).toBe(settings?.replicas);
      }
    }
  });
});
