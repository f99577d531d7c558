import { execFile } from 'node:child_process';
import { cpSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEnvironment } from '../../src/stacks/crumpet/index.ts';
import { commitAll, PROJECT_ROOT, tempDir } from '../_helpers.ts';

/*
 * One model value changed changes only the lines that depend on it: a copy of the project with
 * its committed outputs becomes a git repository, one environment file gets one value changed,
 * a full synth runs, and `git diff` counts what moved in dist/, charts-out/, ops/ and imports/.
 */

const run = promisify(execFile);

interface Change {
  /** The environment file edited and the statement appended before its `export default`. */
  readonly env: string;
  readonly statement: string;
  readonly before: string;
  readonly after: string;
}

interface Outcome {
  /** `git diff --numstat` of the generated folders: added, removed, path. */
  readonly numstat: { added: number; removed: number; path: string }[];
  /** Every changed line of the generated folders, without its +/- sign. */
  readonly lines: string[];
}

/** The value as a whole token of the line (`2` in `replicas: 2`, not in `v0.1.2` or `20`). */
const mentions = (line: string, value: string): boolean =>
  new RegExp(`(^|[^A-Za-z0-9.])${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9.])`).test(line);

/** A YAML line holding a key and no value: it opens the map below it. */
const OPENS_A_MAP = /^\s*[A-Za-z0-9_.-]+:$/;

/** A copy of the project with its committed outputs, as a git repository of one commit. */
function projectCopy(): string {
  const copy = tempDir('minimal-diff');
  for (const d of ['src', 'scripts', 'imports', 'dist', 'charts-out', 'ops']) cpSync(join(PROJECT_ROOT, d), join(copy, d), { recursive: true });
  for (const f of ['package.json', 'tsconfig.json', 'cdk8s.yaml']) cpSync(join(PROJECT_ROOT, f), join(copy, f));
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(copy, 'node_modules'));
  commitAll(copy, 'base');
  return copy;
}

/**
 * `change` made to the copy's environment file, a full synth, and what moved in the generated
 * folders; then the copy is reset to its commit, so that the next change starts from the
 * committed project (its synth reuses the copy's pack: only the bundle is rebuilt).
 */
async function applyChange(copy: string, change: Change): Promise<Outcome> {
  const file = join(copy, 'src/stacks/crumpet/environments', `${change.env}.ts`);
  const text = readFileSync(file, 'utf8');
  const exported = `export default ${change.env};`;
  expect(text, `${change.env}.ts ends with ${exported}`).toContain(exported);
  writeFileSync(file, text.replace(exported, `${change.statement}\n${exported}`));
  await run('npm', ['run', '--silent', 'synth'], { cwd: copy, maxBuffer: 16 * 2 ** 20 });
  const folders = ['dist', 'charts-out', 'ops', 'imports'];
  const numstat = (await run('git', ['diff', '--numstat', '--', ...folders], { cwd: copy })).stdout
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [added, removed, path] = l.split('\t');
      return { added: Number(added), removed: Number(removed), path: path! };
    });
  const lines = (await run('git', ['diff', '-U0', '--no-color', '--', ...folders], { cwd: copy, maxBuffer: 16 * 2 ** 20 })).stdout
    .split('\n')
    .filter((l) => /^[-+]/.test(l) && !/^(\+\+\+|---) /.test(l))
    .map((l) => l.slice(1));
  await run('git', ['checkout', '-q', '--', '.'], { cwd: copy });
  await run('git', ['clean', '-fdq', '--', ...folders, 'src'], { cwd: copy });
  return { numstat, lines };
}

describe('Minimal diffs |', async () => {
  const prod = await loadEnvironment('prod');
  const staging = await loadEnvironment('staging');
  const replicas = prod.components.watcher.replicas;
  const tag = staging.components.web.image.tag;
  const changes: Record<string, Change> = {
    'prod watcher replicas': {
      env: 'prod',
      statement: `(prod.components.watcher as { replicas: number }).replicas = ${replicas + 1};`,
      before: String(replicas),
      after: String(replicas + 1),
    },
    'staging web image tag': {
      env: 'staging',
      statement: `staging.components.web.image = { ...staging.components.web.image, tag: '${tag}-next' };`,
      before: tag,
      after: `${tag}-next`,
    },
  };
  const outcomes = new Map<string, Outcome>();

  beforeAll(async () => {
    // One copy, one change at a time: a copy's first synth builds its bundle and pack, the next only the bundle.
    const copy = projectCopy();
    for (const [name, change] of Object.entries(changes)) outcomes.set(name, await applyChange(copy, change));
  }, 180_000);

  it.each(Object.keys(changes))('GIVEN %s changed THEN every changed line with a value names the old or the new value, and imports/ is untouched', (name) => {
    const change = changes[name]!;
    const { numstat, lines } = outcomes.get(name)!;
    expect(numstat.length).toBeGreaterThan(0);
    expect(numstat.filter((n) => n.path.startsWith('imports/'))).toEqual([]);
    // A line that only opens a map carries no value: an overlay gains `image:` above the value it now overrides.
    expect(lines.filter((l) => !OPENS_A_MAP.test(l) && !mentions(l, change.before) && !mentions(l, change.after))).toEqual([]);
  });
});
