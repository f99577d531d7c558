import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runCli, runEntry, synthesizedCopy, tempDir, treeDigest } from '../_helpers.ts';

/*
 * The synth as users run it, `npm run synth`, as processes: a signal stops it without any write
 * afterwards (no orphan process), and no failure prints a stack trace.
 */

/** Processes whose command line mentions `text`. */
function processesMentioning(text: string): string[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid)
    .flatMap((p) => {
      try {
        const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8').replaceAll('\0', ' ');
        return cmd.includes(text) ? [`${p} ${cmd}`] : [];
      } catch {
        return [];
      }
    });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('synth CLI | as a process', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('GIVEN npm run synth WHEN npm gets %s mid-run THEN every process of the run is gone and the output never changes afterwards', async (signal) => {
    const { root, run } = await synthesizedCopy('process-kill');
    expect(run.code).toBe(0);
    const old = treeDigest(root);
    const npm = spawn('npm', ['run', '--silent', 'synth', '--', '--out', root, '--stack', 'crumpet', '--set', 'components.web.maxReplicas=7'], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    npm.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => npm.on('close', (code) => resolve(code)));
    // The lock appears once the synth has opened the root: it is rendering now.
    for (let i = 0; i < 1000 && !existsSync(join(root, '.synth.lock')); i++) await sleep(10);
    expect(existsSync(join(root, '.synth.lock')), 'the synth took the lock').toBe(true);
    npm.kill(signal);
    expect(await exited).not.toBe(0);
    expect(stderr).toMatch(new RegExp(`synth: stopped by ${signal}; nothing was written`));
    expect(processesMentioning(root)).toEqual([]);
    expect(treeDigest(root)).toEqual(old);
    await sleep(2500);
    expect(treeDigest(root), 'nothing is written after npm has exited').toEqual(old);
  });

  it.each([
    ['an environment file holding a BigInt', (dir: string) => {
      writeFileSync(join(dir, 'qa.ts'), `import s from ${JSON.stringify(join(PROJECT_ROOT, 'src/stacks/crumpet/environments/staging.ts'))};\nexport default { ...s, name: 'qa', pinDigests: 1n };\n`);
      return ['--stack', 'crumpet', '--env-dir', dir];
    }, /^\[qa\] config pinDigests: must be data .*got a bigint/m],
    ['an environment file with a syntax error', (dir: string) => {
      writeFileSync(join(dir, 'qa.ts'), 'export default {\n  name: ,\n};\n');
      return ['--stack', 'crumpet', '--env-dir', dir];
    }, /^\[qa\] .*qa\.ts:2:8: Unexpected ","$/m],
    ['--out a device', () => ['--out', '/dev/null'], /^output root \/dev\/null is not a directory$/m],
  ])('GIVEN %s WHEN the real CLI runs (bundled, and from the sources) THEN it exits 1 with one line per problem and no stack trace', async (_, args, message) => {
    const envs = tempDir('process-envs');
    const argv = ['--out', tempDir('process-bad'), ...args(envs)];
    for (const run of [await runCli('synth', argv), await runEntry('src/main.ts', argv)]) {
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^synth: nothing was written; 1 problem:\n/);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/^\s+at /m);
      expect(run.stdout).toBe('');
    }
  });

  it('GIVEN an --env-dir environment importing one of the stack\'s WHEN the bundled CLI runs it THEN it is synthesized from that file', async () => {
    const envs = tempDir('process-envs');
    writeFileSync(join(envs, 'qa.ts'), `import s from ${JSON.stringify(join(PROJECT_ROOT, 'src/stacks/crumpet/environments/staging.ts'))};\nexport default { ...s, name: 'qa' };\n`);
    const root = tempDir('process-env-dir');
    const run = await runCli('synth', ['--out', root, '--stack', 'crumpet', '--env-dir', envs]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(existsSync(join(root, 'dist/qa'))).toBe(true);
  });
});
