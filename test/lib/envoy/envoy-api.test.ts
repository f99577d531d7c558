import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { ENVOY_API_BUNDLE, importEnvoyApi } from '../../../src/cli/import-envoy-api-command.ts';
import { ApiIndex, type BundleNode } from '../../../src/lib/envoy/_api-index.ts';
import { EnvoyApi } from '../../../src/lib/envoy/index.ts';
import { PROJECT_ROOT, tempDir } from '../../_helpers.ts';

type Json = Record<string, unknown>;

const BOOTSTRAP = 'envoy.config.bootstrap.v3.Bootstrap';
const COMMITTED_BUNDLE = join(PROJECT_ROOT, 'imports/envoy', ENVOY_API_BUNDLE);

/** The edge bootstrap: admin, a TLS and a QUIC listener, STRICT_DNS clusters, a JSON access log. */
const EDGE = yaml.load(readFileSync(new URL('./edge-bootstrap.yaml', import.meta.url), 'utf8')) as Json;

/** Paths into the edge bootstrap, as the validator writes them. */
const HTTPS_HCM = 'static_resources.listeners[0].filter_chains[0].filters[0].typed_config';
const ROUTES = `${HTTPS_HCM}.route_config.virtual_hosts[0].routes`;
const CIN_CLUSTER = 'static_resources.clusters[0]';

/** The object at `path` (`a.b[0].c`) in `root`. */
function at(root: Json, path: string): Json {
  let node: unknown = root;
  for (const [, key, index] of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) node = (node as Json)[key ?? index!];
  if (typeof node !== 'object' || node === null) throw new Error(`edge-bootstrap.yaml has no object at ${path}`);
  return node as Json;
}

/** The problems of a copy of the edge bootstrap changed by `change` at `path`. */
function problemsWith(path: string, change: (node: Json) => void): string[] {
  const bootstrap = structuredClone(EDGE);
  change(at(bootstrap, path));
  return EnvoyApi.load().validate(BOOTSTRAP, bootstrap);
}

