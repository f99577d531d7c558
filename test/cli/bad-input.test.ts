import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runSynth, type Io } from '../../src/cli/index.ts';
import { listEnvironments } from '../../src/config/index.ts';
import { APP_SECRETS, CRUMPET_MODEL, edgeRoutes, loadEnvironment } from '../../src/stacks/crumpet/index.ts';
import { OUTPUT_MARKER, OutputRoot } from '../../src/render/index.ts';
import { PROJECT_ROOT, tempDir, treeDigest } from '../_helpers.ts';

/*
 * Bad input through every channel of the CLI (--set, --set-string, -f, environment files,
 * --env, --out), each against its own copy of a previous output root: the run exits non-zero,
 * says so in one line starting with "synth: ", then prints one line per problem naming the
 * environment (or the file) and the field path, never a stack trace, and leaves the root
 * byte-identical. In process (runSynth), so the matrix costs one synth.
 */

/** A captured run of the synth command. */
interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
  readonly root: string;
}

async function synth(root: string, args: readonly string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l) };
  // The cases are Crumpet's model (an environments folder, a --set path): its stack unless named.
  const stack = args.includes('--stack') ? [] : ['--stack', 'crumpet'];
  const code = await runSynth(['--out', root, ...stack, ...args], io);
  return { code, out: out.join('\n'), err: err.join('\n'), root };
}

const STAGING = join(PROJECT_ROOT, 'src/stacks/crumpet/environments/staging.ts');

/** A folder of environment files, each given as its TypeScript source. */
function envDir(files: Record<string, string>): string {
  const dir = tempDir('envs');
  for (const [name, source] of Object.entries(files)) writeFileSync(join(dir, name), source);
  return dir;
}

/** An environment file `qa.ts` spreading staging, with `body` as further properties. */
const qa = (body: string, preamble = ''): string =>
  `import staging from ${JSON.stringify(STAGING)};\n${preamble}\nexport default { ...staging, name: 'qa', ${body} };\n`;

/** A values file. */
function values(name: string, text: string): string {
  const file = join(tempDir('values'), name);
  writeFileSync(file, text);
  return file;
}

