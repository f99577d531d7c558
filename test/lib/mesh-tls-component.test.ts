import { describe, expect, it } from 'vitest';
import { Construct } from 'constructs';
import { buildComponents, ComponentRegistry, MESH_TLS_DIR, statelessComponent, type MeshCertificates, type MeshServerCertificateProps } from '../../src/lib/index.ts';
import { meshCertificates, MESH_CA_ISSUER } from '../../src/stacks/crumpet/index.ts';
import { testChart } from '../_helpers.ts';
import { LABELS, NO_FEATURES, routeTable, SETTINGS, type TestModel } from './_components.ts';

/*
 * A stateless component whose port declares `meshTls` serves it with a certificate of the
 * environment's mesh: where the stack gives buildComponents a mesh (mTLS on), the Deployment
 * mounts a server certificate per such port and tells its container where the files are; the
 * edge, reaching that port over mTLS, checks a name the certificate is for. Without a mesh the
 * port serves plaintext and nothing is mounted.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

/** A component with a gRPC port serving a mesh certificate, an HTTP port that does not, and a volume of its own. */
const notifier = statelessComponent<TestModel>({
  name: 'notifier',
  role: 'api',
  ports: { grpc: { port: 9090, appProtocol: 'grpc', meshTls: true }, http: { port: 8080, healthPath: '/healthz' } },
  defaults: { replicas: 1, resources: SETTINGS.resources },
  container: { health: { path: '/healthz', port: 'http' }, env: [{ name: 'MODE', value: 'push' }], mounts: [{ volume: 'cache', path: '/cache', readOnly: false }] },
  volumes: [{ name: 'cache', emptyDir: { sizeLimit: '64Mi' } }],
  routes: [{ name: 'notifier', prefix: '/shop.Notifier/', port: 'grpc', timeout: '5s' }],
});
const registry = ComponentRegistry.of<TestModel>([notifier]);
const model: TestModel = { components: { notifier: SETTINGS } };

/** Builds the registry with `mesh`; returns the chart's objects and what the mesh was asked for. */
function build(mesh: MeshCertificates | undefined) {
  const asked: MeshServerCertificateProps[] = [];
  const recording: MeshCertificates | undefined = mesh && {
    server: (scope, props) => {
      asked.push(props);
      return mesh.server(scope, props);
    },
  };
  const chart = testChart();
  const placed = buildComponents({ registry, model, labels: LABELS, features: NO_FEATURES, scopeFor: (name) => new Construct(chart, name), edge: true, ...(recording ? { mesh: recording } : {}) });
  return { objects: chart.toJson() as Obj[], asked, placed };
}

const podOf = (objects: Obj[]): Obj => objects.find((o) => o.kind === 'Deployment')!.spec.template.spec;

describe('Stateless component | a port that serves a mesh certificate', () => {
  it('GIVEN a mesh THEN each meshTls port gets a server certificate for the Service, mounted read-only, its files named to the container; the other port none', () => {
    const { objects, asked } = build(meshCertificates('shop'));
    expect(asked.map((a) => [a.name, a.service])).toEqual([['notifier-grpc-tls', 'notifier']]);
    const pod = podOf(objects);
    const container = pod.containers[0];
    const mount = (container.volumeMounts as Obj[]).find((m) => m.mountPath === `${MESH_TLS_DIR}/grpc`);
    expect(mount, 'the certificate is mounted').toBeDefined();
    expect(mount!.readOnly).toBe(true);
    const volume = (pod.volumes as Obj[]).find((v) => v.name === mount!.name)!;
    expect(volume.secret.secretName).toBe('notifier-grpc-tls');
    const env = Object.fromEntries((container.env as Obj[]).map((e) => [e.name, e.value]));
    expect(env).toMatchObject({
      MODE: 'push',
      GRPC_TLS_CERT_FILE: `${MESH_TLS_DIR}/grpc/tls.crt`,
      GRPC_TLS_KEY_FILE: `${MESH_TLS_DIR}/grpc/tls.key`,
      GRPC_TLS_CLIENT_CA_FILE: `${MESH_TLS_DIR}/grpc/ca.crt`,
    });
    expect(Object.keys(env).filter((k) => k.startsWith('HTTP_TLS'))).toEqual([]);
    // The component's own volume and mount stay.
    expect((pod.volumes as Obj[]).map((v) => v.name)).toEqual(expect.arrayContaining(['cache', 'grpc-tls']));
    expect((container.volumeMounts as Obj[]).some((m) => m.mountPath === '/cache')).toBe(true);
  });

  it('GIVEN the stack\'s mesh (Crumpet) THEN the certificate is a server certificate of the mesh CA for every name the edge may check, the edge\'s SNI among them', () => {
    const { objects, placed } = build(meshCertificates('shop'));
    const certificate = objects.find((o) => o.kind === 'Certificate')!;
    expect(certificate.spec.secretName).toBe('notifier-grpc-tls');
    expect(certificate.spec.issuerRef).toEqual({ group: 'cert-manager.io', kind: 'Issuer', name: MESH_CA_ISSUER });
    expect(certificate.spec.usages).toContain('server auth');
    const tls = { certFile: '/tls/tls.crt', keyFile: '/tls/tls.key', caFile: '/tls/ca.crt' };
    const [upstream] = routeTable(registry, placed, { grpcClientTls: tls }).upstreams;
    expect(certificate.spec.dnsNames).toContain(upstream!.mtls!.sni);
  });

  it('GIVEN no mesh (mTLS off) THEN nothing is mounted and the container is told of no certificate', () => {
    const { objects } = build(undefined);
    expect(objects.filter((o) => o.kind === 'Certificate')).toEqual([]);
    const pod = podOf(objects);
    expect((pod.volumes as Obj[]).map((v) => v.name)).not.toContain('grpc-tls');
    expect(((pod.containers[0].env ?? []) as Obj[]).map((e) => e.name).filter((n) => n.includes('_TLS_'))).toEqual([]);
  });
});
