import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import rawProd from '../../src/stacks/crumpet/environments/prod.ts';
import rawStaging from '../../src/stacks/crumpet/environments/staging.ts';
import { ConfigError, listEnvironments, type PathSegment } from '../../src/config/index.ts';
import { CRUMPET_MODEL, type EdgeRouteConfig, edgeRoutes, loadEnvironment, type PlatformConfig, validateConfig } from '../../src/stacks/crumpet/index.ts';
import { CronSchedule } from '../../src/lib/index.ts';
import { runEntry } from '../_helpers.ts';

/** The environment files with their route table stated (it defaults to the components' routes). */
const withRoutes = (m: PlatformConfig): PlatformConfig => ({ ...m, edge: { ...m.edge, routes: edgeRoutes(m) } });
const prodModel = withRoutes(rawProd);
const stagingModel = withRoutes(rawStaging);
/** The route matched by regex, and the first prefix route. */
const REGEX = edgeRoutes(stagingModel).findIndex((r) => r.regex !== undefined);
const PREFIX = edgeRoutes(stagingModel).findIndex((r) => r.prefix !== undefined);

describe('loadEnvironment |', () => {
  it('GIVEN the environments folder THEN every file is an environment', () => {
    const files = readdirSync(CRUMPET_MODEL.environmentsDir).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(0);
    expect(listEnvironments(CRUMPET_MODEL.environmentsDir)).toEqual(files.map((f) => f.slice(0, -3)).sort());
  });

  it.each(listEnvironments(CRUMPET_MODEL.environmentsDir))('GIVEN %s as committed THEN it validates', async (env) => {
    const config = await loadEnvironment(env);
    expect(config.name).toBe(env);
  });

  it('GIVEN prod THEN every image is pinned by digest', async () => {
    const config = await loadEnvironment('prod');
    for (const c of Object.values(config.components) as { image: { digest?: string } }[]) expect(c.image.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
  });

  it('GIVEN a name that differs from the file THEN it is refused', async () => {
    await expect(loadEnvironment('staging', { files: [], sets: ['name=other'] })).rejects.toThrow(
      /\[staging\] config name: must equal the environment's file name "staging", got "other"/,
    );
  });

  it('GIVEN several problems THEN one ConfigError lists all of them', async () => {
    const err = await loadEnvironment('staging', {
      files: [],
      sets: ['features.kubo=yes', 'components.web.replicas=1.5', 'storage.size=1'],
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues.map((i) => i.path).sort()).toEqual([
      'components.web.replicas',
      'features.kubo',
      'storage.size',
    ]);
  });

  it('GIVEN a missing required field THEN its path is named', async () => {
    await expect(loadEnvironment('staging', { files: [], sets: ['components.web.image.tag=null'] })).rejects.toThrow(
      /\[staging\] config components\.web\.image\.tag: is required/,
    );
  });
});

/*
 * Model validation, one field at a time: each candidate is an environment's own model (its file in
 * src/stacks/crumpet/environments/) with one field changed, so the line expected is the only problem.
 */
const MODELS: Readonly<Record<string, PlatformConfig>> = { prod: prodModel, staging: stagingModel };

type Change = readonly [path: readonly PathSegment[], value: unknown];

/** `env`'s model with `changes` applied (`undefined` deletes the field). */
function changed(env: string, ...changes: readonly Change[]): unknown {
  const model = structuredClone(MODELS[env]) as unknown as Record<string | number, unknown>;
  for (const [path, value] of changes) {
    const parent = path.slice(0, -1).reduce<Record<string | number, unknown>>((node, seg) => node[seg] as Record<string | number, unknown>, model);
    if (value === undefined) delete parent[path[path.length - 1]!];
    else parent[path[path.length - 1]!] = value;
  }
  return model;
}

/** The lines validateConfig reports for `candidate` (none when it accepts it). */
function reported(env: string, candidate: unknown): string[] {
  try {
    validateConfig(env, candidate);
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.message.split('\n');
  }
}

const long = (n: number, c = 'a'): string => c.repeat(n);
const sealedWith = (sealed: unknown): unknown => ({ ...stagingModel.secrets, provider: 'sealed-secrets', sealed });
const routeAt = (i: number, change: Partial<EdgeRouteConfig>): EdgeRouteConfig[] => edgeRoutes(stagingModel).map((r, j) => (j === i ? { ...r, ...change } : r));

describe('validateConfig | refuses bad input with one exact line', () => {
  it.each<[rule: string, env: string, change: Change, line: string]>([
    ['cron fields are range-checked, each named with its range', 'staging', [['backups', 'indexSnapshotSchedule'], '99 99 99 99 99'],
      '[staging] config backups.indexSnapshotSchedule: is not a cron schedule, got "99 99 99 99 99": minute 99 is not in 0-59; hour 99 is not in 0-23; day of month 99 is not in 1-31; month 99 is not in 1-12 or JAN-DEC; day of week 99 is not in 0-6 or SUN-SAT'],
    ['a cron step of 0 is refused', 'staging', [['backups', 'volumeSnapshotSchedule'], '*/0 * * * *'],
      '[staging] config backups.volumeSnapshotSchedule: is not a cron schedule, got "*/0 * * * *": minute step 0 must be a whole number from 1 to 59'],
    ['a backwards cron range is refused', 'prod', [['backups', 'configBackupSchedule'], '0 22-2 * * *'],
      '[prod] config backups.configBackupSchedule: is not a cron schedule, got "0 22-2 * * *": hour range "22-2" runs backwards (write the lower bound first)'],
    ['@reboot is refused (Kubernetes has no reboot)', 'staging', [['backups', 'configBackupSchedule'], '@reboot'],
      '[staging] config backups.configBackupSchedule: is not a cron schedule, got "@reboot": Kubernetes does not accept @reboot'],
    ['a route regex RE2 refuses (look-ahead) is refused', 'staging', [['edge', 'routes'], routeAt(REGEX, { regex: '^/(?=grpc)' })],
      `[staging] config edge.routes[${REGEX}].regex: is not a regular expression RE2 accepts, got "^/(?=grpc)": invalid perl operator: (?=`],
    ['a route regex RE2 refuses (back-reference) is refused', 'prod', [['edge', 'routes', REGEX, 'regex'], '^/(grpc)\\1'],
      `[prod] config edge.routes[${REGEX}].regex: is not a regular expression RE2 accepts, got "^/(grpc)\\\\1": invalid escape sequence: \\1`],
    ['a DNS label over 63 characters in hostnames is refused', 'staging', [['hostnames', 0], `${long(70)}.example.org`],
      `[staging] config hostnames[0]: is not a DNS name (RFC 1123), got "${long(70)}.example…: label "${long(22)}… has 70 characters, at most 63`],
    ['a DNS label over 63 characters in a CORS origin is refused', 'prod', [['edge', 'corsOrigins', 1], `https://${long(64)}.example`],
      `[prod] config edge.corsOrigins[1]: is not an origin such as https://app.example.org, got "https://${long(64)}.examp…: host "${long(38)}…: label "${long(22)}… has 64 characters, at most 63`],
    ['a DNS label over 63 characters in the ACME server is refused', 'staging', [['tls', 'acmeServer'], `https://${long(64)}.example/directory`],
      `[staging] config tls.acmeServer: is not an https:// URL, got "https://${long(64)}.examp…: host "${long(38)}…: label "${long(22)}… has 64 characters, at most 63`],
    ['a host name over 253 characters in the backup endpoint is refused', 'staging', [['backups', 'endpoint'], `https://${Array(5).fill(long(60)).join('.')}`],
      `[staging] config backups.endpoint: is not an https:// URL, got "https://${long(60)}.${long(9)}…: host "${long(38)}…: has 304 characters, at most 253`],
    ['a DNS label over 63 characters in an image registry is refused', 'prod', [['components', 'web', 'image', 'repository'], `${long(64, 'r')}.io/crumpet/web`],
      `[prod] config components.web.image.repository: is not an image repository, got "${long(64, 'r')}.io/crumpet/we…: registry host "${long(38, 'r')}…: label "${long(22, 'r')}… has 64 characters, at most 63`],
    ['a DNS label over 63 characters in the ACME e-mail domain is refused', 'staging', [['tls', 'acmeEmail'], `sre@${long(64, 'x')}.org`],
      `[staging] config tls.acmeEmail: is not an e-mail address, got "sre@${long(64, 'x')}.org": domain "${long(38, 'x')}…: label "${long(22, 'x')}… has 64 characters, at most 63`],
    ['an IP address as a public host name is refused', 'prod', [['hostnames', 1], '203.0.113.10'],
      '[prod] config hostnames[1]: must be a host name such as www.example.org (lower-case letters, digits, "-" and "."; not an IP address: certificates name hosts), got "203.0.113.10"'],
    ['a duplicate host name is refused', 'prod', [['hostnames'], [...prodModel.hostnames, prodModel.hostnames[0]]],
      `[prod] config hostnames[2]: duplicate "${prodModel.hostnames[0]}" (already at hostnames[0])`],
    ['a Secret name that is not a DNS-1123 subdomain is refused', 'staging', [['secrets'], sealedWith({ Watcher_Key: { 'ed25519.key': 'AgB' } })],
      '[staging] config secrets.sealed.Watcher_Key: must be a Secret name (DNS-1123 subdomain) such as pin-orchestrator-psa-tokens, got "Watcher_Key"'],
    ['a Secret key name Kubernetes refuses is refused', 'staging', [['secrets'], sealedWith({ 'watcher-signing-key': { 'ed25519 key': 'AgB' } })],
      '[staging] config secrets.sealed.watcher-signing-key.ed25519 key: must be a Secret key: letters, digits, "-", "_" and ".", not "." or starting with "..", at most 253 characters, got "ed25519 key"'],
    ['a Secret key name starting with ".." is refused', 'staging', [['secrets'], sealedWith({ 'watcher-signing-key': { '..data': 'AgB' } })],
      '[staging] config secrets.sealed.watcher-signing-key.\\.\\.data: must be a Secret key: letters, digits, "-", "_" and ".", not "." or starting with "..", at most 253 characters, got "..data"'],
    ['sealed secrets without the sealed-secrets provider are refused', 'prod', [['secrets', 'sealed'], { 'watcher-signing-key': { 'ed25519.key': 'AgB' } }],
      '[prod] config secrets.sealed: is read only when secrets.provider is "sealed-secrets", got provider "external-secrets"'],
    ['the sealed-secrets provider without sealed secrets is refused', 'staging', [['secrets', 'provider'], 'sealed-secrets'],
      '[staging] config secrets.sealed: is required when secrets.provider is "sealed-secrets": the kubeseal ciphertext of every secret'],
    ['a remote key prefix that climbs out of its folder is refused', 'prod', [['secrets', 'remoteKeyPrefix'], 'crumpet/../billing'],
      '[prod] config secrets.remoteKeyPrefix: must be a slash-separated key prefix such as crumpet/prod (no segment starting with "."), got "crumpet/../billing"'],
    ['replicas 0 of an autoscaled component is refused while autoscaling is on (the HPA floor)', 'prod', [['components', 'web', 'replicas'], 0],
      '[prod] config components.web.replicas: must be at least 1 while features.autoscaling is on (a HorizontalPodAutoscaler never scales up from 0), got 0'],
    ['a CIN language without instances is refused', 'staging', [['components', 'cinNode', 'languages', 1, 'replicas'], 0],
      '[staging] config components.cinNode.languages[1].replicas: must be at least 1: the edge routes "es" to its instances (remove the language to stop serving it, or exclude one instance with instanceOverrides), got 0'],
    ['a CIDR with host bits set is refused, naming the network meant', 'prod', [['network', 'peerCidrs'], ['203.0.113.5/24']],
      '[prod] config network.peerCidrs[0]: is not an IPv4 or IPv6 CIDR, got "203.0.113.5/24": host bits are set (did you mean 203.0.113.0/24?)'],
    ['an IPv6 CIDR with host bits set is refused, naming the network meant', 'prod', [['network', 'rpcEndpointCidrs'], ['2001:db8::1/32']],
      '[prod] config network.rpcEndpointCidrs[0]: is not an IPv4 or IPv6 CIDR, got "2001:db8::1/32": host bits are set (did you mean 2001:db8::/32?)'],
    ['a CIDR admitting every address is refused in an allow-list', 'staging', [['network', 'ipfsGatewayCidrs'], ['::/0']],
      '[staging] config network.ipfsGatewayCidrs[0]: must be an IPv4 or IPv6 network such as 203.0.113.0/24 or 2001:db8::/32, narrower than every address (a /0 would make the policy restrict nothing), got "::/0"'],
    ['two spellings of one network are a duplicate', 'staging', [['network', 'objectStoreCidrs'], ['2001:db8::/32', '2001:DB8:0::/32']],
      '[staging] config network.objectStoreCidrs[1]: duplicate network "2001:db8::/32" (already at network.objectStoreCidrs[0])'],
    ['an image tag over 128 characters is refused', 'staging', [['components', 'watcher', 'image', 'tag'], long(129, 'v')],
      `[staging] config components.watcher.image.tag: must be an image tag such as v0.1.0 (letters, digits, "_", "." and "-", not starting with "." or "-", at most 128), got "${long(78, 'v')}…`],
    ['a CPU quantity of 0 is refused', 'prod', [['components', 'watcher', 'resources', 'requests', 'cpu'], '0'],
      '[prod] config components.watcher.resources.requests.cpu: must be a Kubernetes CPU quantity above 0 such as 500m, 0.5 or 2, got "0"'],
    ['a fractional route timeout is refused with its whole-number spelling', 'staging', [['edge', 'routes'], routeAt(PREFIX, { timeout: '0.5s' })],
      `[staging] config edge.routes[${PREFIX}].timeout: is not a duration such as 250ms, 15s or 5m, got "0.5s": takes no fraction: write 500ms`],
    ['a route timeout over an hour is refused', 'prod', [['edge', 'routes', PREFIX, 'timeout'], '2h'],
      `[prod] config edge.routes[${PREFIX}].timeout: must be at most 1h (0s for none), got 2h`],
    ['a WebSocket route with a timeout is refused (Envoy would close every WebSocket)', 'prod', [['edge', 'routes', edgeRoutes(prodModel).findIndex((r) => r.websocket), 'timeout'], '30s'],
      `[prod] config edge.routes[${edgeRoutes(prodModel).findIndex((r) => r.websocket)}].timeout: must be 0s on a WebSocket route: Envoy's route timeout would close every WebSocket after it, got 30s`],
    ['a system namespace is refused', 'staging', [['namespace'], 'kube-system'],
      '[staging] config namespace: must be the platform\'s own namespace, not "default" or a "kube-" one (its Pod Security label and default-deny policy would apply to what runs there), got kube-system'],
    ['a route that an earlier prefix shadows is refused', 'staging', [['edge', 'routes'], [...edgeRoutes(stagingModel), { name: 'late', path: '/v1/late', backend: 'web', port: 'http', timeout: '1s' }]],
      `[staging] config edge.routes[${edgeRoutes(stagingModel).length}]: is never reached: edge.routes[${edgeRoutes(stagingModel).findIndex((r) => r.prefix === '/v1/')}] ("cin-api", prefix "/v1/") comes first and takes every request it matches`],
    ['a rate-limit burst below the rate is refused', 'prod', [['edge', 'rateLimit'], { requestsPerSecond: 50, burst: 10 }],
      '[prod] config edge.rateLimit.burst: must be at least requestsPerSecond (50): the bucket never holds more than a burst, got 10'],
    ['a CORS origin with the default port is refused (it never matches)', 'staging', [['edge', 'corsOrigins'], ['https://app.community.example:443']],
      '[staging] config edge.corsOrigins[0]: is not an origin such as https://app.example.org, got "https://app.community.example:443": port 443 is the default: browsers send the origin without it, so this would never match'],
    ['a port above 65535 is refused', 'staging', [['tls', 'acmeServer'], 'https://acme.example.org:99999/directory'],
      '[staging] config tls.acmeServer: is not an https:// URL, got "https://acme.example.org:99999/directory": port "99999" is not in 1-65535'],
    ['a Service name must start with a letter', 'prod', [['telemetry', 'traces', 'service'], '1tempo'],
      '[prod] config telemetry.traces.service: must be a DNS-1035 label (lower-case letters, digits and "-", starting with a letter, at most 63 characters), got "1tempo"'],
    ['an S3 bucket name under 3 characters is refused', 'prod', [['backups', 'bucket'], 'cb'],
      '[prod] config backups.bucket: must NOT have fewer than 3 characters, got "cb"'],
    ['telemetry is required', 'staging', [['telemetry'], undefined],
      '[staging] config telemetry: is required'],
    ['an unknown provider names the allowed ones', 'prod', [['secrets', 'provider'], 'vault'],
      '[prod] config secrets.provider: must be one of "external-secrets", "sealed-secrets", got string "vault"'],
    ['a Prometheus address with a bad host or port is refused (every AnalysisTemplate queries it)', 'staging', [['delivery', 'prometheusAddress'], 'http://prometheus:99999'],
      '[staging] config delivery.prometheusAddress: is not an http(s):// URL, got "http://prometheus:99999": port "99999" is not in 1-65535'],
    ['a GitOps repository with a bad host is refused', 'prod', [['gitops', 'repoURL'], 'https://-git-.example.org/platform.git'],
      '[prod] config gitops.repoURL: is not a Git repository URL, got "https://-git-.example.org/platform.git": host "-git-.example.org": label "-git-" must be lower-case letters, digits and "-", starting and ending with a letter or digit'],
    ['a GitOps revision git refuses as a ref name is refused', 'staging', [['gitops', 'targetRevision'], 'release/1..2.lock'],
      '[staging] config gitops.targetRevision: is not a Git branch, tag or commit, got "release/1..2.lock": has ".."; has a part ending with ".lock"'],
    ['an S3 bucket name with two dots in a row is refused', 'prod', [['backups', 'bucket'], 'crumpet..backups'],
      '[prod] config backups.bucket: must be an S3 bucket name such as team-backups (3 to 63 lower-case letters, digits, "-" and single dots), got "crumpet..backups"'],
    ['an S3 bucket name written as an IP address is refused', 'staging', [['backups', 'bucket'], '10.0.0.1'],
      '[staging] config backups.bucket: is not an S3 bucket name, got "10.0.0.1": is an IP address'],
    ['an e-mail address with two dots in a row before "@" is refused', 'staging', [['tls', 'acmeEmail'], 'sre..ops@crumpet.example.org'],
      '[staging] config tls.acmeEmail: is not an e-mail address, got "sre..ops@crumpet.example.org": the part before "@" has a dot at either end or two in a row'],
    ['a BigInt is described, not thrown', 'staging', [['components', 'web', 'replicas'], 3n],
      '[staging] config components.web.replicas: must be integer, got bigint "3n"'],
  ])('GIVEN %s THEN exactly that line is reported', (_rule, env, change, line) => {
    expect(reported(env, changed(env, change))).toEqual([line]);
  });

  it('GIVEN a huge value THEN the message quotes it cut at 80 characters', () => {
    const [line] = reported('staging', changed('staging', [['hostnames', 0], long(100_000)]));
    expect(line).toBe(`[staging] config hostnames[0]: must NOT have more than 253 characters, got "${long(78)}…`);
  });

  it('GIVEN a huge unknown key THEN its path is cut too', () => {
    const [line] = reported('staging', changed('staging', [[long(10_000, 'k')], 1]));
    expect(line).toMatch(new RegExp(`^\\[staging\\] config ${long(79, 'k')}…: unknown field \\(allowed: name, namespace`));
  });

  it('GIVEN a schema problem and a format problem in different fields THEN both are reported at once', () => {
    const lines = reported('staging', changed('staging', [['components', 'web', 'replicas'], 'two'], [['backups', 'indexSnapshotSchedule'], '61 * * * *']));
    expect(lines).toEqual([
      '[staging] config components.web.replicas: must be integer, got string "two"',
      '[staging] config backups.indexSnapshotSchedule: is not a cron schedule, got "61 * * * *": minute 61 is not in 0-59',
    ]);
  });
});

describe('validateConfig | RE2', () => {
  it('GIVEN a model without a regex route THEN re2-wasm is never loaded, and it is once the model has one', async () => {
    const run = await runEntry('test/config/_re2-loading.ts', []);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('without a regex route: false\nwith a regex route: true\n');
  });
});

describe('validateConfig | accepts valid input', () => {
  const cidrLists = Object.keys(stagingModel.network).filter((k) => Array.isArray(stagingModel.network[k as keyof PlatformConfig['network']]));

  it.each<[what: string, env: string, changes: readonly Change[]]>([
    ['a storage class name with dots', 'prod', [[['storage', 'storageClassName'], 'ebs.csi.aws.com']]],
    ['a VolumeSnapshotClass name with dots', 'staging', [[['backups', 'volumeSnapshotClassName'], 'ebs.csi.aws.com']]],
    ['a ClusterSecretStore name with dots', 'prod', [[['secrets', 'store'], 'vault.prod.example']]],
    ...cidrLists.map((list): [string, string, Change[]] => [`an IPv6 CIDR in network.${list}`, 'prod', [[['network', list], ['2001:db8::/32', '198.51.100.0/28']]]]),
    ['an IPv6 /128', 'staging', [[['network', 'apiServerCidrs'], ['2001:db8::1/128']]]],
    ['a 128-character image tag', 'prod', [[['components', 'web', 'image', 'tag'], long(128, 'v')]]],
    ['a tag starting with "_"', 'staging', [[['components', 'web', 'image', 'tag'], '_build.42']]],
    ['a sha512 digest', 'staging', [[['components', 'web', 'image', 'digest'], `sha512:${long(128, 'f')}`]]],
    ['a registry with a port', 'staging', [[['components', 'web', 'image', 'repository'], 'registry.local:5000/crumpet/web']]],
    ...CronSchedule.MACROS.map((macro): [string, string, Change[]] => [`the cron macro ${macro}`, 'staging', [[['backups', 'indexSnapshotSchedule'], macro]]]),
    ['@every 2h', 'prod', [[['backups', 'volumeSnapshotSchedule'], '@every 2h']]],
    ['cron names and "?"', 'prod', [[['backups', 'configBackupSchedule'], '0 3 ? JAN-DEC MON-FRI']]],
    ['a cron step on a single value', 'staging', [[['backups', 'configBackupSchedule'], '5/15 1-5/2 * * *']]],
    ['a route regex with an RE2 named group', 'staging', [[['edge', 'routes', REGEX, 'regex'], '^/(?P<service>grpc\\.[^/]+)/[^/]+$']]],
    ['a one-hour route timeout', 'prod', [[['edge', 'routes', PREFIX, 'timeout'], '1h']]],
    ['a CORS origin on another port', 'staging', [[['edge', 'corsOrigins'], ['https://app.community.example:8443']]]],
    ['a 63-character DNS label', 'staging', [[['hostnames', 0], `${long(63)}.example.org`]]],
    ['an in-cluster object store with a port', 'staging', [[['backups', 'endpoint'], 'https://minio.storage.svc:9000']]],
    ['an e-mail address with a tag', 'prod', [[['tls', 'acmeEmail'], 'sre+acme@crumpet.example.org']]],
    ['CPU as a whole number and memory with a fraction', 'prod', [[['components', 'web', 'resources', 'limits'], { cpu: '2', memory: '1.5Gi' }]]],
    ['a CPU request of 0.5', 'staging', [[['components', 'watcher', 'resources'], { requests: { cpu: '0.5', memory: '256Mi' }, limits: { cpu: '0.5', memory: '256Mi' } }]]],
    ['replicas 0 with autoscaling off', 'staging', [[['features', 'autoscaling'], false], [['components', 'web', 'replicas'], 0]]],
  ])('GIVEN %s THEN the model is valid', (_what, env, changes) => {
    expect(reported(env, changed(env, ...changes))).toEqual([]);
  });
});
