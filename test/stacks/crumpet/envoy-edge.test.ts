import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../../src/config/index.ts';
import { declaredRoutes } from '../../../src/lib/index.ts';
import { CRUMPET_COMPONENTS, CrumpetApp, type EdgeRouteConfig, edgeRoutes, loadEnvironment, type PlatformConfig, validateConfig } from '../../../src/stacks/crumpet/index.ts';
import { EnvoyApi } from '../../../src/lib/envoy/index.ts';
import { renderApp } from '../../../src/render/index.ts';
import { connectionManager, routeRequest, type EdgeRequest } from '../../_analysis/index.ts';
import { PROJECT_ROOT } from '../../_helpers.ts';
import { ENVIRONMENTS } from './_output.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

/*
 * The edge as Envoy runs it: requests routed through the committed ops/envoy/<env>/envoy.yaml with
 * Envoy's first-match semantics (test/_analysis/envoy-routes.ts).
 */

const bootstrapOf = (env: string): Obj => yaml.load(readFileSync(join(PROJECT_ROOT, 'ops/envoy', env, 'envoy.yaml'), 'utf8')) as Obj;

describe('EnvoyEdge | request routing in prod', () => {
  const bootstrap = bootstrapOf('prod');
  const https = connectionManager(bootstrap, 'https');
  const quic = connectionManager(bootstrap, 'https-quic');
  const get = (path: string, headers: Record<string, string> = {}): EdgeRequest => ({ method: 'GET', path, headers });
  const grpcWeb = { 'content-type': 'application/grpc-web+proto' };

  const table: [string, EdgeRequest, { route: string | null; cluster: string | null; rateLimited?: boolean; grpcWeb?: boolean; upgrade?: string }][] = [
    ['search, primary language', get('/v1/search?q=kant'), { route: 'search', cluster: 'cin-node-en-8080', rateLimited: true }],
    ['search in Spanish', get('/v1/search?q=kant&lang=es'), { route: 'search-es', cluster: 'cin-node-es-8080', rateLimited: true }],
    ['search in German', get('/v1/search?lang=de'), { route: 'search-de', cluster: 'cin-node-de-8080', rateLimited: true }],
    ['search, unknown language', get('/v1/search?lang=xx'), { route: 'search', cluster: 'cin-node-en-8080', rateLimited: true }],
    ['health', get('/v1/health'), { route: 'cin-api', cluster: 'cin-node-en-8080', rateLimited: false }],
    ['a search sub-path is not search', get('/v1/search/suggest'), { route: 'cin-api', cluster: 'cin-node-en-8080', rateLimited: false }],
    ['WebSocket', get('/v1/ws', { upgrade: 'websocket' }), { route: 'cin-ws', cluster: 'cin-node-en-8080', upgrade: 'accepted' }],
    ['WebSocket in Spanish', get('/v1/ws?lang=es', { upgrade: 'websocket' }), { route: 'cin-ws-es', cluster: 'cin-node-es-8080', upgrade: 'accepted' }],
    ['WebSocket upgrade elsewhere', get('/v1/health', { upgrade: 'websocket' }), { route: 'cin-api', cluster: 'cin-node-en-8080', upgrade: 'refused' }],
    [
      'gRPC-Web',
      { method: 'POST', path: '/grpc.crumpet.v1.Control/Snapshot', headers: grpcWeb },
      { route: 'cin-grpc', cluster: 'cin-node-en-8081', grpcWeb: true },
    ],
    [
      'gRPC-Web in German',
      { method: 'POST', path: '/grpc.crumpet.v1.Control/Snapshot', headers: { ...grpcWeb, 'x-crumpet-lang': 'de' } },
      { route: 'cin-grpc-de', cluster: 'cin-node-de-8081', grpcWeb: true },
    ],
    [
      'native gRPC',
      { method: 'POST', path: '/grpc.crumpet.v1.Control/Snapshot', headers: { 'content-type': 'application/grpc' } },
      { route: 'cin-grpc', cluster: 'cin-node-en-8081', grpcWeb: false },
    ],
    ['not a gRPC method path', { method: 'POST', path: '/grpc.crumpet', headers: grpcWeb }, { route: 'web', cluster: 'web-3000', grpcWeb: false }],
    ['pin a CID', { method: 'POST', path: '/v1/pins' }, { route: 'pins', cluster: 'pin-orchestrator-7070', rateLimited: false }],
    ['a pin job', get('/v1/pins/bafy/status'), { route: 'pins', cluster: 'pin-orchestrator-7070' }],
    ['the dApp', get('/'), { route: 'web', cluster: 'web-3000', rateLimited: false }],
    ['an unlisted path gets the web app (the default route)', get('/no/such/page'), { route: 'web', cluster: 'web-3000' }],
  ];

  it.each(table)('GIVEN %s WHEN routed THEN it takes the expected route', (_name, request, expected) => {
    for (const hcm of [https, quic]) expect(routeRequest(hcm, request)).toMatchObject(expected);
  });

  it('GIVEN an unknown host WHEN routed THEN no virtual host answers (404)', () => {
    expect(routeRequest(https, { method: 'GET', path: '/', host: 'evil.example' }).route).toBeNull();
    expect(routeRequest(https, { method: 'GET', path: '/v1/search', host: 'api.crumpet.example.org:443' }).route).toBe('search');
  });

  it('GIVEN the request table, and a request per declared route it lacks, THEN they take every route of the generated config, and none leads to a component not running in prod', async () => {
    const absent = CRUMPET_COMPONENTS.notRunningIn(await loadEnvironment('prod'));
    const [running, off] = [false, true].map((out) => CRUMPET_COMPONENTS.components.filter((c) => absent.has(c.name) === out));
    const all = (https.route_config.virtual_hosts[0].routes as Obj[]).map((r) => r.name);
    // An optional component's routes are left out where it does not run.
    for (const r of declaredRoutes(off!)) expect(all, `route ${r.name} of ${r.backend}, not running in prod`).not.toContain(r.name);
    const taken = new Set(table.map(([, r]) => routeRequest(https, r).route));
    // A route declared by a running component the table does not list: a request its declaration matches reaches it.
    for (const r of declaredRoutes(running!).filter((d) => !taken.has(d.name))) {
      const path = r.path ?? (r.prefix === undefined ? undefined : `${r.prefix}${r.prefix.endsWith('/') ? '' : '/'}probe`);
      expect(path, `route ${r.name}: a regex route needs a request in the table`).toBeDefined();
      expect(routeRequest(https, get(path!)), `route ${r.name} of ${r.backend}`).toMatchObject({ route: r.name, cluster: `${r.backend}-${CRUMPET_COMPONENTS.get(r.backend).ports[r.port]!.port}` });
      taken.add(r.name);
    }
    const cinVariants = all.filter((n) => !taken.has(n));
    // Language variants not in the table are the same route for another language.
    for (const n of cinVariants) expect(n).toMatch(/-(es|de)$/);
    for (const n of cinVariants) expect(taken.has(n.replace(/-(es|de)$/, ''))).toBe(true);
  });

  it('GIVEN every route THEN only the search routes are rate-limited, per client connection', () => {
    for (const r of https.route_config.virtual_hosts[0].routes as Obj[]) {
      const limit = r.typed_per_filter_config?.['envoy.filters.http.local_ratelimit'];
      expect(limit !== undefined, r.name).toBe(r.match.path === '/v1/search');
      if (limit) expect(limit).toMatchObject({ token_bucket: { max_tokens: 40, tokens_per_fill: 20, fill_interval: '1s' }, local_rate_limit_per_downstream_connection: true });
    }
  });

  it('GIVEN browser origins THEN only the configured frontends pass CORS, and paramsHash is exposed', () => {
    const from = (origin: string) => routeRequest(https, get('/v1/search', { origin })).cors!;
    expect(from('https://app.community.example')).toMatchObject({ allowed: true });
    expect(from('https://crumpet.example.org').allowed).toBe(true);
    expect(from('https://evil.example').allowed).toBe(false);
    expect(from('https://app.community.example').exposeHeaders).toEqual(expect.arrayContaining(['paramsHash', 'x-req-id']));
  });

  it('GIVEN x-req-id THEN it is kept when sent, else generated, sent upstream, returned and logged', () => {
    expect(https.generate_request_id).toBe(true);
    expect(https.route_config.request_headers_to_add).toContainEqual({ header: { key: 'x-req-id', value: '%REQ(x-request-id)%' }, append_action: 'ADD_IF_ABSENT' });
    expect(https.route_config.response_headers_to_add).toContainEqual(expect.objectContaining({ header: { key: 'x-req-id', value: '%REQ(x-req-id)%' } }));
    const log = https.access_log[0].typed_config.log_format.json_format;
    expect(log.req_id).toBe('%REQ(x-req-id)%');
    expect(JSON.stringify(log)).not.toMatch(/DOWNSTREAM_(REMOTE|DIRECT_REMOTE)_ADDRESS/);
  });
});

