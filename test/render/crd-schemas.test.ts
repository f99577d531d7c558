import { type ApiObject, type Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AlertmanagerConfig } from '../../imports/alertmanagerconfigs-monitoring.coreos.com.ts';
import { Certificate } from '../../imports/certificates-cert-manager.io.ts';
import { ClusterIssuer } from '../../imports/clusterissuers-cert-manager.io.ts';
import { Issuer } from '../../imports/issuers-cert-manager.io.ts';
import { ClusterSecretStore, ClusterSecretStoreSpecRefreshInterval } from '../../imports/clustersecretstores-external-secrets.io.ts';
import { ExternalSecret, ExternalSecretSpecSecretStoreRefKind } from '../../imports/externalsecrets-external-secrets.io.ts';
import { PodMonitor } from '../../imports/podmonitors-monitoring.coreos.com.ts';
import { PrometheusRule, PrometheusRuleSpecGroupsRulesExpr } from '../../imports/prometheusrules-monitoring.coreos.com.ts';
import { SealedSecret } from '../../imports/sealedsecrets-bitnami.com.ts';
import { ServiceMonitor, ServiceMonitorSpecEndpointsScheme } from '../../imports/servicemonitors-monitoring.coreos.com.ts';
import { AnalysisTemplate } from '../../imports/analysistemplates-argoproj.io.ts';
import { Middleware } from '../../imports/middlewares-traefik.io.ts';
import { Rollout } from '../../imports/rollouts-argoproj.io.ts';
import { Application } from '../../imports/applications-argoproj.io.ts';
import { HttpChaos, HttpChaosSpecMode, HttpChaosSpecTarget } from '../../imports/httpchaos-chaos-mesh.org.ts';
import { NetworkChaos, NetworkChaosSpecAction, NetworkChaosSpecDirection, NetworkChaosSpecMode } from '../../imports/networkchaos-chaos-mesh.org.ts';
import { PodChaos, PodChaosSpecAction, PodChaosSpecMode } from '../../imports/podchaos-chaos-mesh.org.ts';
import { VolumeSnapshot } from '../../imports/volumesnapshots-snapshot.storage.k8s.io.ts';
import { STANDARD_LABEL_KEYS } from '../../src/lib/index.ts';
import { CRD_SCHEMAS } from '../../src/render/_crd-schemas.ts';
import { NO_SCHEMA_ALLOWED, SCHEMAS } from '../../src/render/_schemas.ts';
import { type KubeObject, validateObjects } from '../../src/render/index.ts';
import { testChart } from '../_helpers.ts';

type Json = Record<string, unknown>;

interface SchemaCase {
  /** A minimal valid object, built with the typed binding from imports/. */
  readonly build: (chart: Chart) => ApiObject;
  /** JSON pointer of a spec field and a value of the wrong type for it. */
  readonly wrongType: { readonly pointer: string; readonly value: unknown };
  /**
   * Validators generated from the CRD (imports/schemas/) only: JSON pointer of a misspelled
   * field, which they reject as Kubernetes would prune it. kubernetes-models allows unknown fields.
   */
  readonly misspelled?: string;
  /** JSON pointer of an `x-kubernetes-int-or-string` field, when the kind has one, and a value of each type. */
  readonly intOrString?: { readonly pointer: string; readonly values: readonly [number, string] };
}

const web = { name: 'web', matchLabels: { 'app.kubernetes.io/name': 'web' } };

