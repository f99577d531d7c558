import { ApiObject } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { STANDARD_LABEL_KEYS } from '../../src/lib/index.ts';
import { renderApp, SynthError } from '../../src/render/index.ts';
import { referenceProblems } from '../../src/render/_references.ts';
import { CrumpetApp, loadEnvironment } from '../../src/stacks/crumpet/index.ts';

/*
 * References the API server accepts unresolved, which then fail without an error anywhere (a
 * Service without endpoints, a budget protecting nothing, an autoscaler or Ingress pointing at
 * nothing): synth refuses them, naming the referring object and field.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

const NS = 'shop';
const labels = Object.fromEntries(STANDARD_LABEL_KEYS.map((k) => [k, 'web']));
const meta = (name: string) => ({ name, namespace: NS, labels });

/** A Deployment, its Service, budget, autoscaler and Ingress, every reference resolved. */
function environment(): Obj[] {
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('web'),
      spec: {
        selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
        template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'web:1', ports: [{ name: 'http', containerPort: 8080 }] }] } },
      },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: meta('web'), spec: { selector: { 'app.kubernetes.io/name': 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta('web'), spec: { maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } } } },
    { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: meta('web'), spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 3 } },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: meta('web'),
      spec: { rules: [{ host: 'shop.example.org', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } }] } }] },
    },
  ];
}

function broken(change: (objects: Obj[]) => void): string[] {
  const objects = environment();
  change(objects);
  return referenceProblems(objects as never);
}

const find = (objects: Obj[], kind: string): Obj => objects.find((o) => o.kind === kind)!;