describe('EnvoyEdge | listeners, TLS and admin', () => {
  it.each(ENVIRONMENTS)('GIVEN %s THEN HTTP/3 listens on UDP beside TLS on TCP, advertised by alt-svc, with the Certificate secret', async (env) => {
    const bootstrap = bootstrapOf(env);
    const listeners = bootstrap.static_resources.listeners as Obj[];
    const tcp = listeners.find((l) => l.name === 'https')!;
    const udp = listeners.find((l) => l.name === 'https-quic')!;
    expect(udp.address.socket_address).toMatchObject({ protocol: 'UDP', port_value: tcp.address.socket_address.port_value });
    expect(udp.udp_listener_config.quic_options).toEqual({});
    expect(udp.filter_chains[0].transport_socket.typed_config['@type']).toBe('type.googleapis.com/envoy.extensions.transport_sockets.quic.v3.QuicDownstreamTransport');
    expect(connectionManager(bootstrap, 'https-quic').codec_type).toBe('HTTP3');
    expect(connectionManager(bootstrap, 'https').route_config.response_headers_to_add).toContainEqual(
      expect.objectContaining({ header: { key: 'alt-svc', value: 'h3=":443"; ma=86400' } }),
    );

    const objects = (await renderApp(new CrumpetApp(await loadEnvironment(env)), env)).charts.flatMap((c) => c.objects) as Obj[];
    const certificate = objects.find((o) => o.kind === 'Certificate' && o.spec.issuerRef.kind === 'ClusterIssuer')!;
    const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'envoy-edge')!;
    const service = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'envoy-edge')!;
    const pod = deployment.spec.template.spec;
    const tlsVolume = pod.volumes.find((v: Obj) => v.secret?.secretName === certificate.spec.secretName);
    const mount = pod.containers[0].volumeMounts.find((m: Obj) => m.name === tlsVolume.name);
    const certFile = tcp.filter_chains[0].transport_socket.typed_config.common_tls_context.tls_certificates[0].certificate_chain.filename;
    expect(certFile).toBe(`${mount.mountPath}/tls.crt`);
    expect(service.spec.ports.map((p: Obj) => `${p.port}/${p.protocol ?? 'TCP'}`).sort()).toEqual(['443/TCP', '443/UDP']);
  });

  it('GIVEN the admin interface THEN it is bound to localhost, and the public stats listener serves only /stats/prometheus and /ready', () => {
    const bootstrap = bootstrapOf('prod');
    expect(bootstrap.admin.address.socket_address.address).toBe('127.0.0.1');
    const stats = connectionManager(bootstrap, 'stats');
    const paths = (stats.route_config.virtual_hosts[0].routes as Obj[]).map((r) => r.match);
    expect(paths).toEqual([{ path: '/stats/prometheus' }, { path: '/ready' }]);
    expect(routeRequest(stats, { method: 'POST', path: '/quitquitquit', host: 'x' }).route).toBeNull();
    expect(routeRequest(stats, { method: 'GET', path: '/config_dump', host: 'x' }).route).toBeNull();
  });

  it('GIVEN every upstream THEN it is health-checked where its component declares (CIN on /v1/health, web on /api/health, gRPC by grpc.health.v1)', () => {
    const clusters = (bootstrapOf('prod').static_resources.clusters as Obj[]).filter((c) => c.name !== 'admin');
    expect(clusters.length).toBeGreaterThan(0);
    for (const c of clusters) {
      // `<component>[-<shard>]-<port>`: the declared component with the longest matching name.
      const component = CRUMPET_COMPONENTS.components.filter((d) => c.name.startsWith(`${d.name}-`)).sort((a, b) => b.name.length - a.name.length)[0]!;
      const port = Object.values(component.ports).find((p) => c.name.endsWith(`-${p.port}`))!;
      const check = c.health_checks[0];
      if (port.appProtocol === 'grpc') expect(check.grpc_health_check, c.name).toEqual({});
      else expect(check.http_health_check.path, c.name).toBe(port.healthPath);
    }
    expect(CRUMPET_COMPONENTS.get('cin-node').ports['http']!.healthPath).toBe('/v1/health');
    expect(CRUMPET_COMPONENTS.get('web').ports['http']!.healthPath).toBe('/api/health');
  });
});

