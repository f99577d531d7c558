import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { RACY_MS } from './_code-cache.mjs';

/*
 * The bundled CLI: src/cli/index.ts and everything it loads, built by esbuild, so that a run
 * loads two files instead of some 700 through tsx's loader. Plain JavaScript, because it runs
 * before anything is compiled.
 *
 * The bundle (`cli.mjs`) is an ES module of the project's own sources, whose top-level await
 * only an ES module allows. With it, the CommonJS pack (`cjs-pack.cjs`) holds every package the
 * sources import (cdk8s, constructs, js-yaml...) and the generated cdk8s bindings of imports/,
 * which the bundle takes from the pack, and the modules the sources require at run time
 * (src/lib/_require-module.ts lists them as the bundle loads), with all these require. Node 20
 * keeps no code cache for an ES module, but scripts/_code-cache.mjs does for a CommonJS one:
 * package code runs compiled from V8's cache instead of being parsed and compiled again on every
 * run, and a run reads one file where it would resolve, read and compile some 300.
 *
 * The bundle lives under node_modules/.cache/ (never committed) and is rebuilt whenever any file
 * it was built from changes: the build records every input as esbuild read it (size, mtime and
 * sha256 of the bytes it was given), and each run stats every input again, hashing the content
 * of any whose size or mtime moved, or whose mtime was too close to the build to be trusted (a
 * write within the file system's timestamp granularity would otherwise go unseen, the "racy
 * git" case). A new or removed module in a folder the stacks load at run time also rebuilds.
 * The pack, which changes only with the packages and the bindings, keeps its own folder and record:
 * a build from an edited source reuses it, and the code cache beside it.
 */

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = join(ROOT, 'src/cli/index.ts');
/** Folders whose modules the stacks import by listing the folder at run time. */
const STACK_FOLDERS = ['components', 'environments'];
const FORMAT = 3;
/** The pack's file name, and that of the record of its inputs beside it. */
const PACK = 'cjs-pack.cjs';
const PACK_RECORD = 'pack.json';
/** Loaded at run time from node_modules, never bundled: the TypeScript loader and the bundler. */
const EXTERNAL = ['tsx', 'tsx/*', 'esbuild'];

/** One cache folder per project root: node_modules may be shared between checkouts. */
export const CACHE = join(ROOT, 'node_modules/.cache/crumpet-cli', createHash('sha256').update(ROOT).digest('hex').slice(0, 16));
const MANIFEST = join(CACHE, 'manifest.json');

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** The `.ts` modules of every stack's run-time folders, sorted by path. */
function runtimeModules() {
  const stacks = join(ROOT, 'src/stacks');
  const folders = readdirSync(stacks, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => STACK_FOLDERS.map((f) => join(stacks, e.name, f)))
    .filter((dir) => {
      try {
        return statSync(dir).isDirectory();
      } catch {
        return false;
      }
    })
    .sort();
  return folders.map((dir) => ({ dir, names: readdirSync(dir).filter((n) => n.endsWith('.ts')).sort() }));
}

/**
 * The bundle's first module: installs the loader that hands the stacks the bundle's own copy of
 * a module they import by URL (src/lib/_import-module.ts). A module the bundle does not carry
 * (an environment file from --env-dir) is imported through tsx, registered on first need.
 */
function loaderModule(listings) {
  const entries = listings.flatMap(({ dir, names }) =>
    names.map((n) => `  [${JSON.stringify(pathToFileURL(join(dir, n)).href)}, () => import(${JSON.stringify(join(dir, n))})],`),
  );
  return [
    `import { MODULE_LOADER } from ${JSON.stringify(join(ROOT, 'src/lib/_import-module.ts'))};`,
    `const bundled = new Map([\n${entries.join('\n')}\n]);`,
    'let tsx;',
    'globalThis[MODULE_LOADER] = async (url) => {',
    '  const own = bundled.get(url);',
    '  if (own) return own();',
    "  tsx ??= Promise.all([import('tsx/esm/api').then((api) => api.register()), import('tsx/cjs/api').then((api) => api.register())]);",
    '  await tsx;',
    '  const module = await import(url);',
    "  // A file tsx compiled as CommonJS: its exports object, ES-module flag and all, is the default.",
    '  return module.default?.__esModule ? module.default : module;',
    '};',
  ].join('\n');
}

const LOADERS = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.json': 'json' };

/**
 * The source esbuild is given for a file: its bytes, with `import.meta.url` (and its dirname and
 * filename) written as the file's own location and, in CommonJS, `__dirname` and `__filename`
 * declared, so that every path a module computes from where it lives is the path it had unbundled.
 */
