import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { AppLabels, buildComponents, ComponentRegistry, declaredRoutes, EdgeRouteTable, statelessComponent, type ResourcesSpec } from '../../src/lib/index.ts';
import { testChart } from '../_helpers.ts';

/*
 * Where the environment turns mTLS on, the edge reaches gRPC upstreams over mTLS only: a gRPC
 * route to a port that serves no mesh certificate would fail every request at run time, so the
 * route table refuses it at synth, naming the route, the component and the port.
 */

interface Model {
  readonly components: Record<string, unknown>;
}
const resources: ResourcesSpec = { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '100m', memory: '64Mi' } };
const grpcApi = (meshTls: boolean) =>
  statelessComponent<Model>({
    name: 'notifier',
    role: 'api',
    ports: { grpc: { port: 9090, appProtocol: 'grpc', meshTls } },
    defaults: { replicas: 1, resources },
    container: { health: { path: '/healthz', port: 'grpc' } },
    routes: [{ name: 'notifier', prefix: '/shop.Notifier/', port: 'grpc', timeout: '5s' }],
  });
const tls = { certFile: '/tls/tls.crt', keyFile: '/tls/tls.key', caFile: '/tls/ca.crt' };
const labels = new AppLabels({ name: 'shop', instance: 'shop', component: 'shop', partOf: 'shop', version: '1' });

function table(meshTls: boolean, mtls: boolean): EdgeRouteTable {
  const registry = ComponentRegistry.of<Model>([grpcApi(meshTls)]);
  const chart = testChart();
  const model: Model = { components: { notifier: { image: { repository: 'registry.example.org/notifier', tag: '1.0.0' }, replicas: 1, resources } } };
  const placed = buildComponents({ registry, model, labels, features: { autoscaling: false, podDisruptionBudget: false, serviceMonitor: false }, scopeFor: (n) => new Construct(chart, n) });
  return new EdgeRouteTable({
    namespace: 'shop',
    routes: declaredRoutes(registry.components),
    components: new Map(placed.map((p) => [p.declaration.name, p] as const)),
    ...(mtls ? { grpcClientTls: tls } : {}),
    where: 'routes',
  });
}

describe('Edge routes to gRPC under mTLS |', () => {
  it('GIVEN mTLS on and a gRPC port without a mesh certificate THEN the route is refused naming the component and port', () => {
    expect(() => table(false, true)).toThrow(/^routes\[0\] \("notifier"\): the edge reaches gRPC upstreams over mTLS here, but port "grpc" of component "notifier" serves no mesh certificate/);
  });

  it('GIVEN mTLS on and a port that serves a mesh certificate THEN its cluster is reached over mTLS, checked against its Service name', () => {
    const [upstream] = table(true, true).upstreams;
    expect(upstream!.mtls).toEqual({ ...tls, sni: 'notifier.shop.svc.cluster.local' });
  });

  it('GIVEN mTLS off THEN a plaintext gRPC port is routed as it is', () => {
    const [upstream] = table(false, false).upstreams;
    expect(upstream!.protocol).toBe('grpc');
    expect(upstream!.mtls).toBeUndefined();
  });
});