const CASES: Readonly<Record<string, SchemaCase>> = {
  'cert-manager.io/v1/Certificate': {
    build: (chart) =>
      new Certificate(chart, 'cert', {
        metadata: { name: 'web-tls' },
        spec: { secretName: 'web-tls', dnsNames: ['web.example.com'], issuerRef: { kind: 'ClusterIssuer', name: 'letsencrypt' } },
      }),
    wrongType: { pointer: '/spec/secretName', value: 42 },
  },
  'cert-manager.io/v1/ClusterIssuer': {
    build: (chart) => new ClusterIssuer(chart, 'issuer', { metadata: { name: 'self-signed' }, spec: { selfSigned: {} } }),
    wrongType: { pointer: '/spec/selfSigned', value: 'yes' },
  },
  'cert-manager.io/v1/Issuer': {
    build: (chart) => new Issuer(chart, 'issuer', { metadata: { name: 'mesh-ca' }, spec: { ca: { secretName: 'mesh-ca' } } }),
    wrongType: { pointer: '/spec/ca/secretName', value: 7 },
  },
  'monitoring.coreos.com/v1/PodMonitor': {
    build: (chart) =>
      new PodMonitor(chart, 'pm', {
        metadata: { name: web.name },
        spec: { selector: { matchLabels: web.matchLabels }, podMetricsEndpoints: [{ port: 'metrics', interval: '30s' }] },
      }),
    wrongType: { pointer: '/spec/podMetricsEndpoints/0/port', value: 9090 },
  },
  'monitoring.coreos.com/v1/PrometheusRule': {
    build: (chart) =>
      new PrometheusRule(chart, 'rule', {
        metadata: { name: web.name },
        spec: {
          groups: [{ name: 'web', rules: [{ alert: 'WebDown', expr: PrometheusRuleSpecGroupsRulesExpr.fromString('up{job="web"} == 0'), for: '5m' }] }],
        },
      }),
    wrongType: { pointer: '/spec/groups/0/name', value: 7 },
  },
  'monitoring.coreos.com/v1/ServiceMonitor': {
    build: (chart) =>
      new ServiceMonitor(chart, 'sm', {
        metadata: { name: web.name },
        spec: {
          selector: { matchLabels: web.matchLabels },
          endpoints: [{ port: 'metrics', interval: '30s', scheme: ServiceMonitorSpecEndpointsScheme.HTTP }],
        },
      }),
    wrongType: { pointer: '/spec/endpoints/0/port', value: 9090 },
  },
  'monitoring.coreos.com/v1alpha1/AlertmanagerConfig': {
    build: (chart) =>
      new AlertmanagerConfig(chart, 'amc', {
        metadata: { name: web.name },
        spec: { route: { receiver: 'null', groupBy: ['alertname'] }, receivers: [{ name: 'null' }] },
      }),
    wrongType: { pointer: '/spec/receivers/0/name', value: 7 },
  },
  'bitnami.com/v1alpha1/SealedSecret': {
    build: (chart) =>
      new SealedSecret(chart, 'sealed', {
        metadata: { name: 'watcher-signing-key' },
        spec: { encryptedData: { 'ed25519.key': 'AgBy3i4OJSWK+PiTySYZZA==' }, template: { metadata: { name: 'watcher-signing-key' } } },
      }),
    wrongType: { pointer: '/spec/template/immutable', value: 'yes' },
    misspelled: '/spec/tempalte',
  },
  'external-secrets.io/v1/ClusterSecretStore': {
    build: (chart) =>
      new ClusterSecretStore(chart, 'store', {
        metadata: { name: 'crumpet' },
        spec: { provider: { fake: { data: [{ key: 'crumpet/watcher-signing-key', value: 'x' }] } }, refreshInterval: ClusterSecretStoreSpecRefreshInterval.fromString('1h') },
      }),
    wrongType: { pointer: '/spec/controller', value: 7 },
    misspelled: '/spec/refreshIntervall',
    intOrString: { pointer: '/spec/refreshInterval', values: [3600, '1h'] },
  },
  'external-secrets.io/v1/ExternalSecret': {
    build: (chart) =>
      new ExternalSecret(chart, 'es', {
        metadata: { name: 'watcher-signing-key' },
        spec: {
          refreshInterval: '1h',
          secretStoreRef: { kind: ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE, name: 'crumpet' },
          data: [{ secretKey: 'ed25519.key', remoteRef: { key: 'crumpet/watcher-signing-key', property: 'ed25519.key' } }],
        },
      }),
    // Unlike the ClusterSecretStore's, an ExternalSecret's refreshInterval is a duration string only.
    wrongType: { pointer: '/spec/refreshInterval', value: 3600 },
    misspelled: '/spec/refreshIntervall',
  },
  'snapshot.storage.k8s.io/v1/VolumeSnapshot': {
    build: (chart) =>
      new VolumeSnapshot(chart, 'snap', {
        metadata: { name: 'index-cin-node-en-0' },
        spec: { source: { persistentVolumeClaimName: 'index-cin-node-en-0' }, volumeSnapshotClassName: 'csi-snapclass' },
      }),
    wrongType: { pointer: '/spec/source/persistentVolumeClaimName', value: 7 },
    misspelled: '/spec/volumeSnapshotClass',
    // Written by the snapshot controller, but the only int-or-string field of the kind.
    intOrString: { pointer: '/status/restoreSize', values: [1073741824, '1Gi'] },
  },
  'argoproj.io/v1alpha1/Rollout': {
    build: (chart) =>
      new Rollout(chart, 'rollout', {
        metadata: { name: web.name },
        spec: {
          selector: { matchLabels: web.matchLabels },
          workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: web.name, scaleDown: 'progressively' },
          strategy: { canary: { steps: [{ setWeight: 10 }, { analysis: { templates: [{ templateName: 'slo' }] } }] } },
        },
      }),
    wrongType: { pointer: '/spec/strategy/canary/steps/0/setWeight', value: 'ten' },
    misspelled: '/spec/workloadRef/scaledown',
  },
  'argoproj.io/v1alpha1/AnalysisTemplate': {
    build: (chart) =>
      new AnalysisTemplate(chart, 'analysis', {
        metadata: { name: 'slo' },
        spec: { metrics: [{ name: 'burn', failureCondition: 'result[0] > 0.01', provider: { prometheus: { address: 'http://prometheus:9090', query: 'vector(0)' } } }] },
      }),
    wrongType: { pointer: '/spec/metrics/0/name', value: 3 },
    misspelled: '/spec/metrics/0/failureConditon',
  },
  'chaos-mesh.org/v1alpha1/PodChaos': {
    build: (chart) =>
      new PodChaos(chart, 'pod-kill', {
        metadata: { name: 'web-pod-kill' },
        spec: { action: PodChaosSpecAction.POD_HYPHEN_KILL, mode: PodChaosSpecMode.ONE, selector: { labelSelectors: web.matchLabels }, duration: '2m' },
      }),
    wrongType: { pointer: '/spec/gracePeriod', value: 'now' },
    misspelled: '/spec/selector/labelSelector',
  },
  'chaos-mesh.org/v1alpha1/NetworkChaos': {
    build: (chart) =>
      new NetworkChaos(chart, 'delay', {
        metadata: { name: 'web-egress-delay' },
        spec: {
          action: NetworkChaosSpecAction.DELAY,
          mode: NetworkChaosSpecMode.ALL,
          selector: { labelSelectors: web.matchLabels },
          direction: NetworkChaosSpecDirection.TO,
          externalTargets: ['192.0.2.0/24'],
          delay: { latency: '500ms' },
          duration: '10m',
        },
      }),
    wrongType: { pointer: '/spec/externalTargets', value: '192.0.2.0/24' },
    misspelled: '/spec/delay/latancy',
  },
  'chaos-mesh.org/v1alpha1/HTTPChaos': {
    build: (chart) =>
      new HttpChaos(chart, 'abort', {
        metadata: { name: 'web-http-abort' },
        spec: { mode: HttpChaosSpecMode.ALL, selector: { labelSelectors: web.matchLabels }, target: HttpChaosSpecTarget.REQUEST, port: 8080, abort: true, duration: '5m' },
      }),
    wrongType: { pointer: '/spec/port', value: 'http' },
    misspelled: '/spec/abortt',
  },
  'traefik.io/v1alpha1/Middleware': {
    build: (chart) => new Middleware(chart, 'mw', { metadata: { name: 'ratelimit' }, spec: { rateLimit: { average: 100, burst: 50 } } }),
    wrongType: { pointer: '/spec/rateLimit/burst', value: 'fifty' },
    misspelled: '/spec/rateLimit/averag',
  },
  'argoproj.io/v1alpha1/Application': {
    build: (chart) =>
      new Application(chart, 'app', {
        metadata: { name: 'web-prod', namespace: 'argocd' },
        spec: {
          project: 'default',
          source: { repoUrl: 'https://git.example.org/team/deploy.git', targetRevision: 'HEAD', path: 'dist/prod' },
          destination: { server: 'https://kubernetes.default.svc', namespace: 'web' },
          syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=false'] },
        },
      }),
    wrongType: { pointer: '/spec/syncPolicy/automated/prune', value: 'yes' },
    misspelled: '/spec/syncPolicy/automated/selfheal',
  },
};