/** A model duration (`15s`, `250ms`, `5m`) in seconds. */
function seconds(duration: string): number {
  const m = /^(\d+)(ms|s|m|h)$/.exec(duration);
  if (!m) throw new Error(`not a duration: ${duration}`);
  return (Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h']) / 1000;
}

describe.each(ENVIRONMENTS)('EnvoyEdge | shutdown and sources in %s', async (env) => {
  const config = await loadEnvironment(env);
  const bootstrap = bootstrapOf(env);
  const objects = (await renderApp(new CrumpetApp(config), env)).charts.flatMap((c) => c.objects) as Obj[];
  const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'envoy-edge')!;
  const container = deployment.spec.template.spec.containers[0];
  const listeners = bootstrap.static_resources.listeners as Obj[];
  const argument = (flag: string): string | undefined => container.args[container.args.indexOf(flag) + 1];
  const drainSeconds = Number(argument('--drain-time-s'));
  const longestRoute = Math.max(...edgeRoutes(config).map((r) => seconds(r.timeout)));
  /** The preStop hook, the drain listener it calls and what that listener does with the call. */
  function drainPath() {
    const hook = container.lifecycle?.preStop?.httpGet;
    expect(hook, 'the edge must drain on shutdown: its container needs a preStop httpGet hook').toBeDefined();
    const hookPort = container.ports.find((p: Obj) => p.name === hook.port || p.containerPort === hook.port)?.containerPort;
    const listener = listeners.find((l) => l.address.socket_address.port_value === hookPort && l.address.socket_address.protocol !== 'UDP');
    expect(listener, `the preStop hook must call a listener of the bootstrap, got port ${hook.port}`).toBeDefined();
    const drain = connectionManager(bootstrap, listener!.name);
    const decision = routeRequest(drain, { method: 'GET', path: hook.path, host: `${hookPort}` });
    const filter = (name: string) => (drain.http_filters as Obj[]).find((f) => f.name === name)?.typed_config;
    return { hook, hookPort, drain, decision, filter };
  }

  it('GIVEN an edge pod stopping THEN its preStop hook GETs the drain listener of its own pod, and Envoy drains with the configured time and strategy', () => {
    const { hook, decision } = drainPath();
    expect(hook.host, 'the hook calls the pod itself').toBeUndefined();
    expect(decision).toMatchObject({ directResponse: 200, cluster: null });
    expect(drainSeconds).toBeGreaterThan(0);
    expect(['immediate', 'gradual']).toContain(argument('--drain-strategy'));
  });

  it('GIVEN the drain route THEN it POSTs /drain_listeners?graceful to the admin port on localhost, for the public listeners only', () => {
    const { decision, filter } = drainPath();
    expect(decision.filters).toEqual(['envoy.filters.http.lua', 'envoy.filters.http.fault', 'envoy.filters.http.router']);
    const lua = filter('envoy.filters.http.lua').default_source_code.inline_string as string;
    const call = /httpCall\("([^"]+)",\s*\{([^}]*)\}/.exec(lua);
    expect(call, lua).not.toBeNull();
    expect(call![2]).toMatch(/\[":method"\]\s*=\s*"POST"/);
    const path = /\[":path"\]\s*=\s*"([^"]+)"/.exec(call![2]!)![1]!;
    const [endpoint, query = ''] = path.split('?');
    expect(endpoint).toBe('/drain_listeners');
    expect(new URLSearchParams(query).has('graceful')).toBe(true);
    expect(new URLSearchParams(query).has('skip_exit'), 'the public listeners stop after the drain').toBe(false);
    // The cluster it calls is the admin interface, which listens on localhost only.
    const admin = (bootstrap.static_resources.clusters as Obj[]).find((c) => c.name === call![1])!;
    expect(admin.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address).toEqual(bootstrap.admin.address.socket_address);
    expect(bootstrap.admin.address.socket_address.address).toBe('127.0.0.1');
    // inboundonly stops the INBOUND listeners after the drain: the public ones, while the stats
    // listener keeps serving Prometheus and the drain listener the held answer.
    expect(new URLSearchParams(query).has('inboundonly')).toBe(true);
    const inbound = listeners.filter((l) => l.traffic_direction === 'INBOUND').map((l) => l.name).sort();
    expect(inbound).toEqual(['https', 'https-quic']);
  });

  it('GIVEN another path on the drain listener THEN nothing drains and nothing waits', () => {
    const { drain, hookPort } = drainPath();
    const other = routeRequest(drain, { method: 'GET', path: '/stats', host: `${hookPort}` });
    expect(other.route).toBeNull();
    for (const name of ['envoy.filters.http.lua', 'envoy.filters.http.fault']) {
      expect((drain.http_filters as Obj[]).find((f) => f.name === name)?.disabled, `${name} runs on the drain route only`).toBe(true);
    }
  });

  it('GIVEN the model\'s route timeouts THEN the hook holds past the drain plus the longest route timeout, and the grace period exceeds both', () => {
    const { drain, filter } = drainPath();
    const delay = filter('envoy.filters.http.fault').delay;
    expect(delay.percentage).toEqual({ numerator: 100, denominator: 'HUNDRED' });
    const hold = seconds(delay.fixed_delay);
    const grace = deployment.spec.template.spec.terminationGracePeriodSeconds;
    expect(longestRoute).toBeGreaterThan(0);
    expect(hold, 'the preStop hook must hold for the drain time plus the longest route timeout').toBeGreaterThanOrEqual(drainSeconds + longestRoute);
    expect(grace, 'terminationGracePeriodSeconds must exceed every route timeout plus the drain time').toBeGreaterThan(drainSeconds + longestRoute);
    expect(grace, 'terminationGracePeriodSeconds must exceed the preStop hold').toBeGreaterThan(hold);
    expect(drain.stream_idle_timeout, 'no idle timeout cuts the held answer').toBe('0s');
  });

  it('GIVEN the edge Service THEN its LoadBalancer admits the CDN ranges of the model only', () => {
    const service = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'envoy-edge')!;
    expect(service.spec.type).toBe('LoadBalancer');
    expect(service.spec.loadBalancerSourceRanges).toEqual(config.network.cdnCidrs);
    expect(service.spec.externalTrafficPolicy).toBe('Local');
  });
});

