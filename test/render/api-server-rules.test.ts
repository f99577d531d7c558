import { ApiObject } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { renderApp, SynthError, validateObjects, type KubeObject } from '../../src/render/index.ts';
import { STANDARD_LABEL_KEYS } from '../../src/lib/index.ts';
import { CrumpetApp, loadEnvironment } from '../../src/stacks/crumpet/index.ts';

/*
 * What the API server refuses across fields, beyond the OpenAPI schema (src/render/_api-server-rules.ts):
 * synth refuses it first, naming the object and the field, so `kubectl apply -f dist/<env>` never
 * fails half-way on an object synth wrote.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

const labels = Object.fromEntries(STANDARD_LABEL_KEYS.map((k) => [k, 'web']));

/** A Deployment the API server accepts: every rule below breaks one thing of it. */
function deployment(): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels },
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
      template: {
        metadata: { labels },
        spec: {
          volumes: [{ name: 'tmp', emptyDir: {} }],
          initContainers: [{ name: 'init', image: 'init:v1' }],
          containers: [
            {
              name: 'web',
              image: 'web:v1',
              ports: [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9090 }],
              readinessProbe: { httpGet: { path: '/ready', port: 'http' } },
              livenessProbe: { tcpSocket: { port: 8080 } },
              resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
        },
      },
    },
  };
}

const service = (ports: Obj[]): Obj => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', labels }, spec: { selector: { 'app.kubernetes.io/name': 'web' }, ports } });

async function problemsOf(obj: Obj): Promise<string[]> {
  return validateObjects([obj as KubeObject]);
}

async function broken(change: (d: Obj) => void): Promise<string[]> {
  const d = deployment();
  change(d);
  return problemsOf(d);
}

const container = (d: Obj): Obj => d.spec.template.spec.containers[0];

