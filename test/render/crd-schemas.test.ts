import { type ApiObject, type Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AlertmanagerConfig } from '../../imports/alertmanagerconfigs-monitoring.coreos.com.ts';
import { Certificate } from '../../imports/certificates-cert-manager.io.ts';
import { ClusterIssuer } from '../../imports/clusterissuers-cert-manager.io.ts';
import { PodMonitor } from '../../imports/podmonitors-monitoring.coreos.com.ts';
import { PrometheusRule, PrometheusRuleSpecGroupsRulesExpr } from '../../imports/prometheusrules-monitoring.coreos.com.ts';
import { ServiceMonitor, ServiceMonitorSpecEndpointsScheme } from '../../imports/servicemonitors-monitoring.coreos.com.ts';
import { STANDARD_LABEL_KEYS } from '../../src/lib/index.ts';
import { CRD_SCHEMAS } from '../../src/render/_crd-schemas.ts';
import { SCHEMAS } from '../../src/render/_schemas.ts';
import { type KubeObject, validateObjects } from '../../src/render/index.ts';

type Json = Record<string, unknown>;

interface SchemaCase {
  /** A minimal valid object, built with the typed binding from imports/. */
  readonly build: (chart: Chart) => ApiObject;
  /** JSON pointer of a spec field and a value of the wrong type for it. */
  readonly wrongType: { readonly pointer: string; readonly value: unknown };
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
};

function validJson(key: string): Json {
  return CASES[key]!.build(Testing.chart()).toJson() as Json;
}

/** A copy of `obj` with the field at `pointer` (`/spec/endpoints/0/port`) set to `value`. */
function withField(obj: Json, pointer: string, value: unknown): Json {
  const copy = structuredClone(obj);
  const parts = pointer.split('/').slice(1);
  const parent = parts.slice(0, -1).reduce<Record<string, unknown>>((o, p) => o[p] as Record<string, unknown>, copy);
  parent[parts.at(-1)!] = value;
  return copy;
}

interface SchemaError {
  readonly instancePath: string;
  readonly message?: string;
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

  it('GIVEN a Certificate with a wrong-typed field WHEN the renderer validates it THEN the message names kind, name and field path', async () => {
    const labels = Object.fromEntries(STANDARD_LABEL_KEYS.map((k) => [k, 'x']));
    const cert = withField(validJson('cert-manager.io/v1/Certificate'), '/spec/secretName', 42);
    const issues = await validateObjects([{ ...cert, metadata: { name: 'web-tls', labels } } as unknown as KubeObject]);
    expect(issues).toEqual(['Certificate/web-tls spec.secretName: must be string']);
  });
});
