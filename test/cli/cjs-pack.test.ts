import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
// The bundle's entry: loading it lists every module its sources require at run time, as in the bundle.
import '../../src/cli/index.ts';
import { packedModules } from '../../src/lib/_require-module.ts';
import { PROJECT_ROOT, recordedBuild, runCli, sharedSynth, tempDir } from '../_helpers.ts';

/*
 * scripts/_bundle.mjs's CommonJS pack: every package the sources import, the bindings of imports/, and the package modules
 * they require at run time (src/lib/_require-module.ts), in one file. A synth as npm runs it must
 * take every one of them, and everything they require, from the pack: a package module compiled
 * from its own file, or bundled into the ES module, means a run that pays again for resolving,
 * reading and compiling it, or for parsing and compiling it without a code cache.
 */

/** The npm package of a file under node_modules/, or undefined. */
const packageOf = (file: string): string | undefined => /\/node_modules\/((?:@[^/]+\/)?[^/.][^/]*)\//.exec(file)?.[1];

describe('bundled CLI | CommonJS pack', () => {
  it('GIVEN a full synth as npm runs it THEN no package module is bundled into the ES module or compiled outside the pack', async () => {
    expect((await sharedSynth()).run.code).toBe(0);
    const dir = tempDir('cjs-pack');
    const hook = join(dir, 'record.mjs');
    const log = join(dir, 'compiled.json');
    // Records the file of every CommonJS module compiled, whatever compiles it (Node, the code cache), and the file that required it.
    writeFileSync(
      hook,
      [
        "import Module from 'node:module';",
        "import { writeFileSync } from 'node:fs';",
        'const compiled = [];',
        "const js = Module._extensions['.js'];",
        "Module._extensions['.js'] = function (module, filename) { compiled.push([filename, module.parent?.filename ?? '']); return js.call(this, module, filename); };",
        `process.on('exit', () => writeFileSync(${JSON.stringify(log)}, JSON.stringify(compiled)));`,
      ].join('\n'),
    );
    const run = await runCli('synth', ['--out', join(dir, 'out')], { NODE_OPTIONS: `--import ${hook}` });
    expect(run.code, run.stderr).toBe(0);
    const compiled = JSON.parse(readFileSync(log, 'utf8')) as [string, string][];
    const pack = compiled.find(([f]) => f.endsWith('/cjs-pack.cjs'))?.[0];
    expect(pack, 'the pack is required').toBeDefined();
    const build = recordedBuild(PROJECT_ROOT);
    expect(pack, 'the pack of the recorded build').toBe(build.pack);

    // Every package the sources list is in the pack (its source map names each file bundled)...
    const inPack = new Set((JSON.parse(readFileSync(`${pack!}.map`, 'utf8')) as { sources: string[] }).sources.map((f) => packageOf(resolve(dirname(pack!), f))).filter((p) => p !== undefined));
    const listed = packedModules().filter((s) => !s.startsWith('/')).map((s) => packageOf(`/node_modules/${s}/`)!);
    expect(listed).toEqual(expect.arrayContaining(['kubernetes-models', '@prometheus-io/lezer-promql', 're2-wasm']));
    for (const p of listed) expect(inPack, p).toContain(p);
    // The bundle holds the project's own sources only: every package it imports comes from the pack...
    const bundleSources = (JSON.parse(readFileSync(`${build.bundle}.map`, 'utf8')) as { sources: string[] }).sources.map((f) => resolve(dirname(build.bundle), f));
    expect(bundleSources.filter((f) => f.includes('/node_modules/') && !f.includes('/node_modules/.cache/'))).toEqual([]);
    expect(bundleSources.filter((f) => f.startsWith(join(PROJECT_ROOT, 'imports/')))).toEqual([]);
    expect([...inPack]).toEqual(expect.arrayContaining(['cdk8s', 'constructs', 'cdk8s-plus-28', 'js-yaml']));
    // ...and no module of a package in the pack is compiled from its own file, but for what the
    // project's own generated validators (imports/schemas/, the model validators' cache) require.
    const projectFile = (f: string): boolean => packageOf(f) === undefined || f.includes('/node_modules/.cache/');
    const outside = compiled.filter(([f, parent]) => f !== pack && inPack.has(packageOf(f) ?? '') && !projectFile(parent)).map(([f]) => f);
    expect(outside, 'package modules compiled outside the pack').toEqual([]);
  });
});