function validJson(key: string): Json {
  return CASES[key]!.build(testChart()).toJson() as Json;
}

/** A copy of `obj` with the field at `pointer` (`/spec/endpoints/0/port`) set to `value`, creating missing objects. */
function withField(obj: Json, pointer: string, value: unknown): Json {
  const copy = structuredClone(obj);
  const parts = pointer.split('/').slice(1);
  const parent = parts.slice(0, -1).reduce<Record<string, unknown>>((o, p) => (o[p] ??= {}) as Record<string, unknown>, copy);
  parent[parts.at(-1)!] = value;
  return copy;
}

interface SchemaError {
  readonly instancePath: string;
  readonly message?: string;
  readonly params?: Record<string, unknown>;
}

const labels = Object.fromEntries(STANDARD_LABEL_KEYS.map((k) => [k, 'x']));

/** The renderer's messages for `obj`, labelled so that only schema problems remain. */
async function rendererIssues(obj: Json): Promise<string[]> {
  const metadata = { ...(obj['metadata'] as Json), labels };
  return validateObjects([{ ...obj, metadata } as unknown as KubeObject]);
}

/** The schema errors of `obj`, or undefined when it is valid. */
async function validationErrors(key: string, obj: Json): Promise<readonly SchemaError[] | undefined> {
  const Model = await CRD_SCHEMAS[key]!();
  try {
    new Model(obj).validate();
    return undefined;
  } catch (err) {
    return (err as { errors?: SchemaError[] }).errors ?? [];
  }
}