/** Nine levels of ten aliases each: a billion strings once expanded. */
const ALIAS_BOMB = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
  .concat('bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(10).fill(`*${'abcdefghi'[i]}`).join(',')}]`))
  .join('\n');

/** Staging's secrets as SealedSecrets, every key with a ciphertext, then `changes` merged per secret. */
const sealed = (changes: Record<string, Record<string, string>> = {}): string =>
  values(
    'sealed.yaml',
    yaml.dump({
      secrets: {
        provider: 'sealed-secrets',
        sealed: Object.fromEntries(Object.entries(APP_SECRETS).map(([n, keys]) => [n, { ...Object.fromEntries(keys.map((k) => [k, `AgB${Buffer.from(k).toString('base64')}`])), ...changes[n] }])),
      },
    }),
  );

/** A route of the default table that matches by regex. */
const REGEX_ROUTE = edgeRoutes(await loadEnvironment('staging')).findIndex((r) => r.regex !== undefined);

interface BadCase {
  readonly name: string;
  /** Changes the copy of the previous output before the run. @default - none */
  readonly prepare?: (root: string) => void;
  /** Arguments after `--out ROOT`; may prepare the root. */
  readonly args: (root: string) => string[];
  readonly message: RegExp;
  /** @default 1 */
  readonly code?: number;
}

const CASES: readonly BadCase[] = [
  // --set and --set-string
  { name: '--set negative replicas', args: () => ['--set', 'components.pinOrchestrator.replicas=-1'], message: /^\[staging\] config components\.pinOrchestrator\.replicas: must be >= 0, got -1$/m },
  { name: '--set unknown top-level key', args: () => ['--set', 'replica=3'], message: /^\[staging\] config replica: unknown field \(allowed: name, namespace/m },
  { name: '--set malformed image reference', args: () => ['--set', 'components.watcher.image.repository=GHCR.io/Crumpet/watcher:latest'], message: /^\[prod\] config components\.watcher\.image\.repository: must be an image repository .*got "GHCR\.io\/Crumpet\/watcher:latest"/m },
  { name: '--set bad byte quantity', args: () => ['--set', 'components.pinOrchestrator.resources.requests.memory=512MB'], message: /^\[prod\] config components\.pinOrchestrator\.resources\.requests\.memory: must be a Kubernetes byte quantity .*got "512MB"/m },
  { name: '--set duplicate CIN language', args: () => ['--env', 'prod', '--set', 'components.cinNode.languages[2].code=en'], message: /^\[prod\] config components\.cinNode\.languages\[2\]\.code: duplicate language "en" \(already at components\.cinNode\.languages\[0\]\)$/m },
  { name: '--set empty hostname', args: () => ['--set', 'hostnames[0]='], message: /^\[staging\] config hostnames\[0\]: must NOT have fewer than 1 characters/m },
  { name: '--set unpinned image where digests are pinned', args: () => ['--env', 'prod', '--set', 'components.web.image.digest=null'], message: /^\[prod\] config components\.web\.image\.digest: is required: this environment pins images by digest/m },
  { name: '--set memory limit below the request', args: () => ['--env', 'staging', '--set', 'components.watcher.resources.limits.memory=128Mi'], message: /^\[staging\] config components\.watcher\.resources\.limits\.memory: must be at least requests\.memory \(256Mi\), got 128Mi$/m },
  // Every stack's resources, wherever its model holds them (a component's, a job's, a sidecar's): the API server refuses a limit below its request.
  { name: '--set a StemeDB CPU limit below the request', args: () => ['--stack', 'stemedb', '--env', 'prod', '--set', 'components.stemedb.resources.limits.cpu=100m'], message: /^\[stemedb\/prod\] config components\.stemedb\.resources\.limits\.cpu: must be at least requests\.cpu \(500m\), got 100m$/m },
  { name: '--set a StemeDB backup job memory limit below the request', args: () => ['--stack', 'stemedb', '--env', 'staging', '--set', 'backup.resources.limits.memory=1Mi'], message: /^\[stemedb\/staging\] config backup\.resources\.limits\.memory: must be at least requests\.memory \(\d+Mi\), got 1Mi$/m },
  { name: '--set a mirror sidecar memory limit below the request', args: () => ['--stack', 'mirror', '--env', 'prod', '--set', 'components.mirrorGateway.exporter.resources.limits.memory=1Ki'], message: /^\[mirror\/prod\] config components\.mirrorGateway\.exporter\.resources\.limits\.memory: must be at least requests\.memory \(\d+Mi\), got 1Ki$/m },
  // Every stack's allow-lists: one network spelled twice (src/config/unique-values.ts).
  { name: '--set a StemeDB backup network spelled twice', args: () => ['--stack', 'stemedb', '--env', 'staging', '--set', 'network.objectStoreCidrs={2001:db8::/32,2001:0db8::/32}'], message: /^\[stemedb\/staging\] config network\.objectStoreCidrs\[1\]: duplicate network "2001:db8::\/32" \(already at network\.objectStoreCidrs\[0\]\)$/m },
  { name: '--set a mirror upstream network spelled twice', args: () => ['--stack', 'mirror', '--env', 'prod', '--set', 'network.upstreamCidrs={2001:db8:cd::/48,2001:0db8:00cd::/48}'], message: /^\[mirror\/prod\] config network\.upstreamCidrs\[1\]: duplicate network "2001:db8:cd::\/48" \(already at network\.upstreamCidrs\[0\]\)$/m },
  { name: '--set replicas as a decimal', args: () => ['--env', 'staging', '--set', 'components.web.replicas=1.5'], message: /^\[staging\] config components\.web\.replicas: must be integer, got string "1\.5"$/m },
  { name: '--set-string replicas (kept a string)', args: () => ['--env', 'staging', '--set-string', 'components.web.replicas=3'], message: /^\[staging\] config components\.web\.replicas: must be integer, got string "3"$/m },
  { name: '--set a list addressed by name (length)', args: () => ['--env', 'prod', '--set', 'components.cinNode.languages.length=1'], message: /^\[prod\] config components\.cinNode\.languages\.length: components\.cinNode\.languages is a list: --set addresses its items by index, such as components\.cinNode\.languages\[0\]$/m },
  { name: '--set a list addressed by an unknown name', args: () => ['--env', 'prod', '--set', 'components.cinNode.languages.foo=x'], message: /^\[prod\] config components\.cinNode\.languages\.foo: components\.cinNode\.languages is a list/m },
  { name: '--set an index past the end of a list', args: () => ['--env', 'staging', '--set', 'hostnames[5]=a.example.org'], message: /^\[staging\] config hostnames\[5\]: hostnames has 1 item: an index must be at most 1 \(which appends\)$/m },
  { name: '--set a 10 000-character value (cut in the message)', args: () => ['--env', 'staging', '--set', `namespace=${'x'.repeat(10_000)}`], message: /^\[staging\] config namespace: .*"xxxx[^"]*…/m },
  { name: '--set a required section removed (telemetry=null)', args: () => ['--env', 'staging', '--set', 'telemetry=null'], message: /^\[staging\] config telemetry: is required$/m },
  { name: '--set cron fields out of range', args: () => ['--env', 'staging', '--set', 'backups.indexSnapshotSchedule=99 99 99 99 99'], message: /^\[staging\] config backups\.indexSnapshotSchedule: is not a cron schedule, got "99 99 99 99 99": minute 99 is not in 0-59; hour 99 is not in 0-23; day of month 99 is not in 1-31; month 99 is not in 1-12 or JAN-DEC; day of week 99 is not in 0-6 or SUN-SAT$/m },
  { name: '--set a cron step of 0', args: () => ['--env', 'staging', '--set', 'backups.configBackupSchedule=*/0 * * * *'], message: /^\[staging\] config backups\.configBackupSchedule: is not a cron schedule, got "\*\/0 \* \* \* \*": minute step 0 must be a whole number from 1 to 59$/m },
  { name: '--set @reboot (Kubernetes refuses it)', args: () => ['--env', 'staging', '--set', 'backups.volumeSnapshotSchedule=@reboot'], message: /^\[staging\] config backups\.volumeSnapshotSchedule: is not a cron schedule, got "@reboot": Kubernetes does not accept @reboot$/m },
  { name: '--set a route regex RE2 refuses (look-ahead)', args: () => ['--env', 'staging', '--set', `edge.routes[${REGEX_ROUTE}].regex=^/(?=grpc)`], message: new RegExp(`^\\[staging\\] config edge\\.routes\\[${REGEX_ROUTE}\\]\\.regex: is not a regular expression RE2 accepts, got "\\^/\\(\\?=grpc\\)": invalid perl operator: \\(\\?=$`, 'm') },
  { name: '--set a 70-character DNS label in a hostname', args: () => ['--env', 'staging', '--set', `hostnames[0]=${'a'.repeat(70)}.example.org`], message: /^\[staging\] config hostnames\[0\]: is not a DNS name \(RFC 1123\), got ".*: label "a+… has 70 characters, at most 63$/m },
  { name: '--set the autoscaler floor to 0', args: () => ['--env', 'staging', '--set', 'components.web.replicas=0'], message: /^\[staging\] config components\.web\.replicas: must be at least 1 while features\.autoscaling is on \(a HorizontalPodAutoscaler never scales up from 0\), got 0$/m },
  { name: '--set a CIDR with host bits', args: () => ['--env', 'staging', '--set', 'network.peerCidrs[0]=203.0.113.5/24'], message: /^\[staging\] config network\.peerCidrs\[0\]: is not an IPv4 or IPv6 CIDR, got "203\.0\.113\.5\/24": host bits are set \(did you mean 203\.0\.113\.0\/24\?\)$/m },
  { name: '--set a map addressed by index', args: () => ['--env', 'staging', '--set', 'components[0]=x'], message: /^\[staging\] config components\[0\]: components is a map: --set addresses its fields by name, not by index$/m },
  { name: '--set __proto__', args: () => ['--set', '__proto__.polluted=1'], message: /^--set "__proto__\.polluted=1": "__proto__" is not allowed as a field name at character 1$/m },
  { name: '--set constructor.prototype', args: () => ['--set', 'components.constructor.prototype.x=1'], message: /"constructor" is not allowed as a field name at character 12$/m },
  { name: '--set malformed path', args: () => ['--set', 'components..web=1'], message: /^--set "components\.\.web=1": a field name is missing at character 12$/m },
  { name: '--set without a value', args: () => ['--set', 'components.web.replicas'], message: /^--set "components\.web\.replicas": "components\.web\.replicas" has no "=value" at character 24$/m },
  { name: '--set ending in a comma', args: () => ['--set', 'components.web.replicas=2,'], message: /^--set "components\.web\.replicas=2,": a comma ends the text at character 26$/m },
  { name: '--set with an unclosed list', args: () => ['--set', 'hostnames={a.example.org'], message: /^--set "hostnames=\{a\.example\.org": a list "\{" is not closed at character 25$/m },
  { name: '--set ending in a backslash', args: () => ['--set', 'name=qa\\'], message: /^--set "name=qa\\\\": a backslash ends the text at character 8$/m },
  // -f values files
  { name: '-f a list, not a map', args: () => ['-f', values('list.yaml', '- a\n- b\n')], message: /^-f .*list\.yaml: must hold a YAML map of overrides$/m },
  { name: '-f replicas as a string', args: () => ['--env', 'prod', '-f', values('replicas.yaml', 'components:\n  pinOrchestrator:\n    replicas: "3"\n')], message: /^\[prod\] config components\.pinOrchestrator\.replicas: must be integer, got string "3"$/m },
  { name: '-f YAML syntax error', args: () => ['-f', values('broken.yaml', 'components:\n  web: [1, 2\n')], message: /^-f .*broken\.yaml:3:1: unexpected end of the stream within a flow collection$/m },
  { name: '-f duplicate key', args: () => ['-f', values('dup.yaml', 'name: a\nname: b\n')], message: /^-f .*dup\.yaml:2:1: duplicated mapping key$/m },
  { name: '-f YAML alias bomb', args: () => ['-f', values('bomb.yaml', ALIAS_BOMB)], message: /^-f .*bomb\.yaml: holds more than 100000 values once YAML aliases are expanded; refusing it$/m },
  {
    name: '-f keys holding a line break and a terminal escape (each problem stays one line, escaped)',
    args: () => ['--env', 'staging', '-f', values('control.yaml', 'components:\n  "bad\\nfield": 1\n  "red\\e[31m": 2\n')],
    message: /^\[staging\] config components\.bad\\nfield: unknown field .*\n\[staging\] config components\.red\\u001b\\\[31m: unknown field /m,
  },
  { name: '-f __proto__ key', args: () => ['-f', values('proto.yaml', '__proto__:\n  polluted: 1\n')], message: /^-f .*proto\.yaml: __proto__: is not allowed as a key/m },
  {
    name: '-f an invalid Secret key name in secrets.sealed',
    args: () => ['--env', 'staging', '-f', sealed({ 'watcher-signing-key': { 'ed25519 key': 'AgB' } })],
    message: /^\[staging\] config secrets\.sealed\.watcher-signing-key\.ed25519 key: must be a Secret key: letters, digits, "-", "_" and "\.", not "\." or starting with "\.\.", at most 253 characters, got "ed25519 key"$/m,
  },
  {
    name: '-f a sealed secret no workload reads (a misspelt name)',
    args: () => ['--env', 'staging', '-f', sealed(), '--set-string', 'secrets.sealed.watcher-signing-kye.ed25519\\.key=AgB'],
    message: /^\[staging\] \[secrets\/AppSecrets\] secrets\.sealed\.watcher-signing-kye: names no application secret \(.*watcher-signing-key.*\)$/m,
  },
  {
    name: '-f a sealed secret value that is not kubeseal ciphertext (a pasted plain value)',
    args: () => ['--env', 'staging', '-f', sealed({ 'watcher-signing-key': { 'ed25519.key': 'not base64: a plain key' } })],
    message: /^\[staging\] config secrets\.sealed\.watcher-signing-key\.ed25519\\\.key: must be kubeseal ciphertext \(base64\), got "not base64: a plain key"$/m,
  },
  { name: '-f an endless device, which has no size to check beforehand', args: () => ['-f', '/dev/zero'], message: /^-f \/dev\/zero: holds more than 4194304 bytes; a values file may hold 4194304 at the most$/m },
  { name: '-f a file that does not exist', args: () => ['-f', '/nonexistent/values.yaml'], message: /^-f \/nonexistent\/values\.yaml: cannot read it: ENOENT$/m },
  { name: '-f a folder', args: () => ['-f', tempDir('a-folder')], message: /^-f .*: cannot read it: EISDIR$/m },
  { name: '-f larger than 4 MiB', args: () => ['-f', values('huge.yaml', `name: ${'x'.repeat(5 * 1024 * 1024)}\n`)], message: /^-f .*huge\.yaml: is \d+ bytes; a values file may hold 4194304 at the most$/m },
  { name: '-f a date where text goes (stays text, then refused by the schema)', args: () => ['--env', 'staging', '-f', values('date.yaml', 'tls:\n  acmeEmail: 2024-01-01\n')], message: /^\[staging\] config tls\.acmeEmail: must be an e-mail address, got "2024-01-01"$/m },
  // environment files
  { name: 'an environment file named QA.ts', args: () => ['--env-dir', envDir({ 'qa.ts': qa(''), 'QA.ts': qa('') })], message: /^\[\(environments\)\] .*QA\.ts: not an environment file: each must be named <environment>\.ts/m },
  { name: 'an environment file named qa_env.ts', args: () => ['--env-dir', envDir({ 'qa_env.ts': qa('') })], message: /^\[\(environments\)\] .*qa_env\.ts: not an environment file/m },
  { name: 'an environment as YAML', args: () => ['--env-dir', envDir({ 'qa.yaml': 'name: qa\n' })], message: /^\[\(environments\)\] .*qa\.yaml: not an environment file/m },
  { name: 'an environment file with a syntax error', args: () => ['--env-dir', envDir({ 'qa.ts': 'export default { name: "qa",\n  namespace: ;\n};\n' })], message: /^\[qa\] .*qa\.ts:2:13: Unexpected ";"$/m },
  { name: 'an environment file that throws', args: () => ['--env-dir', envDir({ 'qa.ts': "throw new Error('vault unreachable');\n" })], message: /^\[qa\] .*qa\.ts: cannot be loaded: vault unreachable$/m },
  { name: 'an environment file without a default export', args: () => ['--env-dir', envDir({ 'qa.ts': 'export const qa = { name: "qa" };\n' })], message: /^\[qa\] .*qa\.ts: must export the environment's model as its default export \(a map\), got none$/m },
  { name: 'an environment file exporting null', args: () => ['--env-dir', envDir({ 'qa.ts': 'export default null;\n' })], message: /^\[qa\] .*qa\.ts: must export the environment's model as its default export \(a map\), got null$/m },
  { name: 'an environment file exporting a list', args: () => ['--env-dir', envDir({ 'qa.ts': 'export default [{ name: "qa" }];\n' })], message: /^\[qa\] .*qa\.ts: must export the environment's model as its default export \(a map\), got a list$/m },
  { name: 'a BigInt in an environment file', args: () => ['--env-dir', envDir({ 'qa.ts': qa('components: { ...staging.components, web: { ...staging.components.web, replicas: 2n } }') })], message: /^\[qa\] config components\.web\.replicas: must be data \(text, number, boolean, list or map\), got a bigint \(2n; write a number\)$/m },
  { name: 'a function in an environment file', args: () => ['--env-dir', envDir({ 'qa.ts': qa('pinDigests: () => true') })], message: /^\[qa\] config pinDigests: must be data .*got a function$/m },
  { name: 'a Symbol in an environment file', args: () => ['--env-dir', envDir({ 'qa.ts': qa("instance: Symbol('crumpet')") })], message: /^\[qa\] config instance: must be data .*got a symbol$/m },
  { name: 'a getter that throws in an environment file', args: () => ['--env-dir', envDir({ 'qa.ts': qa("get namespace(): string { throw new Error('no namespace yet'); }") })], message: /^\[qa\] config namespace: reading it failed: no namespace yet$/m },
  {
    name: 'a cycle in an environment file',
    args: () => ['--env-dir', envDir({ 'qa.ts': `import staging from ${JSON.stringify(STAGING)};\nconst qa: Record<string, unknown> = { ...staging, name: 'qa' };\nqa['self'] = qa;\nexport default qa;\n` })],
    message: /^\[qa\] config self: refers to itself \(a cycle\)$/m,
  },
  { name: 'a Date in an environment file', args: () => ['--env-dir', envDir({ 'qa.ts': qa('instance: new Date(0)') })], message: /^\[qa\] config instance: must be a list or a plain map, got a Date$/m },
  { name: 'an environment whose name differs from its file', args: () => ['--env-dir', envDir({ 'qa.ts': qa("name: 'other'") })], message: /^\[qa\] config name: must equal the environment's file name "qa", got "other"$/m },
  // --env
  { name: '--env unknown', args: () => ['--env', 'retired'], message: new RegExp(`^\\[retired\\] config --env: unknown environment "retired"; known: ${listEnvironments(CRUMPET_MODEL.environmentsDir).join(', ')}$`, 'm') },
  { name: '--env with a path', args: () => ['--env', '../prod'], message: /^\[\.\.\/prod\] config --env: unknown environment "\.\.\/prod"/m },
  // --out
  { name: '--out a device', args: () => ['--out', '/dev/null'], message: /^output root \/dev\/null is not a directory$/m },
  { name: '--out below a file', args: () => ['--out', '/etc/hostname/out'], message: /^cannot create directory \/etc\/hostname\/out: ENOTDIR \(not a directory\)$/m },
  { name: '--out empty', args: () => ['--out', ''], message: /^synth: --out needs a folder, got ""$/m, code: 2 },
  {
    name: '--out a root whose dist/ is someone else\'s (no marker)',
    prepare: (root) => rmSync(join(root, 'dist', OUTPUT_MARKER)),
    args: () => [],
    message: /^output root .*: dist\/ holds files no synth wrote \(it has no dist\/\.synth-output\); refusing to replace them: empty it or choose another --out$/m,
  },
  // usage
  { name: 'an unknown option', args: () => ['--replicas', '3'], message: /^synth: Unknown option '--replicas'/m, code: 2 },
];

describe('synth CLI | bad input', () => {
  const base = tempDir('bad-input-base');
  let before: Record<string, string>;

  beforeAll(async () => {
    const first = await synth(base, []);
    expect(first.code, first.err).toBe(0);
    before = treeDigest(base);
  });

  it('GIVEN the matrix THEN it holds at least 40 cases through every channel', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    for (const channel of ['--set', '-f', 'environment file', '--env', '--out']) {
      expect(CASES.some((c) => c.name.startsWith(channel) || c.name.includes(channel)), channel).toBe(true);
    }
  });

  it.each(CASES)('GIVEN $name WHEN synth runs THEN it exits non-zero naming the field, without a stack trace, and the output stays as it was', async (c) => {
    const root = tempDir('bad-input');
    cpSync(base, root, { recursive: true });
    c.prepare?.(root);
    const previous = treeDigest(root);
    const run = await synth(root, c.args(root));
    expect(run.code, run.err).toBe(c.code ?? 1);
    expect(run.out).toBe('');
    expect(run.err).toMatch(c.message);
    expect(run.err).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(run.err).not.toMatch(/internal error/);
    // No control character but the line breaks between problems: nothing a terminal would act on.
    expect(run.err).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    if ((c.code ?? 1) === 1) {
      const [head, ...problems] = run.err.split('\n');
      expect(head).toMatch(/^synth: nothing was written; \d+ problems?:$/);
      expect(problems.length).toBe(Number(/(\d+) problem/.exec(head!)![1]));
      for (const line of problems) {
        expect(line).toMatch(/^(\[[^\]]+\] |-f |--set(-string)? |output root |cannot )/);
        expect(line.length).toBeLessThan(400);
      }
    }
    expect(treeDigest(root)).toEqual(previous);
  });

  it('GIVEN --set __proto__ WHEN synth runs THEN no prototype was touched', async () => {
    await synth(tempDir('proto'), ['--set', '__proto__.polluted=1']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('GIVEN the root locked by a running synth WHEN another synth runs THEN it fails at once naming the holder', async () => {
    const root = tempDir('bad-input-locked');
    cpSync(base, root, { recursive: true });
    const holder = OutputRoot.open(root);
    try {
      const run = await synth(root, []);
      expect(run.code).toBe(1);
      expect(run.err).toMatch(new RegExp(`^output root .* is locked by synth pid ${process.pid} on .*: wait for it to finish, or delete .*\\.synth\\.lock if that run is gone$`, 'm'));
    } finally {
      holder.close();
    }
    expect(treeDigest(root)).toEqual(before);
  });
});

describe('synth CLI | valid input', () => {
  const base = tempDir('valid-input-base');
  beforeAll(async () => {
    expect((await synth(base, [])).code).toBe(0);
  });

  const file = (root: string, path: string): string => readFileSync(join(root, path), 'utf8');
  const ACCEPTED: readonly { name: string; args: () => string[]; check: (root: string) => void }[] = [
    {
      name: '--set-string a CPU of 2 (a number with --set)',
      args: () => ['--env', 'staging', '--set-string', 'components.pinOrchestrator.resources.limits.cpu=2'],
      check: (root) => expect(file(root, 'dist/staging/pin-orchestrator.k8s.yaml')).toMatch(/limits:\n\s+cpu: "2"/),
    },
    {
      name: 'an escaped dot in a key (the ciphertext of ed25519.key)',
      args: () => ['--env', 'staging', '-f', sealed(), '--set-string', 'secrets.sealed.watcher-signing-key.ed25519\\.key=AgBrotated'],
      check: (root) => expect(file(root, 'dist/staging/secrets.k8s.yaml')).toContain('ed25519.key: AgBrotated'),
    },
    {
      name: 'several assignments and a list in one --set',
      args: () => ['--set', 'edge.corsOrigins={https://a.example.org,https://b.example.org},components.web.maxReplicas=4'],
      check: (root) => {
        // One stack's synth writes its dist/ folders only: the edge's bootstrap is in its ConfigMap.
        expect(file(root, 'dist/staging/envoy-edge.k8s.yaml')).toContain('- exact: https://b.example.org');
        expect(file(root, 'dist/staging/web.k8s.yaml')).toContain('maxReplicas: 4');
      },
    },
    {
      name: 'YAML anchors and merge keys in a values file',
      args: () => ['--env', 'staging', '-f', values('anchors.yaml', 'components:\n  web: &scale\n    maxReplicas: 5\n  pinOrchestrator:\n    <<: *scale\n')],
      check: (root) => {
        expect(file(root, 'dist/staging/web.k8s.yaml')).toContain('maxReplicas: 5');
        expect(file(root, 'dist/staging/pin-orchestrator.k8s.yaml')).toContain('maxReplicas: 5');
      },
    },
    {
      name: 'a storage class name with dots',
      args: () => ['--env', 'staging', '--set', 'storage.storageClassName=ebs.csi.aws.com'],
      check: (root) => expect(file(root, 'dist/staging/cin-node.k8s.yaml')).toContain('storageClassName: ebs.csi.aws.com'),
    },
    {
      name: 'an IPv6 CIDR beside an IPv4 one',
      args: () => ['--env', 'staging', '--set', 'network.peerCidrs={192.0.2.0/26,2001:db8::/32}'],
      check: (root) => expect(file(root, 'dist/staging/cin-node.k8s.yaml')).toContain('cidr: 2001:db8::/32'),
    },
    {
      name: 'a 128-character image tag',
      args: () => ['--env', 'staging', '--set', `components.web.image.tag=${'v'.repeat(128)}`],
      check: (root) => {
        expect(file(root, 'dist/staging/web.k8s.yaml')).toContain(`:${'v'.repeat(128)}`);
        expect(file(root, 'dist/staging/web.k8s.yaml')).toContain(`app.kubernetes.io/version: ${'v'.repeat(63)}\n`);
      },
    },
    {
      name: 'a cron macro (@daily)',
      args: () => ['--env', 'staging', '--set', 'backups.configBackupSchedule=@daily'],
      check: (root) => expect(file(root, 'dist/staging/backups.k8s.yaml')).toContain('schedule: "@daily"'),
    },
    {
      name: '--env staging --env staging',
      args: () => ['--env', 'staging', '--env', 'staging'],
      check: (root) => expect(treeDigest(join(root, 'dist/staging'))).toEqual(treeDigest(join(base, 'dist/staging'))),
    },
    {
      name: 'environment files beside helpers (_common.ts) and a README',
      args: () => ['--env-dir', envDir({ 'qa.ts': qa("namespace: 'crumpet-qa'"), '_common.ts': 'export const x = 1;\n', 'README.md': '# envs\n' })],
      check: (root) => expect(file(root, 'dist/qa/00-cluster.k8s.yaml')).toContain('name: crumpet-qa'),
    },
  ];

  it.each(ACCEPTED)('GIVEN $name WHEN synth runs THEN it succeeds with the value in the output', async (c) => {
    const root = tempDir('valid-input');
    cpSync(base, root, { recursive: true });
    const run = await synth(root, c.args());
    expect(run.code, run.err).toBe(0);
    c.check(root);
  });
});
