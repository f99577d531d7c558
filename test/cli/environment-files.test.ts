import { appendFileSync, cpSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { npmNodeArgs, PROJECT_ROOT, runNode, tempDir, treeDigest, type RunResult } from '../_helpers.ts';

/*
 * A stack's environment files are read by the runs that render the stack, never on import: in a
 * copy of the project whose Crumpet staging holds a BigInt, `npm run synth` of StemeDB writes it,
 * and a synth of everything stops with one line naming the field, without a stack trace, and
 * writes nothing. Two processes of the bundled CLI (the in-process cases are
 * test/render/stack-environments.test.ts): a copy is the only way to break the project's own
 * environment files without breaking the tests running beside this one.
 */

describe('synth CLI | a bad environment file of one stack', () => {
  const copy = tempDir('env-files');
  const synth = (out: string, args: readonly string[]): Promise<RunResult> => runNode([...npmNodeArgs('synth'), '--out', out, ...args], {}, { cwd: copy });

  beforeAll(() => {
    for (const d of ['src', 'imports', 'scripts']) cpSync(join(PROJECT_ROOT, d), join(copy, d), { recursive: true });
    for (const f of ['package.json', 'tsconfig.json']) cpSync(join(PROJECT_ROOT, f), join(copy, f));
    symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(copy, 'node_modules'));
    appendFileSync(join(copy, 'src/stacks/crumpet/environments/staging.ts'), '(staging as any).components.web.replicas = 3n;\n');
  });

  it('GIVEN Crumpet staging with a BigInt WHEN StemeDB prod is synthesized THEN it is written', async () => {
    const out = tempDir('env-files-stemedb');
    const run = await synth(out, ['--stack', 'stemedb', '--env', 'prod']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(Object.keys(treeDigest(out)).filter((path) => !path.startsWith('dist/stemedb/prod/'))).toEqual(['dist/.synth-output', 'dist/argocd/stemedb-prod.k8s.yaml']);
  }, 120_000);

  it('GIVEN Crumpet staging with a BigInt WHEN every stack is synthesized THEN it exits 1 with one line naming the field, and writes nothing', async () => {
    const out = tempDir('env-files-all');
    const run = await synth(out, []);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'synth: nothing was written; 1 problem:\n' +
        '[staging] config components.web.replicas: must be data (text, number, boolean, list or map), got a bigint (3n; write a number)\n',
    );
    expect(treeDigest(out)).toEqual({});
  }, 120_000);
});
