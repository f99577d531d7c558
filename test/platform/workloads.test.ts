import { describe, expect, it } from 'vitest';
import { loadEnvironment, type Overrides } from '../../src/config/index.ts';
import { CrumpetApp } from '../../src/platform/index.ts';
import { renderApp, type KubeObject } from '../../src/render/index.ts';

/* Facts about every workload of an environment, computed from the rendered objects. */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = KubeObject & Record<string, any>;

async function render(env: string, sets: string[] = [], files: Overrides['files'] = []): Promise<Obj[]> {
  const config = await loadEnvironment(env, { files, sets });
  const rendered = await renderApp(new CrumpetApp(config), env);
  return rendered.charts.flatMap((c) => c.objects) as Obj[];
}

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

  it('GIVEN prod THEN every workload of the spec is present', () => {
    const workloads = prod.filter((o) => ['Deployment', 'StatefulSet', 'CronJob'].includes(o.kind)).map(key).sort();
    expect(workloads).toEqual([
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
    ]);
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

  it.each([
    ['StatefulSet', 'cin-node-en-0', '2', '4Gi'],
    ['Deployment', 'pin-orchestrator', '1', '512Mi'],
    ['Deployment', 'watcher', '500m', '256Mi'],
    ['Deployment', 'envoy-edge', '2', '2Gi'],
  ])('GIVEN prod THEN %s/%s requests the spec section 12 figures (%s CPU, %s memory)', (kind, name, cpu, memory) => {
    expect(mainContainer(find(prod, kind, name)).resources.requests).toEqual({ cpu, memory });
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
      { type: 'Pods', pods: { metric: { name: 'pin_jobs_inflight' }, target: { type: 'AverageValue', averageValue: '15' } } },
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

  it('GIVEN prod THEN every Deployment and every CIN language has a PodDisruptionBudget selecting its pods', () => {
    const pdbs = prod.filter((o) => o.kind === 'PodDisruptionBudget');
    expect(pdbs.map((p) => p.metadata.name).sort()).toEqual(['cin-node-de', 'cin-node-en', 'cin-node-es', 'envoy-edge', 'pin-orchestrator', 'watcher', 'web']);
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
    expect(p2p.ports).toEqual([{ name: 'p2p', port: 4001, targetPort: 'p2p', protocol: 'UDP' }]);
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

  it.each(['prod', 'staging'])('GIVEN %s THEN no Secret carries data, and workloads only reference secrets', async (env) => {
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

  it('GIVEN every workload THEN each runs under its own ServiceAccount and only API clients get a token', () => {
    for (const o of prod.filter((x) => ['Deployment', 'StatefulSet', 'CronJob'].includes(x.kind))) {
      const spec = o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template.spec : o.spec.template.spec;
      expect(spec.serviceAccountName, key(o)).toBe(o.metadata.name);
      const needsApi = ['index-volume-snapshots', 'config-backup'].includes(o.metadata.name!);
      expect(spec.automountServiceAccountToken, key(o)).toBe(needsApi);
    }
    expect(prod.some((o) => o.kind === 'ClusterRoleBinding' || o.kind === 'ClusterRole')).toBe(false);
  });

  it('GIVEN the backup jobs THEN they never overlap, and the snapshot job uses the pinned CIN image', () => {
    for (const name of ['index-snapshot', 'index-volume-snapshots', 'config-backup']) {
      expect(find(prod, 'CronJob', name).spec.concurrencyPolicy).toBe('Forbid');
    }
    const job = find(prod, 'CronJob', 'index-snapshot').spec;
    expect(job.schedule).toBe('0 2 * * *');
    expect(job.jobTemplate.spec.template.spec.containers[0].image).toMatch(/^ghcr\.io\/crumpet\/cin-node:v0\.1\.0@sha256:/);
    expect(find(prod, 'Role', 'config-backup').rules).toEqual([{ apiGroups: [''], resources: ['secrets', 'configmaps'], verbs: ['get', 'list'] }]);
  });
});