describe('EnvoyEdge | one route table, many outputs', () => {
  async function outputs(config: PlatformConfig) {
    const app = new CrumpetApp(config);
    const rendered = await renderApp(app, config.name);
    const objects = rendered.charts.flatMap((c) => c.objects) as Obj[];
    const bootstrap = yaml.load(rendered.generated.get(app.envoyEdge.opsPath)!) as Obj;
    const edgePolicy = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'envoy-edge')!;
    const dashboard = JSON.parse(Object.values(objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'crumpet-edge')!.data)[0] as string);
    return {
      clusters: (bootstrap.static_resources.clusters as Obj[]).map((c) => c.name).filter((n) => n !== 'admin'),
      egressPorts: (edgePolicy.spec.egress as Obj[]).flatMap((r) => r.ports.map((p: Obj) => `${r.to[0].podSelector.matchLabels['app.kubernetes.io/name']}:${p.port}`)).sort(),
      panels: (dashboard.panels as Obj[]).map((p) => p.title).filter((t: string) => t.startsWith('Backend saturation')),
    };
  }

  it('GIVEN the orchestrator route removed from the model WHEN synthesized THEN the Envoy cluster, the edge NetworkPolicy and the Edge dashboard lose it together', async () => {
    const config = await loadEnvironment('prod');
    const before = await outputs(config);
    const routes: EdgeRouteConfig[] = edgeRoutes(config).filter((r) => r.backend !== 'pin-orchestrator');
    const after = await outputs({ ...config, edge: { ...config.edge, routes } });

    expect(before.clusters).toContain('pin-orchestrator-7070');
    expect(before.egressPorts).toContain('pin-orchestrator:7070');
    expect(before.panels).toContain('Backend saturation: pin-orchestrator');
    expect(after.clusters).toEqual(before.clusters.filter((c) => c !== 'pin-orchestrator-7070'));
    expect(after.egressPorts).toEqual(before.egressPorts.filter((p) => p !== 'pin-orchestrator:7070'));
    expect(after.panels).toEqual(before.panels.filter((p) => p !== 'Backend saturation: pin-orchestrator'));
  });
});

