import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AppLabels, ImageReference, StatelessService, type StatelessServiceProps } from '../../src/lib/index.ts';
import { testChart } from '../_helpers.ts';

const labels = new AppLabels({ name: 'svc', instance: 'i', component: 'c', partOf: 'p', version: 'v1' });
type Container = StatelessServiceProps['container'];
const container: Container = {
  image: ImageReference.of({ repository: 'ghcr.io/x/svc', tag: 'v1' }),
  ports: [{ name: 'http', port: 8080 }],
  resources: { requests: { cpu: '1', memory: '1Gi' } },
  health: { path: '/healthz', port: 'http' },
};
const base: StatelessServiceProps = { name: 'svc', labels, container };

function build(overrides: Partial<StatelessServiceProps>, containerOverrides: Partial<Container> = {}): void {
  new StatelessService(testChart(), 'Svc', { ...base, ...overrides, container: { ...container, ...containerOverrides } });
}

describe('StatelessService |', () => {
  it('GIVEN negative replicas THEN it throws naming the construct path and field', () => {
    expect(() => build({ replicas: -1 })).toThrow(/^\[test\/Svc\] replicas must be an integer >= 0, got -1$/);
  });

  it('GIVEN no ports THEN it throws', () => {
    expect(() => build({}, { ports: [] })).toThrow(/\[test\/Svc\] container\.ports must name at least one port/);
  });

  it('GIVEN a port name longer than 15 characters THEN it throws', () => {
    expect(() => build({}, { ports: [{ name: 'a-very-long-port-name', port: 80 }], health: { path: '/', port: 'a-very-long-port-name' } }))
      .toThrow(/ports: name must be a lower-case IANA service name of at most 15 characters, got "a-very-long-port-name"/);
  });

  it('GIVEN a port out of range THEN it throws', () => {
    expect(() => build({}, { ports: [{ name: 'http', port: 70000 }] })).toThrow(/\[test\/Svc\/svc\] ports\.http: port must be 1-65535, got 70000/);
  });

  it('GIVEN a health port that is not declared THEN it throws', () => {
    expect(() => build({}, { health: { path: '/', port: 'admin' } })).toThrow(/health\.port must name one of the ports \(http\), got "admin"/);
  });

  it('GIVEN a startup budget below one probe period THEN it throws naming the field', () => {
    expect(() => build({}, { health: { path: '/', port: 'http', startupSeconds: 2 } }))
      .toThrow(/\[test\/Svc\/svc\] health\.startupSeconds must be an integer >= 5, got 2/);
  });

  it('GIVEN a health check without a path THEN every probe is a TCP connect to the port, and startup gets its budget', () => {
    const chart = testChart();
    new StatelessService(chart, 'Svc', { ...base, container: { ...container, health: { port: 'http', startupSeconds: 300 } } });
    const c = Testing.synth(chart).find((o) => o.kind === 'Deployment').spec.template.spec.containers[0];
    for (const p of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      expect(c[p].tcpSocket, p).toEqual({ port: c.ports.find((q: { name: string }) => q.name === 'http').containerPort });
      expect(c[p].httpGet, p).toBeUndefined();
    }
    expect(c.startupProbe.periodSeconds * c.startupProbe.failureThreshold).toBe(300);
  });

  it('GIVEN writable paths THEN each gets an emptyDir mounted at that path', () => {
    const chart = testChart();
    new StatelessService(chart, 'Svc', { ...base, container: { ...container, writablePaths: ['/tmp', '/var/cache/app'] } });
    const deploy = Testing.synth(chart).find((o) => o.kind === 'Deployment');
    expect(deploy.spec.template.spec.containers[0].volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp', readOnly: false },
      { name: 'var-cache-app', mountPath: '/var/cache/app', readOnly: false },
    ]);
  });
});

describe('AppLabels |', () => {
  it('GIVEN a version that is not a valid label value THEN it throws naming the label', () => {
    expect(() => new AppLabels({ name: 'a', instance: 'b', component: 'c', partOf: 'd', version: 'v1+build' }))
      .toThrow(/label app\.kubernetes\.io\/version must be a valid label value .*got "v1\+build"/);
  });

  it('GIVEN labels THEN the selector holds only name and instance, so it survives upgrades', () => {
    expect(labels.selector).toEqual({ 'app.kubernetes.io/name': 'svc', 'app.kubernetes.io/instance': 'i' });
    expect(Object.keys(labels.all)).toHaveLength(6);
  });
});