function sourceOf(path, bytes) {
  let text = bytes.toString('utf8');
  if (text.includes('import.meta')) {
    text = text
      .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(path).href))
      .replaceAll('import.meta.dirname', JSON.stringify(dirname(path)))
      .replaceAll('import.meta.filename', JSON.stringify(path));
  }
  if (/\b__(dirname|filename)\b/.test(text) && !/\.(m?ts|mjs|json)$/.test(path)) {
    text = `var __dirname = ${JSON.stringify(dirname(path))}, __filename = ${JSON.stringify(path)};\n${text}`;
  }
  return text;
}

/** Where the bundle finds the pack's loader (src/lib/_require-module.ts `CJS_PACK`). */
const PACK_KEY = Symbol.for('synth.cjs-pack');
/** `require` from the project's node_modules, as the build process loads a package. */
const fromNodeModules = createRequire(join(ROOT, 'package.json'));
/** The folder of the generated cdk8s bindings. */
const IMPORTS = join(ROOT, 'imports');

/** Words an exported binding cannot be named by `export const`. */
const RESERVED = new Set(
  'await break case catch class const continue debugger default delete do else enum export extends false finally for function if implements import in instanceof interface let new null package private protected public return static super switch this throw true try typeof var void while with yield'.split(' '),
);

/**
 * Takes every package the bundle imports from the pack: the import becomes a module exporting
 * what the pack gives for the specifier, as the default export and by name (each export of the
 * module as this build process loads it, so that the bundle refers to them directly rather than
 * through esbuild's CommonJS interop, which copies every export into a getter for each importing
 * module), and the specifier is added to `packages`, which the pack then carries.
 */
function packagesPlugin(packages) {
  return {
    name: 'packages-from-pack',
    setup(build) {
      build.onResolve({ filter: /^(@[^/]+\/)?[^./@][^/]*/ }, (args) => {
        if (args.path.includes(':') || isBuiltin(args.path) || EXTERNAL.some((e) => (e.endsWith('/*') ? args.path.startsWith(e.slice(0, -1)) : args.path === e))) return undefined;
        packages.add(args.path);
        return { path: args.path, namespace: 'cjs-pack' };
      });
      // The generated cdk8s bindings of imports/ too: package-like code, with no top-level await.
      build.onResolve({ filter: /(^|\/)imports\/[^/]+\.ts$/ }, (args) => {
        const path = resolve(args.resolveDir, args.path);
        if (dirname(path) !== IMPORTS) return undefined;
        packages.add(path);
        return { path, namespace: 'cjs-pack' };
      });
      build.onLoad({ filter: /.*/, namespace: 'cjs-pack' }, (args) => {
        const names = Object.keys(fromNodeModules(args.path)).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k) && !RESERVED.has(k));
        return {
          contents: [
            `const m = globalThis[Symbol.for(${JSON.stringify(PACK_KEY.description)})](${JSON.stringify(args.path)});`,
            'export default m;',
            ...(names.length > 0 ? [`export const { ${names.join(', ')} } = m;`] : []),
          ].join('\n'),
          loader: 'js',
        };
      });
    },
  };
}

/**
 * Reads `path` into `inputs` as a build records it: its size, its mtime (stat before the read;
 * null when too recent to trust) and the sha256 of the bytes read. Returns the bytes.
 */
function recordInput(inputs, path) {
  const before = statSync(path);
  const bytes = readFileSync(path);
  inputs.set(path, [bytes.length, before.mtimeMs < Date.now() - RACY_MS ? before.mtimeMs : null, sha256(bytes)]);
  return bytes;
}

/** The records of `inputs` as the manifest and the pack's record keep them: `[path, size, mtime or null, sha256]`, sorted. */
const recordsOf = (inputs) => [...inputs].map(([path, record]) => [path, ...record]).sort();

/** Records every file esbuild reads, as it reads it. */
function recordingPlugin(inputs, listings) {
  return {
    name: 'record-inputs',
    setup(build) {
      build.onResolve({ filter: /^crumpet:module-loader$/ }, () => ({ path: 'module-loader', namespace: 'crumpet' }));
      build.onLoad({ filter: /.*/, namespace: 'crumpet' }, () => ({ contents: loaderModule(listings), resolveDir: ROOT, loader: 'js' }));
      build.onLoad({ filter: /.*/, namespace: 'file' }, (args) => {
        const bytes = recordInput(inputs, args.path);
        return { contents: sourceOf(args.path, bytes), loader: LOADERS[extname(args.path)] ?? 'js' };
      });
    },
  };
}

