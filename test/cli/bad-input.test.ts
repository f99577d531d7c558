import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTree, runEntry, tempDir } from '../_helpers.ts';

/*
 * Bad input through the real CLI: each case must exit non-zero, name the environment and the
 * field path, and leave a previously synthesized output root byte-identical.
 */
describe('synth CLI | bad input', () => {
  const root = tempDir('bad-input');
  let before: Map<string, Buffer>;
  const valuesFile = (name: string, body: string): string => {
    const file = join(tempDir('values'), name);
    writeFileSync(file, body);
    return file;
  };

  beforeAll(async () => {
    const first = await runEntry('src/main.ts', ['--out', root]);
    expect(first.code, first.stderr).toBe(0);
    before = readTree(root);
    expect(before.size).toBeGreaterThan(0);
  });

  const cases: { name: string; args: () => string[]; message: RegExp }[] = [
    {
      name: 'negative replicas',
      args: () => ['--set', 'components.pinOrchestrator.replicas=-1'],
      message: /\[staging\] config components\.pinOrchestrator\.replicas: must be >= 0, got -1/,
    },
    {
      name: 'replicas as a string (from a values file)',
      args: () => ['--env', 'prod', '-f', valuesFile('replicas.yaml', 'components:\n  pinOrchestrator:\n    replicas: "3"\n')],
      message: /\[prod\] config components\.pinOrchestrator\.replicas: must be integer, got string "3"/,
    },
    {
      name: 'malformed image reference',
      args: () => ['--set', 'components.watcher.image.repository=GHCR.io/Crumpet/watcher:latest'],
      message: /\[prod\] config components\.watcher\.image\.repository: must be an image repository .*got "GHCR\.io\/Crumpet\/watcher:latest"/,
    },
    {
      name: 'unknown top-level key',
      args: () => ['--set', 'replica=3'],
      message: /\[staging\] config replica: unknown field \(allowed: name, namespace/,
    },
    {
      name: 'unknown environment',
      args: () => ['--env', 'qa'],
      message: /\[qa\] config --env: unknown environment "qa"; known: prod, staging/,
    },
    {
      name: 'bad resource quantity',
      args: () => ['--set', 'components.pinOrchestrator.resources.requests.memory=512MB'],
      message: /\[prod\] config components\.pinOrchestrator\.resources\.requests\.memory: must be a Kubernetes byte quantity .*got "512MB"/,
    },
    {
      name: 'duplicate CIN language',
      args: () => ['--env', 'prod', '--set', 'components.cinNode.languages[2].code=en'],
      message: /\[prod\] config components\.cinNode\.languages\[2\]\.code: duplicate language "en" \(already at components\.cinNode\.languages\[0\]\)/,
    },
    {
      name: 'empty hostname',
      args: () => ['--set', 'hostnames[0]='],
      message: /\[staging\] config hostnames\[0\]: must NOT have fewer than 1 characters/,
    },
    {
      name: 'unpinned image where the environment pins digests',
      args: () => ['--env', 'prod', '--set', 'components.web.image.digest=null'],
      message: /\[prod\] config components\.web\.image\.digest: is required: this environment pins images by digest/,
    },
    {
      name: 'memory limit below the request',
      args: () => ['--env', 'staging', '--set', 'components.watcher.resources.limits.memory=128Mi'],
      message: /\[staging\] config components\.watcher\.resources\.limits\.memory: must be at least requests\.memory \(256Mi\), got 128Mi/,
    },
    {
      name: 'values file that is not a map',
      args: () => ['-f', valuesFile('list.yaml', '- a\n- b\n')],
      message: /-f .*list\.yaml: must hold a YAML map of overrides/,
    },
    {
      name: 'malformed --set path',
      args: () => ['--set', 'components..web=1'],
      message: /--set path "components\.\.web" is malformed at character 12/,
    },
  ];

  it.concurrent.each(cases)('GIVEN $name WHEN synth runs THEN it exits non-zero naming the field and writes nothing', async ({ args, message }) => {
    const result = await runEntry('src/main.ts', ['--out', root, ...args()]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
    expect(readTree(root)).toEqual(before);
  });

  it('GIVEN several bad values in two environments WHEN synth runs THEN every problem is reported at once', async () => {
    const result = await runEntry('src/main.ts', [
      '--out', root,
      '--set', 'components.pinOrchestrator.replicas=-1',
      '--set', 'hostnames[0]=',
    ]);
    expect(result.code).toBe(1);
    for (const env of ['prod', 'staging']) {
      expect(result.stderr).toContain(`[${env}] config components.pinOrchestrator.replicas`);
      expect(result.stderr).toContain(`[${env}] config hostnames[0]`);
    }
    expect(readTree(root)).toEqual(before);
  });

  it('GIVEN an unknown option WHEN synth runs THEN it exits 2 with the usage', async () => {
    const result = await runEntry('src/main.ts', ['--out', root, '--replicas', '3']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Unknown option '--replicas'[\s\S]*Usage: npm run synth/);
  });
});