describe('References between objects |', () => {
  it('GIVEN every reference resolved THEN there is no problem; a Service without selector (its own endpoints) is not judged', () => {
    expect(referenceProblems(environment() as never)).toEqual([]);
    expect(broken((o) => delete find(o, 'Service').spec.selector)).toEqual([]);
  });

  it('GIVEN a Service selecting no pod, or targeting a port name no pod declares THEN the Service field is named', () => {
    expect(broken((o) => (find(o, 'Service').spec.selector = { 'app.kubernetes.io/name': 'api' }))).toEqual([
      'Service/web spec.selector: selects no pod of the environment (app.kubernetes.io/name=api): the Service has no endpoints',
    ]);
    expect(broken((o) => (find(o, 'Service').spec.ports[0].targetPort = 'https'))).toEqual([
      'Service/web spec.ports[0].targetPort: no pod the Service selects declares a port named "https": the Service has no endpoint on it',
    ]);
  });

  it('GIVEN pods of another namespace THEN they are not selected', () => {
    expect(broken((o) => (find(o, 'Deployment').metadata = { ...meta('web'), namespace: 'other' }))).toEqual([
      'Service/web spec.selector: selects no pod of the environment (app.kubernetes.io/name=web): the Service has no endpoints',
      'PodDisruptionBudget/web spec.selector.matchLabels: selects no pod of the environment (app.kubernetes.io/name=web): the budget protects nothing',
      'HorizontalPodAutoscaler/web spec.scaleTargetRef: names Deployment/web, which the environment does not have in its namespace',
    ]);
  });

  it('GIVEN an Ingress backend naming a missing Service, or a port its Service lacks THEN the backend is named', () => {
    expect(broken((o) => (find(o, 'Ingress').spec.rules[0].http.paths[0].backend.service.name = 'api'))).toEqual([
      'Ingress/web spec.rules[0].http.paths[0].backend.service.name: names Service/api, which the environment does not have in its namespace',
    ]);
    expect(broken((o) => (find(o, 'Ingress').spec.rules[0].http.paths[0].backend.service.port = { number: 8443 }))).toEqual([
      'Ingress/web spec.rules[0].http.paths[0].backend.service.port: Service/web has no port 8443',
    ]);
  });

  it('GIVEN a pod naming a ServiceAccount, ConfigMap, Secret or claim nothing creates THEN each field is named; optional ones and the cluster CA are not', () => {
    const pod = (o: Obj[]): Obj => find(o, 'Deployment').spec.template.spec;
    expect(
      broken((o) => {
        pod(o).serviceAccountName = 'web';
        pod(o).volumes = [
          { name: 'config', configMap: { name: 'web-config' } },
          { name: 'ca', configMap: { name: 'kube-root-ca.crt' } },
          { name: 'tls', secret: { secretName: 'web-tls' } },
          { name: 'extra', secret: { secretName: 'maybe', optional: true } },
          { name: 'data', persistentVolumeClaim: { claimName: 'web-data' } },
        ];
        pod(o).containers[0].env = [{ name: 'KEY', valueFrom: { secretKeyRef: { name: 'web-key', key: 'k' } } }];
      }),
    ).toEqual([
      'Deployment/web spec.template.spec.serviceAccountName: names ServiceAccount/web, which nothing in the environment creates in its namespace',
      'Deployment/web spec.template.spec.volumes[0].configMap.name: names ConfigMap/web-config, which nothing in the environment creates in its namespace',
      'Deployment/web spec.template.spec.volumes[2].secret.secretName: names Secret/web-tls, which nothing in the environment creates in its namespace',
      'Deployment/web spec.template.spec.volumes[4].persistentVolumeClaim.claimName: names PersistentVolumeClaim/web-data, which nothing in the environment creates in its namespace',
      'Deployment/web spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name: names Secret/web-key, which nothing in the environment creates in its namespace',
    ]);
  });

  it('GIVEN Secrets an ExternalSecret, a SealedSecret and a Certificate make THEN they resolve', () => {
    expect(
      broken((o) => {
        find(o, 'Deployment').spec.template.spec.volumes = [
          { name: 'a', secret: { secretName: 'from-store' } },
          { name: 'b', secret: { secretName: 'sealed' } },
          { name: 'c', secret: { secretName: 'web-tls' } },
        ];
        o.push(
          { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: meta('es'), spec: { target: { name: 'from-store' } } },
          { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: meta('sealed'), spec: {} },
          { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: meta('cert'), spec: { secretName: 'web-tls' } },
        );
      }),
    ).toEqual([]);
  });

  it('GIVEN a StatefulSet whose governing Service is missing or not headless THEN its serviceName is named', () => {
    const asSet = (o: Obj[]): Obj => {
      const set = find(o, 'Deployment');
      set.kind = 'StatefulSet';
      set.spec.serviceName = 'web-members';
      return set;
    };
    const missing = 'StatefulSet/web spec.serviceName: names Service/web-members, which the environment does not have as a headless Service in its namespace: the members get no DNS names';
    expect(broken((o) => asSet(o))).toEqual([missing, 'HorizontalPodAutoscaler/web spec.scaleTargetRef: names Deployment/web, which the environment does not have in its namespace']);
    const headless = (clusterIP?: string): Obj => ({ apiVersion: 'v1', kind: 'Service', metadata: meta('web-members'), spec: { ...(clusterIP ? { clusterIP } : {}), selector: { 'app.kubernetes.io/name': 'web' }, ports: [{ name: 'http', port: 8080 }] } });
    const fixed = (o: Obj[]) => (find(o, 'HorizontalPodAutoscaler').spec.scaleTargetRef.kind = 'StatefulSet');
    expect(broken((o) => (asSet(o), fixed(o), o.push(headless())))).toEqual([missing]);
    expect(broken((o) => (asSet(o), fixed(o), o.push(headless('None'))))).toEqual([]);
  });

  it('GIVEN a NetworkPolicy whose pod selector selects no pod THEN it is named; an empty selector (every pod) is fine', () => {
    const policy = (podSelector: Obj): Obj => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('web-ingress'), spec: { podSelector, policyTypes: ['Ingress'], ingress: [{}] } });
    expect(broken((o) => o.push(policy({ matchLabels: { 'app.kubernetes.io/name': 'webb' } })))).toEqual([
      'NetworkPolicy/web-ingress spec.podSelector.matchLabels: selects no pod of the environment (app.kubernetes.io/name=webb): the policy applies to nothing',
    ]);
    expect(broken((o) => o.push(policy({})))).toEqual([]);
  });

  it('GIVEN one Secret two objects make (a Certificate, an ExternalSecret, an Ingress cert-manager issues for) THEN the second maker is named with the first; an ExternalSecret merging into it is not', () => {
    const external = (name: string, target: object) => ({ apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: meta(name), spec: { target } });
    const certificate = { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: meta('cert'), spec: { secretName: 'web-tls' } };
    const issued = (o: Obj[]) => {
      const ingress = find(o, 'Ingress');
      ingress.metadata = { ...ingress.metadata, annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' } };
      ingress.spec.tls = [{ hosts: ['shop.example.org'], secretName: 'web-tls' }];
    };
    expect(broken((o) => o.push(certificate, external('keys', { name: 'web-tls' })))).toEqual([
      'ExternalSecret/keys spec.target.name: Secret/web-tls is made by Certificate/cert (spec.secretName) too: each overwrites the other\'s data',
    ]);
    expect(broken((o) => (issued(o), o.push(external('keys', { name: 'web-tls' }))))).toEqual([
      'ExternalSecret/keys spec.target.name: Secret/web-tls is made by Ingress/web (spec.tls[0].secretName) too: each overwrites the other\'s data',
    ]);
    expect(broken((o) => (issued(o), o.push(external('keys', { name: 'web-tls', creationPolicy: 'Merge' }))))).toEqual([]);
    // Without the annotation the Ingress only reads its TLS Secret, which the Certificate makes.
    expect(broken((o) => ((find(o, 'Ingress').spec.tls = [{ secretName: 'web-tls' }]), o.push(certificate)))).toEqual([]);
  });

  it('GIVEN a RoleBinding to a missing Role or ServiceAccount THEN it is named', () => {
    expect(
      broken((o) =>
        o.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta('web'), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' }, subjects: [{ kind: 'ServiceAccount', name: 'web' }] }),
      ),
    ).toEqual([
      'RoleBinding/web roleRef: names Role/reader, which the environment does not have in its namespace',
      `RoleBinding/web subjects[0]: names ServiceAccount/web, which the environment does not have in namespace ${NS}`,
    ]);
  });

  it("GIVEN a Service in a stack's chart selecting nothing WHEN synth renders the environment THEN it fails naming the environment, the Service and the field", async () => {
    const config = await loadEnvironment('staging');
    const app = new CrumpetApp(config);
    new ApiObject(app.charts.find((c) => c.node.id === 'web')!, 'Orphan', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'orphan', namespace: config.namespace, labels },
      spec: { selector: { 'app.kubernetes.io/name': 'no-such-app' }, ports: [{ name: 'http', port: 80 }] },
    });
    const err = await renderApp(app, 'staging').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SynthError);
    expect((err as Error).message).toMatch(/^\[staging\] Service\/orphan spec\.selector: selects no pod of the environment \(app\.kubernetes\.io\/name=no-such-app\): the Service has no endpoints$/m);
  });
});
