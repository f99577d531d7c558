import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, tempDir } from '../_helpers.ts';

/* scripts/_code-cache.mjs: V8's code cache for required CommonJS modules, never used for other source text. */

/**
 * A script in `root` that installs the code cache (`cache`, and `builds` as its build folders)
 * and prints `<expression>` of the module it requires; returns a runner of it in a new process.
 */
function harness(root: string, cache: string, module: string, expression: string, builds: readonly string[] = []): () => string {
  const main = join(root, 'main.mjs');
  writeFileSync(
    main,
    [
      `import { createRequire } from 'node:module';`,
      `import { installCodeCache } from ${JSON.stringify(pathToFileURL(join(PROJECT_ROOT, 'scripts/_code-cache.mjs')).href)};`,
      `installCodeCache(${JSON.stringify(root)}, ${JSON.stringify(cache)}, ${JSON.stringify(builds)});`,
      `const m = createRequire(import.meta.url)(${JSON.stringify(module)});`,
      `console.log(${expression});`,
    ].join('\n'),
  );
  return () => execFileSync(process.execPath, [main], { encoding: 'utf8' }).trim();
}

describe('code cache |', () => {
  it('GIVEN a module edited to the same length THEN the next run compiles the new text, not the cached code', () => {
    const root = tempDir('code-cache');
    const cache = join(root, 'cache');
    const module = join(root, 'answer.cjs');
    const run = harness(root, cache, module, 'm()');
    writeFileSync(module, 'module.exports = () => 41;\n');
    expect(run()).toBe('41');
    expect(readdirSync(cache).filter((f) => f.endsWith('.bin'))).toHaveLength(1);
    expect(run()).toBe('41');
    writeFileSync(module, 'module.exports = () => 42;\n');
    expect(run()).toBe('42');
    expect(readdirSync(cache).filter((f) => f.endsWith('.bin'))).toHaveLength(2);
  });

  it('GIVEN a module last changed over 2 s ago THEN its cache is also found by size, mtime and inode, and an edit to the same length (the mtime moves) still compiles the new text', () => {
    const root = tempDir('code-cache-stat');
    const cache = join(root, 'cache');
    const module = join(root, 'answer.cjs');
    const run = harness(root, cache, module, 'm()');
    const hourAgo = (hours: number): Date => new Date(Date.now() - hours * 3_600_000);
    writeFileSync(module, 'module.exports = () => 41;\n');
    utimesSync(module, hourAgo(2), hourAgo(2));
    expect(run()).toBe('41');
    const byStat = () => readdirSync(cache).filter((f) => f.startsWith('stat-') && f.endsWith('.bin'));
    expect(byStat()).toHaveLength(1);
    expect(run()).toBe('41');
    writeFileSync(module, 'module.exports = () => 42;\n');
    utimesSync(module, hourAgo(1), hourAgo(1));
    expect(run()).toBe('42');
    expect(byStat()).toHaveLength(2);
  });

  it('GIVEN a module in a build folder THEN its cache is kept beside it, so it goes with the folder, and the shared folder holds none of it', () => {
    const root = tempDir('code-cache-build');
    const shared = join(root, 'cache');
    const builds = join(root, 'builds');
    const build = join(builds, 'build-1');
    mkdirSync(build, { recursive: true });
    writeFileSync(join(build, 'pack.cjs'), 'module.exports = () => 7;\n');
    expect(harness(root, shared, join(build, 'pack.cjs'), 'm()', [builds])()).toBe('7');
    expect(readdirSync(join(build, 'code-cache')).filter((f) => f.endsWith('.bin')).length).toBeGreaterThan(0);
    expect(existsSync(shared)).toBe(false);
  });

  it('GIVEN an ES module required as CommonJS THEN Node loads it as it would without the cache', () => {
    const root = tempDir('code-cache-esm');
    writeFileSync(join(root, 'package.json'), '{}');
    writeFileSync(join(root, 'esm.js'), 'export const answer = 42;\n');
    expect(harness(root, join(root, 'cache'), join(root, 'esm.js'), 'm.answer')()).toBe('42');
  });
});
