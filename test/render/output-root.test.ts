import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OUTPUT_MARKER, OutputError, OutputRoot, type OutputSet } from '../../src/render/index.ts';
import { bundled, PROJECT_ROOT, tempDir } from '../_helpers.ts';
import { SCENARIOS, snapshot, steppedFs, systemError, type ScenarioName } from './_output-fixtures.ts';

/*
 * The writer's promise: a root holds exactly the old output or exactly the new one, whatever
 * step fails or is killed, and only one run writes a root at a time.
 */

const NAMES = Object.keys(SCENARIOS) as ScenarioName[];
const dead = (): boolean => false;

/** A root holding the scenario's previous output, and that output's snapshot. */
function rootWithOld(scenario: ScenarioName): { root: string; old: Record<string, string> } {
  const root = tempDir(`out-${scenario}`);
  const before = SCENARIOS[scenario].before;
  if (before) {
    const r = OutputRoot.open(root);
    r.write(before);
    r.close();
  }
  return { root, old: snapshot(root) };
}

/** The scenario written without a fault: the new output, and the steps it takes (open and close included). */
function reference(scenario: ScenarioName): { fresh: Record<string, string>; steps: string[] } {
  const { root } = rootWithOld(scenario);
  const { fs, steps } = steppedFs(() => undefined);
  const r = OutputRoot.open(root, { fs });
  r.write(SCENARIOS[scenario].after);
  r.close();
  return { fresh: snapshot(root), steps };
}

/** Files the writer keeps only while it runs (lock, staging). */
const leftovers = (root: string): string[] => readdirSync(root).filter((n) => n.startsWith('.synth'));

describe('OutputRoot | writing', () => {
  it('GIVEN a previous output WHEN the next is written THEN the owned folders hold exactly the new files and a marker each', () => {
    const { root } = rootWithOld('replace');
    const r = OutputRoot.open(root);
    expect(r.write(SCENARIOS.replace.after)).toEqual([]);
    r.close();
    const expected = Object.fromEntries(SCENARIOS.replace.after.files);
    for (const top of ['dist', 'ops', 'charts-out']) expected[`${top}/${OUTPUT_MARKER}`] = expect.stringContaining('npm run synth');
    expect(snapshot(root)).toEqual(expected);
    expect(leftovers(root)).toEqual([]);
  });

  it('GIVEN a file the next output holds unchanged WHEN written THEN it keeps its inode and mtime, and every other file is written anew', () => {
    const { root } = rootWithOld('replace');
    const before = new Map([...SCENARIOS.replace.before.files.keys()].map((f) => [f, statSync(join(root, f))] as const));
    const r = OutputRoot.open(root);
    r.write(SCENARIOS.replace.after);
    r.close();
    const unchanged = [...SCENARIOS.replace.after.files].filter(([f, content]) => SCENARIOS.replace.before.files.get(f) === content).map(([f]) => f);
    expect(unchanged.length).toBeGreaterThan(0);
    for (const [f, content] of SCENARIOS.replace.after.files) {
      const now = statSync(join(root, f));
      expect(readFileSync(join(root, f), 'utf8'), f).toBe(content);
      expect(now.nlink, `${f}: no other name of it is left`).toBe(1);
      const old = before.get(f);
      if (unchanged.includes(f)) expect([now.ino, now.mtimeMs], f).toEqual([old!.ino, old!.mtimeMs]);
      else if (old) expect(now.ino, f).not.toBe(old.ino);
    }
  });

  it('GIVEN a file system without hard links WHEN written THEN the unchanged files are written too, and the output is the same', () => {
    const { root } = rootWithOld('replace');
    const { fs, steps } = steppedFs((_, call) => {
      if (call.startsWith('link ') && call.includes('/new/')) throw systemError('EPERM', 'link', call);
    });
    const r = OutputRoot.open(root, { fs });
    expect(r.write(SCENARIOS.replace.after)).toEqual([]);
    r.close();
    expect(steps.some((s) => s.startsWith('writeFile ') && s.includes('/new/ops/same.txt '))).toBe(true);
    const expected = Object.fromEntries(SCENARIOS.replace.after.files);
    for (const top of ['dist', 'ops', 'charts-out']) expected[`${top}/${OUTPUT_MARKER}`] = expect.stringContaining('npm run synth');
    expect(snapshot(root)).toEqual(expected);
  });

  it('GIVEN one environment WHEN written THEN the other folders of the root stay as they were', () => {
    const { root, old } = rootWithOld('partial');
    const r = OutputRoot.open(root);
    r.write(SCENARIOS.partial.after);
    r.close();
    expect(snapshot(root)).toEqual({ ...old, 'dist/prod/a.yaml': 'a\n' });
  });

  it.each([
    ['an owned path listed twice (--env x --env x)', { owned: ['dist/x', 'dist/x'], files: new Map([['dist/x/a', '']]) }, /"dist\/x" is listed twice/],
    ['an owned path inside another', { owned: ['dist', 'dist/x'], files: new Map() }, /"dist\/x" lies inside owned path "dist"/],
    ['a file outside the owned paths', { owned: ['dist'], files: new Map([['ops/a', '']]) }, /ops\/a lies outside/],
    ['a path climbing out of the root', { owned: ['../x'], files: new Map() }, /plain relative path/],
  ] as const)('GIVEN %s WHEN written THEN it is refused before anything changes', (_, output, message) => {
    const { root, old } = rootWithOld('replace');
    const r = OutputRoot.open(root);
    expect(() => r.write(output as OutputSet)).toThrow(message);
    r.close();
    expect(snapshot(root)).toEqual(old);
  });
});