describe('EnvoyEdge | validation', () => {
  it.each(ENVIRONMENTS)('GIVEN the committed %s bootstrap THEN it passes the strict validator against Envoy API protos', (env) => {
    expect(EnvoyApi.load().validate('envoy.config.bootstrap.v3.Bootstrap', bootstrapOf(env))).toEqual([]);
  });

  it.each([
    ['envoy.filters.http.lua', 'default_source_codee'],
    ['envoy.filters.http.fault', 'delayy'],
  ])('GIVEN the drain listener\'s %s with a misspelled field THEN the validator names it', (name, field) => {
    const broken = structuredClone(bootstrapOf('prod'));
    const drain = connectionManager(broken, 'drain');
    const config = (drain.http_filters as Obj[]).find((f) => f.name === name)!.typed_config;
    config[field] = {};
    const problems = EnvoyApi.load().validate('envoy.config.bootstrap.v3.Bootstrap', broken);
    expect(problems.join('\n')).toMatch(new RegExp(`http_filters\\[\\d\\]\\.typed_config\\.${field}: unknown field`));
  });

  it('GIVEN a bootstrap Envoy would refuse WHEN synthesized THEN synth fails naming the environment, the construct, the file and the field', async () => {
    const config = await loadEnvironment('staging');
    const original = EnvoyApi.prototype.validate;
    // The bootstrap as generated, with one field misspelled on its way into the validator.
    const spy = vi.spyOn(EnvoyApi.prototype, 'validate').mockImplementation(function (this: EnvoyApi, type: string, value: unknown) {
      const broken = structuredClone(value) as Obj;
      broken.static_resources.clusters[0].lb_policyy = broken.static_resources.clusters[0].lb_policy;
      return original.call(this, type, broken);
    });
    try {
      await expect(renderApp(new CrumpetApp(config), 'staging')).rejects.toThrow(
        /\[staging\][\s\S]*envoy-edge\/EnvoyEdge: ops\/envoy\/staging\/envoy\.yaml: static_resources\.clusters\[0\]\.lb_policyy: unknown field of envoy\.config\.cluster\.v3\.Cluster/,
      );
    } finally {
      spy.mockRestore();
    }
  });

  it.each<[string, (r: EdgeRouteConfig[]) => EdgeRouteConfig[], RegExp]>([
    ['two path matchers', (r) => [{ ...r[0]!, prefix: '/x', path: '/x' }, ...r.slice(1)], /edge\.routes\[0\]: needs exactly one of prefix, path and regex, got prefix and path/],
    ['no path matcher', (r) => [{ name: 'web', backend: 'web', port: 'http', timeout: '1s' }, ...r.slice(1)], /edge\.routes\[0\]: needs exactly one of prefix, path and regex, got none/],
    ['a duplicate name', (r) => [...r, { ...r[0]! }], /edge\.routes\[\d+\]\.name: duplicate route "[a-z-]+" \(already at edge\.routes\[0\]\)/],
    ['a bad timeout', (r) => [{ ...r[0]!, timeout: '5 seconds' }], /edge\.routes\[0\]\.timeout/],
    ['a regex that does not compile', () => [{ name: 'x', regex: '^/(', backend: 'web', port: 'http', timeout: '1s' }], /edge\.routes\[0\]\.regex: is not a regular expression/],
  ])('GIVEN %s in the route table THEN the config is refused naming the environment and field', async (_name, change, message) => {
    const config = await loadEnvironment('prod');
    const bad = { ...config, edge: { ...config.edge, routes: change([...edgeRoutes(config)]) } };
    expect(() => validateConfig('prod', JSON.parse(JSON.stringify(bad)))).toThrow(ConfigError);
    expect(() => validateConfig('prod', JSON.parse(JSON.stringify(bad)))).toThrow(message);
  });
});

