import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runCli, synthesizedCopy } from '../_helpers.ts';

/* `npm run check` as a process, on the committed tree and on copies of a fresh synth's output (test/_helpers.ts sharedSynth). */

describe('check CLI | drift gate', () => {
  it('GIVEN the committed tree WHEN check runs THEN it passes', async () => {
    const result = await runCli('check', ['--out', PROJECT_ROOT]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/check: \d+ files in dist, ops, charts-out match a fresh synth/);
  });

  it('GIVEN an edited, a stale and a missing file WHEN check runs THEN it fails listing each', async () => {
    const { root, run } = await synthesizedCopy('check');
    expect(run.code, run.stderr).toBe(0);
    appendFileSync(join(root, 'dist/prod/pin-orchestrator.k8s.yaml'), '# hand edit\n');
    mkdirSync(join(root, 'dist/retired'));
    writeFileSync(join(root, 'dist/retired/old.k8s.yaml'), 'kind: Namespace\n');
    rmSync(join(root, 'dist/staging/00-cluster.k8s.yaml'));

    const result = await runCli('check', ['--out', root]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('differs: dist/prod/pin-orchestrator.k8s.yaml');
    expect(result.stderr).toContain('stale (synth no longer writes it): dist/retired/old.k8s.yaml');
    expect(result.stderr).toContain('missing (synth writes it, not committed): dist/staging/00-cluster.k8s.yaml');
  });

  it('GIVEN a synth of all environments WHEN a stale environment folder exists THEN synth removes it', async () => {
    const { root, run } = await synthesizedCopy('stale');
    expect(run.code, run.stderr).toBe(0);
    mkdirSync(join(root, 'dist/retired'), { recursive: true });
    writeFileSync(join(root, 'dist/retired/old.k8s.yaml'), 'kind: Namespace\n');
    expect((await runCli('synth', ['--out', root])).code).toBe(0);
    expect(existsSync(join(root, 'dist/retired'))).toBe(false);
    expect((await runCli('check', ['--out', root])).code).toBe(0);
  });

  it('GIVEN one environment selected WHEN synth runs THEN the other environments stay as they were', async () => {
    const { root, run } = await synthesizedCopy('one-env');
    expect(run.code, run.stderr).toBe(0);
    writeFileSync(join(root, 'dist/staging/keep.yaml'), 'kept\n');
    const result = await runCli('synth', ['--out', root, '--env', 'prod']);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(join(root, 'dist/staging/keep.yaml'), 'utf8')).toBe('kept\n');
    expect(existsSync(join(root, 'dist/prod/pin-orchestrator.k8s.yaml'))).toBe(true);
  });
});