describe('OutputRoot | folders it does not own', () => {
  it('GIVEN a folder of someone else (files, no marker) WHEN written THEN it is refused and left untouched', () => {
    const root = tempDir('foreign');
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'dist/mine.yaml'), 'kind: Mine\n');
    const r = OutputRoot.open(root);
    expect(() => r.write(SCENARIOS.fresh.after)).toThrow(/dist\/ holds files no synth wrote \(it has no dist\/\.synth-output\); refusing/);
    r.close();
    expect(snapshot(root)).toEqual({ 'dist/mine.yaml': 'kind: Mine\n' });
  });

  it('GIVEN a file where an owned folder goes WHEN written THEN it is refused', () => {
    const root = tempDir('file-in-way');
    writeFileSync(join(root, 'ops'), 'x');
    const r = OutputRoot.open(root);
    expect(() => r.write(SCENARIOS.fresh.after)).toThrow(/ops is not a directory; refusing to replace it/);
    r.close();
  });

  it('GIVEN an output root that is not a folder (/dev/null) WHEN opened THEN it is refused', () => {
    expect(() => OutputRoot.open('/dev/null')).toThrow(new OutputError('output root /dev/null is not a directory'));
  });
});

describe('OutputRoot | a failure at every step', () => {
  describe.each(NAMES)('%s', (scenario) => {
    const { fresh, steps } = reference(scenario);

    it.each(steps.map((step, n) => ({ n, step })))('GIVEN step $n ($step) failing WHEN written THEN the root holds the old or the new output, named error, no leftovers', ({ n }) => {
      const { root, old } = rootWithOld(scenario);
      const { fs } = steppedFs((i, call) => {
        if (i === n) throw systemError('EBUSY', call.split(' ')[0]!, call.split(' ')[1]!);
      });
      let error: unknown;
      let written = false;
      try {
        const r = OutputRoot.open(root, { fs });
        try {
          r.write(SCENARIOS[scenario].after);
          written = true;
        } finally {
          r.close();
        }
      } catch (err) {
        error = err;
      }
      const outputs = (s: Record<string, string>) => Object.fromEntries(Object.entries(s).filter(([k]) => !k.startsWith('.synth')));
      const after = outputs(snapshot(root));
      if (written) expect(after, 'a write that reported success leaves exactly the new output').toEqual(fresh);
      else {
        expect(after, 'a write that failed leaves exactly the old output').toEqual(old);
        expect(error).toBeInstanceOf(OutputError);
        expect((error as Error).message).toMatch(/^cannot .*: EBUSY \(resource busy or locked\)/);
      }
      // What a failed cleanup left, the next run removes.
      OutputRoot.open(root, { isAlive: dead }).close();
      expect(snapshot(root), 'the next run leaves the output as the failed run left it').toEqual(written ? fresh : old);
      expect(leftovers(root), 'the next run removes what the failed run left').toEqual([]);
    });
  });

  it('GIVEN no space left while staging THEN the message names the file and the real errno', () => {
    const { root, old } = rootWithOld('replace');
    const { fs } = steppedFs((_, call) => {
      if (call.startsWith('writeFile') && call.includes('new.yaml')) throw systemError('ENOSPC', 'open', call.split(' ')[1]!);
    });
    const r = OutputRoot.open(root, { fs });
    expect(() => r.write(SCENARIOS.replace.after)).toThrow(/^cannot write \/.*\/new\/dist\/prod\/new\.yaml: ENOSPC \(no space left on device\)$/);
    r.close();
    expect(snapshot(root)).toEqual(old);
  });

  it('GIVEN a rename that fails and a rollback that fails too THEN the next run restores the old output', () => {
    const { root, old } = rootWithOld('replace');
    let renames = 0;
    const { fs } = steppedFs((_, call) => {
      // The second switch rename fails, and so does the first rename of the rollback.
      if (call.startsWith('rename') && !call.includes('journal') && ++renames >= 2 && renames <= 3) throw systemError('EBUSY', 'rename', call);
    });
    const r = OutputRoot.open(root, { fs });
    expect(() => r.write(SCENARIOS.replace.after)).toThrow(/restoring the previous output failed too .*the next synth on .* restores it before anything else/);
    r.close();
    expect(OutputRoot.inspect(root).interrupted).toHaveLength(1);
    OutputRoot.open(root).close();
    expect(snapshot(root)).toEqual(old);
    expect(leftovers(root)).toEqual([]);
  });
});

