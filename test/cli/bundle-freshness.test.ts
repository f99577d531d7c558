import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleCacheOf, PROJECT_ROOT, recordedBuild, tempDir } from '../_helpers.ts';

/*
 * `npm run synth` runs a bundle of the CLI built from the sources (scripts/_bundle.mjs). A bundle
 * built before a source changed is never used: in a copy of the project, a change to a source
 * file (or a new component file) shows in the next synth. The CommonJS pack of the packages and
 * bindings is rebuilt when one of its inputs changes, and only then.
 */

type Obj = { kind: string; spec?: { metrics?: { resource?: { target?: { averageUtilization?: number } } }[] } };

describe('Bundled CLI | freshness', () => {
  const copy = tempDir('bundle-fresh');
  const component = join(copy, 'src/stacks/crumpet/components/web.ts');
  const synth = (): { status: number | null; stderr: string; cpuTarget: number | undefined } => {
    const out = tempDir('bundle-fresh-out');
    const run = spawnSync(process.execPath, ['scripts/cli.mjs', 'synth', '--out', out, '--stack', 'crumpet', '--env', 'staging'], { cwd: copy, encoding: 'utf8' });
    const web = run.status === 0 ? (yaml.loadAll(readFileSync(join(out, 'dist/staging/web.k8s.yaml'), 'utf8')) as Obj[]) : [];
    return { status: run.status, stderr: run.stderr, cpuTarget: web.find((o) => o.kind === 'HorizontalPodAutoscaler')?.spec?.metrics?.[0]?.resource?.target?.averageUtilization };
  };
  let before: ReturnType<typeof synth>;

  beforeAll(() => {
    for (const d of ['src', 'imports', 'scripts']) cpSync(join(PROJECT_ROOT, d), join(copy, d), { recursive: true });
    for (const f of ['package.json', 'tsconfig.json']) cpSync(join(PROJECT_ROOT, f), join(copy, f));
    symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(copy, 'node_modules'));
    before = synth();
  }, 120_000);

  it('GIVEN a copy of the project WHEN it synthesizes THEN the web autoscaler targets the declared CPU utilisation', () => {
    expect(before.status, before.stderr).toBe(0);
    expect(String(before.cpuTarget)).toBe(/WEB_CPU_TARGET = (\d+);/.exec(readFileSync(component, 'utf8'))?.[1]);
  });

  it('GIVEN a bundle built WHEN a source file changes, keeping its size THEN the next synth renders the change', () => {
    const text = readFileSync(component, 'utf8');
    const declared = /WEB_CPU_TARGET = (\d\d);/.exec(text);
    expect(declared, 'web.ts declares a two-digit CPU target').not.toBeNull();
    const changed = Number(declared![1]) === 99 ? 98 : Number(declared![1]) + 1;
    const built = recordedBuild(copy);
    writeFileSync(component, text.replace(declared![0], `WEB_CPU_TARGET = ${changed};`));
    const after = synth();
    expect(after.status, after.stderr).toBe(0);
    expect(after.cpuTarget).toBe(changed);
    // A new bundle, with the pack of the build before: none of its inputs changed.
    expect(recordedBuild(copy).bundle).not.toBe(built.bundle);
    expect(recordedBuild(copy).pack).toBe(built.pack);
  }, 120_000);

  it('GIVEN a bundle built WHEN a binding of imports/ changes THEN the next synth builds a new pack holding it', () => {
    const binding = join(copy, 'imports/certificates-cert-manager.io.ts');
    const built = recordedBuild(copy);
    const probe = `pack-probe-${Date.now()}`;
    writeFileSync(binding, `${readFileSync(binding, 'utf8')}\nexport const packProbe = '${probe}';\n`);
    const run = synth();
    expect(run.status, run.stderr).toBe(0);
    const rebuilt = recordedBuild(copy);
    expect(rebuilt.pack).not.toBe(built.pack);
    expect(readFileSync(rebuilt.pack, 'utf8')).toContain(probe);
    expect(readFileSync(built.pack, 'utf8')).not.toContain(probe);
  }, 120_000);

  it('GIVEN a bundle built WHEN a component file is added to the stack THEN the next synth loads it', () => {
    cpSync(join(PROJECT_ROOT, 'test/stacks/crumpet/fixtures/search-api.ts'), join(copy, 'src/stacks/crumpet/components/search-api.ts'));
    const run = synth();
    // The new component's settings are required of every environment: its absence is reported.
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/searchApi/);
  }, 120_000);

  it("GIVEN a copy of the project removed WHEN another copy builds its bundle THEN the removed copy's cache is removed, a living root's kept, and its shared code cache kept but for what is two weeks old", () => {
    expect(existsSync(bundleCacheOf(copy)), 'the copy has a cache folder of its own').toBe(true);
    // A copy built and then deleted leaves the cache its build wrote: the copy's, naming the gone root.
    const gone = tempDir('bundle-gone');
    rmSync(gone, { recursive: true });
    cpSync(bundleCacheOf(copy), bundleCacheOf(gone), { recursive: true });
    const manifest = join(bundleCacheOf(gone), 'manifest.json');
    writeFileSync(manifest, JSON.stringify({ ...(JSON.parse(readFileSync(manifest, 'utf8')) as object), root: `${gone}/` }));
    // The shared code cache, untouched for an hour, holds a cache written two weeks ago and one written today.
    const codeCache = join(bundleCacheOf(copy), 'code-cache');
    const stale = join(codeCache, 'written-15-days-ago.bin');
    const recent = join(codeCache, 'written-today.bin');
    writeFileSync(stale, '');
    writeFileSync(recent, '');
    const daysAgo = (days: number): Date => new Date(Date.now() - days * 24 * 3_600_000);
    utimesSync(stale, daysAgo(15), daysAgo(15));
    utimesSync(codeCache, daysAgo(1 / 24), daysAgo(1 / 24));
    // The component the test above added is removed again: the next synth builds again.
    rmSync(join(copy, 'src/stacks/crumpet/components/search-api.ts'));
    expect(synth().status).toBe(0);
    expect(existsSync(bundleCacheOf(gone)), 'the removed copy keeps no cache').toBe(false);
    expect(existsSync(bundleCacheOf(copy))).toBe(true);
    // The build keeps the shared code cache but for what was written over two weeks ago.
    expect([existsSync(recent), existsSync(stale)]).toEqual([true, false]);
  }, 120_000);
});