describe('API server rules |', () => {
  it('GIVEN a sound Deployment, Service and autoscaler THEN none is refused', async () => {
    expect(await problemsOf(deployment())).toEqual([]);
    expect(await problemsOf(service([{ name: 'http', port: 80, targetPort: 'http' }, { name: 'metrics', port: 9090 }]))).toEqual([]);
    expect(await problemsOf(service([{ port: 80 }]))).toEqual([]);
  });

  it('GIVEN a limit below its request THEN the container resource limit is named', async () => {
    expect(await broken((d) => (container(d).resources.limits.memory = '128Mi'))).toEqual([
      'Deployment/web spec.template.spec.containers[0].resources.limits.memory: must be at least requests.memory (256Mi), got 128Mi',
    ]);
  });

  it('GIVEN a selector the template labels do not match THEN the template labels are named', async () => {
    expect(await broken((d) => (d.spec.selector.matchLabels = { 'app.kubernetes.io/name': 'api' }))).toEqual([
      "Deployment/web spec.template.metadata.labels: the selector does not match the template's labels (app.kubernetes.io/name=api)",
    ]);
  });

  it('GIVEN a label value with a space, or over 63 characters THEN the label is named', async () => {
    expect(await broken((d) => (d.metadata.labels = { ...labels, 'app.kubernetes.io/version': 'v1 beta' }))).toEqual([
      'Deployment/web metadata.labels.app.kubernetes.io/version: must be a label value (at most 63 characters, alphanumeric at both ends, "-", "_" and "." between), got "v1 beta"',
    ]);
    expect(await broken((d) => (d.spec.template.metadata.labels = { ...labels, tier: 'x'.repeat(64) }))).toHaveLength(1);
    expect(await broken((d) => (d.metadata.labels = { ...labels, 'Example.org/tier': 'web' }))).toEqual([
      'Deployment/web metadata.labels: label key "Example.org/tier": its prefix must be a DNS subdomain (lower case) of at most 253 characters',
    ]);
  });

  it('GIVEN a label key or value the API server refuses in any selector (a NetworkPolicy peer, a Service, matchExpressions, a spread constraint) THEN the selector field is named', async () => {
    const policy = (peer: Obj): Obj => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'web', labels },
      spec: { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } }, ingress: [{ from: [peer] }] },
    });
    expect(await problemsOf(policy({ podSelector: { matchLabels: { 'Bad Key!': 'x' } } }))).toEqual([
      'NetworkPolicy/web spec.ingress[0].from[0].podSelector.matchLabels: label key "Bad Key!": its name must be 1 to 63 characters, alphanumeric at both ends, "-", "_" and "." between',
    ]);
    expect(await problemsOf(policy({ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'In', values: ['db', 'not ok'] }] } }))).toEqual([
      'NetworkPolicy/web spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].values: must be label values (at most 63 characters, alphanumeric at both ends, "-", "_" and "." between), got "not ok"',
    ]);
    expect(await problemsOf(policy({ podSelector: { matchExpressions: [{ key: '-team', operator: 'Exists' }] } }))).toHaveLength(1);
    expect(await problemsOf({ ...service([{ port: 80 }]), spec: { selector: { 'app.kubernetes.io/name': 'web app' }, ports: [{ port: 80 }] } })).toEqual([
      'Service/web spec.selector.app.kubernetes.io/name: must be a label value (at most 63 characters, alphanumeric at both ends, "-", "_" and "." between), got "web app"',
    ]);
    expect(
      await broken((d) => (d.spec.template.spec.topologySpreadConstraints = [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { tier: 'a/b' } } }])),
    ).toEqual([
      'Deployment/web spec.template.spec.topologySpreadConstraints[0].labelSelector.matchLabels.tier: must be a label value (at most 63 characters, alphanumeric at both ends, "-", "_" and "." between), got "a/b"',
    ]);
  });

  it('GIVEN a probe naming a port the container does not declare THEN the probe port is named', async () => {
    expect(await broken((d) => (container(d).readinessProbe.httpGet.port = 'healthz'))).toEqual([
      'Deployment/web spec.template.spec.containers[0].readinessProbe.httpGet.port: names no port of the container (http, metrics), got "healthz"',
    ]);
  });

  it('GIVEN a port name that is not an IANA service name, or twice in a container THEN the port is named', async () => {
    expect(await broken((d) => (container(d).ports[1].name = 'prometheus-metrics'))).toEqual([
      'Deployment/web spec.template.spec.containers[0].ports[1].name: must be an IANA service name of at most 15 characters, got "prometheus-metrics"',
    ]);
    expect(await broken((d) => (container(d).ports[1].name = 'http'))).toEqual([
      'Deployment/web spec.template.spec.containers[0].ports[1].name: duplicate port name "http" (already at ports[0])',
    ]);
  });

  it('GIVEN a mount of a volume the pod lacks, or a container name twice THEN each is named', async () => {
    expect(await broken((d) => (container(d).volumeMounts[0].name = 'cache'))).toEqual([
      'Deployment/web spec.template.spec.containers[0].volumeMounts[0].name: names no volume of the pod, got "cache"',
    ]);
    expect(await broken((d) => (container(d).name = 'init'))).toEqual([
      'Deployment/web spec.template.spec.containers[0].name: duplicate container name "init" (already at spec.template.spec.initContainers[0])',
    ]);
  });

  it("GIVEN a StatefulSet mounting its claim template's volume THEN it passes; a CronJob's pod template is checked too", async () => {
    const set: Obj = { ...deployment(), kind: 'StatefulSet' };
    set.spec = { ...set.spec, serviceName: 'web', volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] };
    container(set).volumeMounts.push({ name: 'data', mountPath: '/data' });
    expect(await problemsOf(set)).toEqual([]);
    const template = deployment().spec.template;
    template.spec.restartPolicy = 'OnFailure';
    template.spec.containers[0].resources.limits.cpu = '100m';
    const cron = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'backup', labels }, spec: { schedule: '0 1 * * *', jobTemplate: { spec: { template } } } };
    expect(await problemsOf(cron)).toEqual(['CronJob/backup spec.jobTemplate.spec.template.spec.containers[0].resources.limits.cpu: must be at least requests.cpu (250m), got 100m']);
  });

  it('GIVEN a Service with an unnamed or repeated port THEN the port is named', async () => {
    expect(await problemsOf(service([{ name: 'http', port: 80 }, { port: 9090 }]))).toEqual(['Service/web spec.ports[1].name: is required when a Service has several ports']);
    expect(await problemsOf(service([{ name: 'http', port: 80 }, { name: 'web', port: 80 }]))).toEqual(['Service/web spec.ports[1].port: 80/TCP is already spec.ports[0]']);
  });

  it('GIVEN an autoscaler whose floor is above its ceiling THEN maxReplicas is named', async () => {
    const hpa = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', labels },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 4, maxReplicas: 2 },
    };
    expect(await problemsOf(hpa)).toEqual(['HorizontalPodAutoscaler/web spec.maxReplicas: must be at least spec.minReplicas (4), got 2']);
  });

  it('GIVEN such an object in a stack\'s chart WHEN synth renders the environment THEN it fails naming the environment, the object and the field', async () => {
    const app = new CrumpetApp(await loadEnvironment('staging'));
    const chart = app.charts.find((c) => c.node.id === 'web')!;
    const bad = deployment();
    bad.metadata.name = 'web-extra';
    container(bad).readinessProbe.httpGet.port = 'healthz';
    new ApiObject(chart, 'Extra', bad as KubeObject);
    const err = await renderApp(app, 'staging').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SynthError);
    expect((err as Error).message).toMatch(/^\[staging\] Deployment\/web-extra spec\.template\.spec\.containers\[0\]\.readinessProbe\.httpGet\.port: names no port of the container \(http, metrics\), got "healthz"$/m);
  });
});