/** Runs the writer in a child process that SIGKILLs itself before change `n`. */
async function killAt(root: string, scenario: ScenarioName, n: number): Promise<string | number | null> {
  const script = await bundled('test/render/_kill-at-step.ts');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, root, scenario, String(n)], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => (code !== null && code !== 0 ? reject(new Error(stderr)) : resolve(signal ?? code)));
  });
}

/** Runs `tasks` at most `width` at a time. */
async function pool<T>(tasks: readonly (() => Promise<T>)[], width: number): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]!();
      }
    }),
  );
  return results;
}

describe('OutputRoot | a kill at every step', () => {
  // `fresh` is `replace` without a previous output: its steps are a subset.
  it.each(['replace', 'partial'] as const)('GIVEN %s killed (SIGKILL) before each change in turn THEN the root is the old or the new output at once, or after the next run restores it', async (scenario) => {
    const { fresh, steps } = reference(scenario);
    const verdicts = await pool(
      steps.map((step, n) => async () => {
        const { root, old } = rootWithOld(scenario);
        const ended = await killAt(root, scenario, n);
        expect(ended, `step ${n} ${step}`).toBe('SIGKILL');
        const outputs = Object.fromEntries(Object.entries(snapshot(root)).filter(([k]) => !k.startsWith('.synth')));
        const interrupted = OutputRoot.inspect(root, { isAlive: dead }).interrupted.length > 0;
        if (!interrupted) expect([old, fresh], `step ${n} ${step}: right after the kill`).toContainEqual(outputs);
        OutputRoot.open(root).close();
        const restored = snapshot(root);
        expect([old, fresh], `step ${n} ${step}: after the next run`).toContainEqual(restored);
        expect(leftovers(root), `step ${n} ${step}`).toEqual([]);
        return `${n}:${interrupted ? 'mid-switch' : JSON.stringify(restored) === JSON.stringify(old) ? 'old' : 'new'}`;
      }),
      3,
    );
    // Kills before the journal leave the old output, kills mid-switch a journal, kills after the commit the new one.
    expect(new Set(verdicts.map((v) => v.split(':')[1]))).toEqual(new Set(['old', 'mid-switch', 'new']));
  });
});