describe('EnvoyEdge | routes resolved against the components', () => {
  it.each<[string, Partial<EdgeRouteConfig>, RegExp]>([
    ['a backend that is no component', { backend: 'no-such-service' }, /edge\.routes\[0\] \("[a-z-]+"\): backend "no-such-service" is no component running in this environment \(running: .*cin-node.*\)/],
    ['a port the component does not declare', { backend: 'web', port: 'grpc' }, /edge\.routes\[0\] \("[a-z-]+"\): component "web" has no port "grpc" \(ports: http\)/],
    ['a WebSocket route to a gRPC port', { backend: 'cin-node', port: 'grpc', websocket: true, timeout: '0s' }, /component "cin-node" speaks gRPC; WebSockets need an HTTP port/],
    ['a route to a port that is not HTTP', { backend: 'cin-node', port: 'p2p' }, /port "p2p" of component "cin-node" is not HTTP or gRPC/],
  ])('GIVEN %s WHEN synthesized THEN synth fails naming the route and the component', async (_name, change, message) => {
    const config = await loadEnvironment('staging');
    const [first, ...rest] = edgeRoutes(config);
    const routes = [{ ...first!, ...change }, ...rest];
    await expect((async () => renderApp(new CrumpetApp({ ...config, edge: { ...config.edge, routes } }), 'staging'))()).rejects.toThrow(message);
  });
});
