import { describe, expect, it } from 'vitest';
import { ComponentRegistry, type EdgeRouteTable } from '../../src/lib/index.ts';
import { api, placeAll, routeTable, SETTINGS, type TestModel } from './_components.ts';

/*
 * Where the environment turns mTLS on, the edge reaches gRPC upstreams over mTLS only: a gRPC
 * route to a port that serves no mesh certificate would fail every request at run time, so the
 * route table refuses it at synth, naming the route, the component and the port.
 */

const tls = { certFile: '/tls/tls.crt', keyFile: '/tls/tls.key', caFile: '/tls/ca.crt' };

function table(meshTls: boolean, mtls: boolean): EdgeRouteTable {
  const notifier = api('notifier', { port: 9090, appProtocol: 'grpc', meshTls }, { routes: [{ name: 'notifier', prefix: '/shop.Notifier/', port: 'grpc', timeout: '5s' }] }, 'grpc');
  const registry = ComponentRegistry.of<TestModel>([notifier]);
  const { placed } = placeAll(registry, { components: { notifier: SETTINGS } });
  return routeTable(registry, placed, mtls ? { grpcClientTls: tls } : {});
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