describe('OutputRoot | one run at a time', () => {
  it('GIVEN a run holding the root WHEN another opens it THEN it fails at once naming the holder', () => {
    const root = tempDir('locked');
    const first = OutputRoot.open(root);
    expect(() => OutputRoot.open(root)).toThrow(
      new RegExp(`is locked by synth pid ${process.pid} on ${hostname()} since \\S+ \\(.*\\): wait for it to finish, or delete .*\\.synth\\.lock if that run is gone`),
    );
    expect(OutputRoot.inspect(root).busy).toMatch(new RegExp(`^synth pid ${process.pid}`));
    first.close();
    OutputRoot.open(root).close();
  });

  it('GIVEN the lock of a dead run WHEN opened THEN the lock is taken over and its staging folder removed', () => {
    const root = tempDir('stale');
    writeFileSync(join(root, '.synth.lock'), JSON.stringify({ pid: 999999, host: hostname(), started: 'x', command: 'synth', token: 't' }));
    mkdirSync(join(root, '.synth-999999-abcd/new/dist'), { recursive: true });
    mkdirSync(join(root, '.synth-tmp-999998/new'), { recursive: true });
    OutputRoot.open(root, { isAlive: dead }).close();
    expect(leftovers(root)).toEqual([]);
  });

  it.each([
    ['a lock file that cannot be read', 'garbage', /locked by a run whose lock file cannot be read/],
    ['the lock of a run on another host', JSON.stringify({ pid: 1, host: 'elsewhere', started: 'x', command: 'synth', token: 't' }), /locked by synth pid 1 on elsewhere/],
  ])('GIVEN %s WHEN opened THEN it is refused (it cannot be proved stale)', (_, text, message) => {
    const root = tempDir('lock-kinds');
    writeFileSync(join(root, '.synth.lock'), text);
    expect(() => OutputRoot.open(root, { isAlive: dead })).toThrow(message);
  });

  it('GIVEN six processes opening one root at the same instant THEN exactly one holds it', async () => {
    const root = tempDir('race');
    const go = join(root, 'go');
    const script = [
      "const { existsSync, writeFileSync } = await import('node:fs');",
      `const { OutputRoot } = await import(${JSON.stringify(await bundled('src/render/output-root.ts'))});`,
      `writeFileSync(${JSON.stringify(root)} + '/ready-' + process.pid, '');`,
      `while (!existsSync(${JSON.stringify(go)})) await new Promise((r) => setTimeout(r, 5));`,
      `try { const r = OutputRoot.open(${JSON.stringify(root)}); console.log('held'); await new Promise((r) => setTimeout(r, 1000)); r.close(); }`,
      "catch (err) { console.log(err.message.includes('is locked by') ? 'refused' : `error: ${err.message}`); }",
    ].join('\n');
    const runs = Array.from({ length: 6 }, () =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.on('error', reject);
        child.on('close', () => resolve(out.trim()));
      }),
    );
    // Every child loaded and polling before any may try.
    while (readdirSync(root).filter((n) => n.startsWith('ready-')).length < 6) await new Promise((r) => setTimeout(r, 20));
    writeFileSync(go, '');
    const outcomes = await Promise.all(runs);
    expect(outcomes.sort()).toEqual(['held', 'refused', 'refused', 'refused', 'refused', 'refused']);
  });
});