describe('CRD schemas |', () => {
  it('GIVEN the CRD schema table WHEN compared with the cases here and the renderer table THEN every kind is tested and reachable', () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(CRD_SCHEMAS).sort());
    for (const key of Object.keys(CRD_SCHEMAS)) expect(SCHEMAS[key]).toBe(CRD_SCHEMAS[key]);
  });

  describe.each(Object.keys(CASES))('%s', (key) => {
    it('GIVEN a minimal object built with the imports/ binding WHEN validated THEN it passes', async () => {
      const obj = validJson(key);
      expect(`${String(obj['apiVersion'])}/${String(obj['kind'])}`).toBe(key);
      expect(await validationErrors(key, obj)).toBeUndefined();
    });

    it('GIVEN a spec field of the wrong type WHEN validated THEN it throws with an error at that field', async () => {
      const { pointer, value } = CASES[key]!.wrongType;
      const errors = await validationErrors(key, withField(validJson(key), pointer, value));
      expect(errors).toContainEqual(expect.objectContaining({ instancePath: pointer, message: expect.stringMatching(/^must be /) }));
    });
  });

  const generated = Object.keys(CASES).filter((key) => CASES[key]!.misspelled);

  describe.each(generated)('%s (generated from the CRD)', (key) => {
    it('GIVEN a misspelled spec field WHEN validated THEN it is rejected, naming the field', async () => {
      const pointer = CASES[key]!.misspelled!;
      const errors = await validationErrors(key, withField(validJson(key), pointer, '1h'));
      const parent = pointer.slice(0, pointer.lastIndexOf('/'));
      const field = pointer.slice(pointer.lastIndexOf('/') + 1);
      expect(errors).toEqual([expect.objectContaining({ instancePath: parent, params: { additionalProperty: field } })]);
    });

    it('GIVEN apiVersion, kind or metadata missing or of the wrong type WHEN validated THEN the root names each', async () => {
      const obj: Json = { ...validJson(key), apiVersion: 'v1', metadata: 'web' };
      delete obj['kind'];
      const errors = await validationErrors(key, obj);
      expect(errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ instancePath: '', params: { missingProperty: 'kind' } }),
          expect.objectContaining({ instancePath: '/apiVersion', message: 'must be equal to constant' }),
          expect.objectContaining({ instancePath: '/metadata', message: 'must be object' }),
        ]),
      );
    });
  });

  describe.each(Object.keys(CASES).filter((key) => CASES[key]!.intOrString))('%s', (key) => {
    it('GIVEN an x-kubernetes-int-or-string field WHEN set to an integer or a string THEN it passes, and a boolean fails', async () => {
      const { pointer, values } = CASES[key]!.intOrString!;
      for (const value of values) expect(await validationErrors(key, withField(validJson(key), pointer, value))).toBeUndefined();
      const errors = await validationErrors(key, withField(validJson(key), pointer, true));
      expect(errors).toContainEqual(expect.objectContaining({ instancePath: pointer, message: 'must be integer,string' }));
    });
  });

  it('GIVEN the kinds with a validator generated from their CRD THEN none is allow-listed as schema-less', () => {
    expect(generated.map((key) => key.split('/').at(-1)).filter((kind) => kind! in NO_SCHEMA_ALLOWED)).toEqual([]);
  });

  it('GIVEN unknown fields under a node with x-kubernetes-preserve-unknown-fields WHEN validated THEN they pass, and the declared ones are still checked', async () => {
    const key = 'bitnami.com/v1alpha1/SealedSecret';
    expect(await validationErrors(key, withField(validJson(key), '/spec/template/metadata/finalizers', ['x']))).toBeUndefined();
    expect(await validationErrors(key, withField(validJson(key), '/spec/encryptedData/extra', 'AgB='))).toBeUndefined();
    expect(await validationErrors(key, withField(validJson(key), '/spec/encryptedData/extra', 42))).toEqual([
      expect.objectContaining({ instancePath: '/spec/encryptedData/extra', message: 'must be string' }),
    ]);
  });

  it('GIVEN a nullable field set to null WHEN validated THEN it passes', async () => {
    const key = 'bitnami.com/v1alpha1/SealedSecret';
    expect(await validationErrors(key, withField(validJson(key), '/spec/template/data', null))).toBeUndefined();
  });

  it('GIVEN an ExternalSecret with a misspelled field WHEN the renderer validates it THEN the message names kind, name and field path', async () => {
    const secret = withField(validJson('external-secrets.io/v1/ExternalSecret'), '/spec/refreshIntervall', '1h');
    expect(await rendererIssues(secret)).toEqual(['ExternalSecret/watcher-signing-key spec.refreshIntervall: unknown field']);
  });

  it('GIVEN a Certificate with a wrong-typed field WHEN the renderer validates it THEN the message names kind, name and field path', async () => {
    const cert = withField(validJson('cert-manager.io/v1/Certificate'), '/spec/secretName', 42);
    expect(await rendererIssues(cert)).toEqual(['Certificate/web-tls spec.secretName: must be string']);
  });
});