/** esbuild, found through tsx (a dependency) so that it is there after `npm ci --omit=dev` too. */
function esbuild() {
  const fromTsx = createRequire(createRequire(import.meta.url).resolve('tsx/package.json'));
  return fromTsx('esbuild');
}

/** Builds the bundle into a folder of its own and records its inputs and its pack's; returns both files. */
export async function buildBundle() {
  const listings = runtimeModules();
  const inputs = new Map();
  const outdir = join(CACHE, `build-${Date.now()}-${process.pid}`);
  const { build } = esbuild();
  const packages = new Set();
  // The bindings of imports/ are TypeScript: required through tsx while the build learns their exports.
  const unregister = (await import('tsx/cjs/api')).register();
  let pack;
  try {
    await build({
      stdin: {
        contents: [
          "import 'crumpet:module-loader';",
          `export { runCheck, runDiff, runSynth } from ${JSON.stringify(ENTRY)};`,
          `export { packedModules } from ${JSON.stringify(join(ROOT, 'src/lib/_require-module.ts'))};`,
        ].join('\n'),
        resolveDir: ROOT,
        sourcefile: 'cli-entry.js',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: join(outdir, 'cli.mjs'),
      sourcemap: true,
      // ASCII only, so that V8 keeps the text as one-byte (see the pack's build below).
      charset: 'ascii',
      external: EXTERNAL,
      // Bundled CommonJS modules reach Node's built-ins through `require`.
      banner: { js: "import { createRequire as __bundleRequire } from 'node:module';\nconst require = __bundleRequire(import.meta.url);" },
      logLevel: 'silent',
      plugins: [packagesPlugin(packages), recordingPlugin(inputs, listings)],
    });
    pack = await packOf(outdir, packages, listings);
  } finally {
    unregister();
  }
  for (const self of [fileURLToPath(import.meta.url), join(ROOT, 'tsconfig.json'), join(ROOT, 'package.json')]) recordInput(inputs, self);
  const manifest = {
    format: FORMAT,
    node: process.version,
    root: ROOT,
    bundle: relative(CACHE, join(outdir, 'cli.mjs')),
    pack: relative(CACHE, join(pack.dir, PACK)),
    inputs: [...recordsOf(inputs), ...pack.inputs].sort(),
    listings,
  };
  const temp = `${MANIFEST}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(manifest));
  renameSync(temp, MANIFEST);
  removeOldBuilds([outdir, pack.dir]);
  pruneCodeCache();
  removeOrphanCaches();
  return { bundle: join(outdir, 'cli.mjs'), pack: join(pack.dir, PACK) };
}

/**
 * The CommonJS pack of `outdir`'s bundle: `packages` (what the bundle imports) and the modules its
 * sources require at run time, which loading the bundle lists (its imports come from
 * node_modules meanwhile), bundled as one CommonJS module whose export gives each one's
 * `module.exports` by its specifier, evaluating it on first request. The project's own files
 * (absolute paths: the generated validators) stay apart: each loads faster from a code cache of
 * its own.
 *
 * The pack lives in a folder of its own with the record of its inputs, and a build whose pack
 * would hold the same modules from the same bytes takes the current build's pack, and the code
 * cache beside it: an edit to the project's sources rebuilds the bundle alone. Returns the
 * pack's folder and its input records.
 */
async function packOf(outdir, packages, listings) {
  globalThis[PACK_KEY] ??= (specifier) => fromNodeModules(specifier);
  const { packedModules } = await import(pathToFileURL(join(outdir, 'cli.mjs')).href);
  const specifiers = [...new Set([...packages, ...packedModules().filter((s) => !isAbsolute(s))])].sort();
  const current = currentPack(specifiers);
  if (current) return current;
  const dir = join(CACHE, `pack-${Date.now()}-${process.pid}`);
  const inputs = new Map();
  const thunks = specifiers.map((s) => `  ${JSON.stringify(s)}: () => require(${JSON.stringify(s)}),`);
  await esbuild().build({
    stdin: {
      contents: `const modules = {\n${thunks.join('\n')}\n};\nmodule.exports = (specifier) => (modules[specifier] ?? (() => require(specifier)))();\n`,
      resolveDir: ROOT,
      sourcefile: 'cjs-pack-entry.js',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: join(dir, PACK),
    sourcemap: true,
    // No comments nor indentation: a smaller text to read, hash and keep, and an ASCII one (a
    // comment's curly quote would make V8 keep all of it as two-byte text). Names stay, and the
    // source map maps every line back.
    minifyWhitespace: true,
    legalComments: 'none',
    charset: 'ascii',
    logLevel: 'silent',
    plugins: [recordingPlugin(inputs, listings)],
  });
  const record = { format: FORMAT, node: process.version, specifiers, inputs: recordsOf(inputs) };
  writeFileSync(join(dir, PACK_RECORD), JSON.stringify(record));
  return { dir, inputs: record.inputs };
}

/** The current build's pack when it holds `specifiers` from files that still have the bytes it was built from, else undefined. */
function currentPack(specifiers) {
  let dir;
  let record;
  try {
    dir = dirname(join(CACHE, JSON.parse(readFileSync(MANIFEST, 'utf8')).pack));
    record = JSON.parse(readFileSync(join(dir, PACK_RECORD), 'utf8'));
    statSync(join(dir, PACK));
  } catch {
    return undefined;
  }
  if (record.format !== FORMAT || record.node !== process.version || JSON.stringify(record.specifiers) !== JSON.stringify(specifiers)) return undefined;
  return unchangedInputs(record.inputs) ? { dir, inputs: record.inputs } : undefined;
}

/**
 * Removes the cache folders of project roots that no longer exist (copies of the project the
 * tests make and delete, whose node_modules is this one): each would otherwise keep its bundle
 * and code cache, some 20 MB, for good. A folder whose manifest names no root is left until it
 * is old enough that no build is still writing it.
 */
function removeOrphanCaches() {
  const all = dirname(CACHE);
  for (const e of readdirSync(all, { withFileTypes: true })) {
    const path = join(all, e.name);
    if (!e.isDirectory() || path === CACHE) continue;
    let root;
    try {
      root = JSON.parse(readFileSync(join(path, 'manifest.json'), 'utf8')).root;
    } catch {
      root = undefined;
    }
    try {
      const orphan = typeof root === 'string' ? !existsSync(root) : statSync(path).mtimeMs < Date.now() - 10 * 60_000;
      if (orphan) rmSync(path, { recursive: true, force: true });
    } catch {
      // Removed meanwhile by another run's build.
    }
  }
}

/** Removes the builds and packs before these, once old enough that no run still starts from them. */
function removeOldBuilds(current) {
  for (const e of readdirSync(CACHE, { withFileTypes: true })) {
    const path = join(CACHE, e.name);
    if (!e.isDirectory() || !/^(build|pack)-/.test(e.name) || current.includes(path)) continue;
    if (statSync(path).mtimeMs < Date.now() - 10 * 60_000) rmSync(path, { recursive: true, force: true });
  }
}

/**
 * Removes the shared code caches (scripts/_code-cache.mjs) written over two weeks ago: those of
 * sources that changed since, whose keys no run meets again. One still in use is written again
 * by its next run, at the cost of one compile.
 */
function pruneCodeCache() {
  const dir = join(CACHE, 'code-cache');
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    try {
      if (statSync(join(dir, name)).mtimeMs < Date.now() - 14 * 24 * 3600_000) rmSync(join(dir, name), { force: true });
    } catch {
      // Removed meanwhile by another run's build.
    }
  }
}

/** Whether every file of `inputs` (path, size, mtime or null, sha256) still has the bytes it was recorded with. */
function unchangedInputs(inputs) {
  for (const [path, size, mtimeMs, hash] of inputs) {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return false;
    }
    if (stat.size !== size) return false;
    if (mtimeMs !== null && stat.mtimeMs === mtimeMs) continue;
    if (sha256(readFileSync(path)) !== hash) return false;
  }
  return true;
}

/** Whether every input of the manifest's build still has the bytes the bundle was built from. */
function unchanged(manifest) {
  if (manifest.format !== FORMAT || manifest.node !== process.version) return false;
  if (!unchangedInputs(manifest.inputs)) return false;
  const now = runtimeModules();
  return JSON.stringify(now) === JSON.stringify(manifest.listings);
}

/** The recorded bundle and its pack when nothing they were built from has changed since, else undefined. */
export function currentBundle() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
  } catch {
    return undefined;
  }
  if (!unchanged(manifest)) return undefined;
  const build = { bundle: join(CACHE, manifest.bundle), pack: join(CACHE, manifest.pack) };
  try {
    statSync(build.bundle);
    statSync(build.pack);
  } catch {
    return undefined;
  }
  return build;
}

/** Makes `build`'s pack the one its bundle's imports and run-time requires come from, required on first use. */
export function installPack(build) {
  let pack;
  globalThis[PACK_KEY] = (specifier) => (pack ??= fromNodeModules(build.pack))(specifier);
}

/** A bundle built from the sources as they are now, and its pack: the recorded ones, or a new build. */
export async function freshBundle() {
  const current = currentBundle();
  if (current) return current;
  mkdirSync(CACHE, { recursive: true });
  return buildBundle();
}