describe('EnvoyApi |', () => {
  describe('a valid configuration', () => {
    it('GIVEN the edge bootstrap (TLS and QUIC listeners, typed HTTP filters, STRICT_DNS clusters, JSON access log) WHEN validated THEN there is no problem', () => {
      expect(EnvoyApi.load().validate(BOOTSTRAP, EDGE)).toEqual([]);
    });

    it('GIVEN JSON names (lowerCamelCase) instead of proto names WHEN validated THEN they are accepted', () => {
      const problems = problemsWith(HTTPS_HCM, (hcm) => {
        hcm['statPrefix'] = hcm['stat_prefix'];
        delete hcm['stat_prefix'];
        hcm['useRemoteAddress'] = true;
        delete hcm['use_remote_address'];
      });
      expect(problems).toEqual([]);
    });

    it('GIVEN null for a field WHEN validated THEN the field is unset, not an error', () => {
      expect(problemsWith(HTTPS_HCM, (hcm) => (hcm['normalize_path'] = null))).toEqual([]);
    });

    it.each([['1s'], ['0.250s'], ['1.5s'], ['-2s'], ['0.000000001s']])('GIVEN the duration %s WHEN validated THEN it is accepted', (duration) => {
      expect(problemsWith(CIN_CLUSTER, (cluster) => (cluster['connect_timeout'] = duration))).toEqual([]);
    });

    it('GIVEN integers as decimal strings, int64 beyond 2^53 and bytes in base64 WHEN validated THEN they are accepted', () => {
      const api = EnvoyApi.load();
      expect(api.validate('envoy.config.core.v3.SocketAddress', { address: '::', port_value: '8080' })).toEqual([]);
      expect(api.validate('envoy.type.v3.Int64Range', { start: '-9223372036854775808', end: 9007199254740993 })).toEqual([]);
      expect(api.validate('envoy.config.core.v3.DataSource', { inline_bytes: 'aGVsbG8=' })).toEqual([]);
      expect(api.validate('envoy.config.core.v3.RuntimeDouble', { default_value: 'NaN', runtime_key: 'k' })).toEqual([]);
    });

    it('GIVEN a typed_config as a TypedStruct WHEN validated THEN its value is checked as the message of its type_url', () => {
      const typedStruct = (value: Json): Json => ({
        '@type': 'type.googleapis.com/xds.type.v3.TypedStruct',
        type_url: 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router',
        value,
      });
      expect(problemsWith(`${HTTPS_HCM}.http_filters[3]`, (filter) => (filter['typed_config'] = typedStruct({ suppress_envoy_headers: true })))).toEqual([]);
      expect(problemsWith(`${HTTPS_HCM}.http_filters[3]`, (filter) => (filter['typed_config'] = typedStruct({ suppress_envoy_header: true })))).toEqual([
        `${HTTPS_HCM}.http_filters[3].typed_config.value.suppress_envoy_header: unknown field of envoy.extensions.filters.http.router.v3.Router (did you mean "suppress_envoy_headers"?)`,
      ]);
    });

    it('GIVEN the well-known types in their JSON form WHEN validated THEN they are accepted, and other forms are not', () => {
      const api = EnvoyApi.load();
      expect(api.validate('google.protobuf.Timestamp', '2024-02-29T23:59:59.5+01:00')).toEqual([]);
      expect(api.validate('google.protobuf.Timestamp', '2023-02-29T00:00:00Z')).toEqual([
        '(root): must be an RFC 3339 timestamp such as "2024-01-31T12:00:00Z", got "2023-02-29T00:00:00Z"',
      ]);
      expect(api.validate('google.protobuf.Any', { '@type': 'type.googleapis.com/google.protobuf.UInt32Value', value: 3 })).toEqual([]);
      expect(api.validate('google.protobuf.Any', { '@type': 'type.googleapis.com/google.protobuf.Struct', value: 3 })).toEqual([
        'value: must be an object (google.protobuf.Struct), got 3',
      ]);
      expect(api.validate('envoy.config.core.v3.HealthCheck.TcpHealthCheck', { send: { text: '00' }, receive: [] })).toEqual([]);
      expect(api.validate('envoy.extensions.filters.http.cors.v3.CorsPolicy', { allow_credentials: 'yes' })).toEqual([
        'allow_credentials: must be true or false, got "yes"',
      ]);
    });
  });

  describe('the rejections, each naming the field path', () => {
    it('GIVEN a misspelled field deep inside a typed_config WHEN validated THEN the error names its path and suggests the field', () => {
      const problems = problemsWith(`${ROUTES}[2].match`, (match) => {
        match['prefixx'] = match['prefix'];
        delete match['prefix'];
      });
      expect(problems).toEqual([
        `${ROUTES}[2].match.prefixx: unknown field of envoy.config.route.v3.RouteMatch (did you mean "prefix"?)`,
        // Without `prefix`, the route also lacks the path specifier Envoy requires.
        `${ROUTES}[2].match: oneof path_specifier requires one of prefix, path, safe_regex, connect_matcher, path_separated_prefix, path_match_policy, got none`,
      ]);
    });

    it('GIVEN a wrong @type URL WHEN validated THEN the error names the path and the URL', () => {
      const misspelled = problemsWith(`${HTTPS_HCM}.http_filters[3].typed_config`, (router) => {
        router['@type'] = 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Routerr';
      });
      expect(misspelled).toEqual([
        `${HTTPS_HCM}.http_filters[3].typed_config["@type"]: unknown type "type.googleapis.com/envoy.extensions.filters.http.router.v3.Routerr": no such message in Envoy's v3 API (did you mean "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"?)`,
      ]);
      const noPrefix = problemsWith(`${HTTPS_HCM}.http_filters[3].typed_config`, (router) => {
        router['@type'] = 'envoy.extensions.filters.http.router.v3.Router';
      });
      expect(noPrefix).toEqual([
        `${HTTPS_HCM}.http_filters[3].typed_config["@type"]: must be "type.googleapis.com/<full message name>", got "envoy.extensions.filters.http.router.v3.Router"`,
      ]);
      const missing = problemsWith(`${HTTPS_HCM}.http_filters[3].typed_config`, (router) => delete router['@type']);
      expect(missing).toEqual([
        `${HTTPS_HCM}.http_filters[3].typed_config: missing "@type" (google.protobuf.Any needs "type.googleapis.com/<full message name>")`,
      ]);
    });

    it('GIVEN an unknown enum value WHEN validated THEN the error names the value, the enum and the values allowed', () => {
      expect(problemsWith('static_resources.clusters[1]', (cluster) => (cluster['lb_policy'] = 'ROUND_ROBINN'))).toEqual([
        'static_resources.clusters[1].lb_policy: unknown enum value "ROUND_ROBINN" of envoy.config.cluster.v3.Cluster.LbPolicy (did you mean "ROUND_ROBIN"?); allowed: ROUND_ROBIN, LEAST_REQUEST, RING_HASH, RANDOM, MAGLEV, CLUSTER_PROVIDED, LOAD_BALANCING_POLICY_CONFIG',
      ]);
      expect(problemsWith('static_resources.clusters[1]', (cluster) => (cluster['lb_policy'] = 4))).toEqual([
        'static_resources.clusters[1].lb_policy: unknown enum number 4 of envoy.config.cluster.v3.Cluster.LbPolicy; allowed: ROUND_ROBIN, LEAST_REQUEST, RING_HASH, RANDOM, MAGLEV, CLUSTER_PROVIDED, LOAD_BALANCING_POLICY_CONFIG',
      ]);
    });

    it('GIVEN a string where an integer is expected WHEN validated THEN the error names the field, the type and the value', () => {
      expect(problemsWith('admin.address.socket_address', (address) => (address['port_value'] = 'http'))).toEqual([
        'admin.address.socket_address.port_value: must be an integer (uint32) as a number or a decimal string, got "http"',
      ]);
      expect(problemsWith('admin.address.socket_address', (address) => (address['port_value'] = 4294967296))).toEqual([
        'admin.address.socket_address.port_value: must be a uint32, from 0 to 4294967295, got 4294967296',
      ]);
    });

    it('GIVEN an object where a string is expected WHEN validated THEN the error names the field', () => {
      expect(problemsWith(`${ROUTES}[1].route`, (route) => (route['cluster'] = { name: 'pin_orchestrator' }))).toEqual([
        `${ROUTES}[1].route.cluster: must be a string, got an object`,
      ]);
    });

    it('GIVEN a bad Duration WHEN validated THEN the error names the field and shows the accepted form', () => {
      const form = 'must be a duration in seconds with an "s" suffix, such as "1s", "0.250s" or "1.5s"';
      expect(problemsWith(CIN_CLUSTER, (cluster) => (cluster['connect_timeout'] = '1 second'))).toEqual([`${CIN_CLUSTER}.connect_timeout: ${form}, got "1 second"`]);
      expect(problemsWith(CIN_CLUSTER, (cluster) => (cluster['connect_timeout'] = 1))).toEqual([`${CIN_CLUSTER}.connect_timeout: ${form}, got 1`]);
      expect(problemsWith(CIN_CLUSTER, (cluster) => (cluster['connect_timeout'] = '250ms'))).toEqual([`${CIN_CLUSTER}.connect_timeout: ${form}, got "250ms"`]);
    });

    it('GIVEN two members of one oneof WHEN validated THEN the error names the oneof and the members given', () => {
      expect(problemsWith(`${ROUTES}[1].match`, (match) => (match['path'] = '/api/pins'))).toEqual([
        `${ROUTES}[1].match: oneof path_specifier takes at most one of prefix, path, safe_regex, connect_matcher, path_separated_prefix, path_match_policy, got prefix, path`,
      ]);
    });

    it('GIVEN a deprecated field WHEN validated THEN the error names it', () => {
      const problems = problemsWith(`${HTTPS_HCM}.access_log[0].typed_config`, (fileLog) => {
        fileLog['json_format'] = at(fileLog, 'log_format')['json_format'];
        delete fileLog['log_format'];
      });
      expect(problems).toEqual([
        `${HTTPS_HCM}.access_log[0].typed_config.json_format: deprecated field envoy.extensions.access_loggers.file.v3.FileAccessLog.json_format`,
      ]);
    });

    it('GIVEN a deprecated enum value WHEN validated THEN the error names it', () => {
      const api = EnvoyApi.load();
      expect(api.validate('envoy.config.core.v3.ApiConfigSource', { api_type: 'GRPC', transport_api_version: 'V2' })).toEqual([
        'transport_api_version: deprecated enum value "V2" of envoy.config.core.v3.ApiVersion; allowed: AUTO, V3',
      ]);
    });

    it('GIVEN a missing required message field WHEN validated THEN the error names the field', () => {
      expect(problemsWith(`${CIN_CLUSTER}.health_checks[0]`, (check) => delete check['unhealthy_threshold'])).toEqual([
        `${CIN_CLUSTER}.health_checks[0].unhealthy_threshold: missing required field (envoy.config.core.v3.HealthCheck.unhealthy_threshold)`,
      ]);
    });

    it('GIVEN no member of a required oneof WHEN validated THEN the error names the oneof and its members', () => {
      expect(problemsWith(`${CIN_CLUSTER}.health_checks[0]`, (check) => delete check['grpc_health_check'])).toEqual([
        `${CIN_CLUSTER}.health_checks[0]: oneof health_checker requires one of http_health_check, tcp_health_check, grpc_health_check, custom_health_check, got none`,
      ]);
    });

    it('GIVEN values outside the protoc-gen-validate rules WHEN validated THEN each is named with its bound', () => {
      expect(problemsWith(HTTPS_HCM, (hcm) => delete hcm['stat_prefix'])).toEqual([
        `${HTTPS_HCM}.stat_prefix: must be at least 1 character long, got "" (not set)`,
      ]);
      expect(problemsWith(`${HTTPS_HCM}.http_filters[2].typed_config.token_bucket`, (bucket) => (bucket['max_tokens'] = 0))).toEqual([
        `${HTTPS_HCM}.http_filters[2].typed_config.token_bucket.max_tokens: must be greater than 0, got 0`,
      ]);
      expect(problemsWith(HTTPS_HCM, (hcm) => (hcm['max_request_headers_kb'] = 9000))).toEqual([
        `${HTTPS_HCM}.max_request_headers_kb: must be greater than 0 and at most 8192, got 9000`,
      ]);
      expect(problemsWith(`${HTTPS_HCM}.route_config.virtual_hosts[0]`, (host) => (host['domains'] = []))).toEqual([
        `${HTTPS_HCM}.route_config.virtual_hosts[0].domains: must have at least 1 item, got 0`,
      ]);
    });

    it('GIVEN a field under both its proto name and its JSON name WHEN validated THEN the second is an error', () => {
      expect(problemsWith(HTTPS_HCM, (hcm) => (hcm['statPrefix'] = 'again'))).toEqual([
        `${HTTPS_HCM}.statPrefix: field envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.stat_prefix given twice, as "stat_prefix" and "statPrefix"`,
      ]);
    });

    it('GIVEN a wrong value in a map keyed by extension name WHEN validated THEN the path quotes the key', () => {
      const key = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';
      const problems = problemsWith(`${CIN_CLUSTER}.typed_extension_protocol_options`, (options) => {
        (options[key] as Json)['explicit_http_config'] = { http2_protocol_options: { max_concurrent_streams: -1 } };
      });
      expect(problems).toEqual([
        `${CIN_CLUSTER}.typed_extension_protocol_options["${key}"].explicit_http_config.http2_protocol_options.max_concurrent_streams: must be a uint32, from 0 to 4294967295, got -1`,
      ]);
    });

    it('GIVEN a value of the wrong shape for the message, a list or a map WHEN validated THEN the error says what is expected', () => {
      const api = EnvoyApi.load();
      expect(api.validate(BOOTSTRAP, 'admin: {}')).toEqual(['(root): must be an object (envoy.config.bootstrap.v3.Bootstrap), got "admin: {}"']);
      expect(api.validate(BOOTSTRAP, { static_resources: { clusters: { name: 'web' } } })).toEqual([
        'static_resources.clusters: must be a list of envoy.config.cluster.v3.Cluster, got an object',
      ]);
      expect(api.validate('envoy.config.cluster.v3.Cluster', { name: 'web', typed_extension_protocol_options: [] })).toEqual([
        'typed_extension_protocol_options: must be an object (a map of string to google.protobuf.Any), got a list',
      ]);
      expect(api.validate(BOOTSTRAP, { static_resources: { clusters: [null] } })).toEqual([
        'static_resources.clusters[0]: must not be null (a list item, envoy.config.cluster.v3.Cluster)',
      ]);
    });

    it('GIVEN a type name the API does not define WHEN validating THEN it throws naming it', () => {
      expect(() => EnvoyApi.load().validate('envoy.config.bootstrap.v3.Bootstrapp', {})).toThrow(/no message "envoy.config.bootstrap.v3.Bootstrapp" in Envoy's v3 API/);
    });
  });

  describe('the bundle', () => {
    it('GIVEN two loads WHEN compared THEN the bundle was read once', () => {
      expect(EnvoyApi.load()).toBe(EnvoyApi.load());
    });

    it('GIVEN the protos of @grpc/grpc-js-xds in node_modules WHEN the bundle is regenerated THEN it equals the committed one byte for byte', () => {
      const out = tempDir('envoy-api');
      const bundle = importEnvoyApi(out);
      expect(bundle.skipped.map((s) => s.file)).toEqual([
        'envoy/config/trace/v3/opencensus.proto',
        'envoy/config/trace/v3/trace.proto',
        'envoy/extensions/access_loggers/open_telemetry/v3/logs_service.proto',
      ]);
      expect(readFileSync(join(out, ENVOY_API_BUNDLE)).equals(readFileSync(COMMITTED_BUNDLE))).toBe(true);
    });

    it('GIVEN the committed bundle WHEN protobufjs loads it THEN every field type resolves, to the type the validator resolves it to', () => {
      const json = JSON.parse(readFileSync(COMMITTED_BUNDLE, 'utf8')) as BundleNode;
      const root = protobuf.Root.fromJSON(json);
      root.resolveAll();
      const index = new ApiIndex(json);
      const mismatches: string[] = [];
      let fields = 0;
      const walk = (ns: protobuf.NamespaceBase): void => {
        for (const child of ns.nestedArray) {
          if (child instanceof protobuf.Type) {
            for (const field of child.fieldsArray) {
              fields++;
              const expected = field.resolvedType ? field.resolvedType.fullName.slice(1) : field.type;
              const actual = index.message(child.fullName.slice(1))!.byName.get(field.name)!.type;
              if (actual !== expected) mismatches.push(`${child.fullName}.${field.name}: ${actual}, protobufjs ${expected}`);
            }
          }
          if (child instanceof protobuf.Namespace) walk(child);
        }
      };
      walk(root);
      expect(mismatches).toEqual([]);
      expect(fields).toBeGreaterThan(3000);
    });
  });
});
