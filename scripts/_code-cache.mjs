import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname, join } from 'node:path';
import vm from 'node:vm';

/*
 * V8's code cache for the CommonJS modules a run requires (kubernetes-models, the generated
 * validators in imports/schemas/, ajv, the model validators): what Node 22 does with
 * `module.enableCompileCache()`, which Node 20 lacks. Compiling them is a large part of a synth:
 * the 1.3 MB Argo CD Application validator takes about 300 ms to compile and 370 ms more on its
 * first call (V8 compiles functions lazily), and 70 ms from the cache.
 *
 * Each module's cache is keyed by the sha256 of its source text, so an edited file never meets an
 * old cache (V8's own check covers only the source length), and by the process's Node options:
 * V8 rejects a cache made under other flags (`npm run synth` passes `--max-semi-space-size`), so
 * runs with and without them would otherwise rewrite each other's caches on every run. Hashing
 * every source is itself some 25 ms a run (13 MB: the generated validators and the pack), so a
 * module whose file was last changed over 2 s ago is also found by its size, mtime and inode, as
 * git's index and the bundle's freshness check (scripts/_bundle.mjs) trust them; a file changed
 * within that window (a write in the same timestamp tick could keep all three) is found by its
 * hash only. The cache is written when the process exits, from `script.createCachedData()`, which
 * then also holds the functions the run compiled lazily. Files are written under a temporary name
 * and renamed into place, so a concurrent run reads a whole cache or none; a cache V8 rejects
 * (another Node) is rewritten.
 */

/** An mtime this close to now is not trusted to change on the next write (the bundle's inputs are trusted so too). */
export const RACY_MS = 2000;
const OPTIONS = process.execArgv.join(' ');
const sha256 = (...parts) => parts.reduce((h, p) => h.update(p).update('\0'), createHash('sha256')).digest('hex');
const key = (filename, content) => sha256(OPTIONS, filename, content);

/** The key of `filename` by its size, mtime and inode, or undefined while its mtime is too recent to trust. */
function statKey(filename) {
  let stat;
  try {
    stat = statSync(filename);
  } catch {
    return undefined;
  }
  if (stat.mtimeMs > Date.now() - RACY_MS) return undefined;
  return sha256(OPTIONS, filename, `${stat.size} ${stat.mtimeMs} ${stat.ino}`);
}

const read = (file) => {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
};

/** The `require` a module's wrapper receives, as Node builds it (lib/internal/modules/helpers.js). */
function requireOf(module) {
  const require = (id) => module.require(id);
  require.resolve = (request, options) => Module._resolveFilename(request, module, false, options);
  require.resolve.paths = (request) => Module._resolveLookupPaths(request, module);
  require.main = process.mainModule;
  require.extensions = Module._extensions;
  require.cache = Module._cache;
  return require;
}

/**
 * Makes every CommonJS module under `root` compile from (and feed) the code cache in `sharedDir`,
 * but for a module under one of `builds` (folders of built files, each replaced whole by the next
 * build: the bundle's pack), whose cache is kept in `code-cache/` beside it and goes with it.
 * Modules elsewhere compile as Node always does.
 */
export function installCodeCache(root, sharedDir, builds = []) {
  const compile = Module.prototype._compile;
  const fresh = [];
  Module.prototype._compile = function compileWithCache(content, filename) {
    if (!filename.startsWith(root) || !filename.match(/\.c?js$/)) return compile.call(this, content, filename);
    const dir = builds.some((b) => filename.startsWith(`${b}/`)) ? join(dirname(filename), 'code-cache') : sharedDir;
    const byStat = statKey(filename);
    const statFile = byStat === undefined ? undefined : join(dir, `stat-${byStat}.bin`);
    const hashFile = () => join(dir, `${key(filename, content)}.bin`);
    const fromStat = statFile === undefined ? undefined : read(statFile);
    const cachedData = fromStat ?? read(hashFile());
    let script;
    try {
      script = new vm.Script(Module.wrap(content), { filename, cachedData });
    } catch {
      // Not a CommonJS script (an ES module Node requires as one): Node's own path decides.
      return compile.call(this, content, filename);
    }
    // A new or rejected cache is written under both keys; one found by hash gains its stat key.
    if (cachedData === undefined || script.cachedDataRejected) fresh.push({ files: [hashFile(), statFile].filter((f) => f !== undefined), script });
    else if (statFile !== undefined && fromStat === undefined) fresh.push({ files: [statFile], data: cachedData });
    const wrapper = script.runInThisContext({ displayErrors: true });
    return wrapper.call(this.exports, this.exports, requireOf(this), this, filename, dirname(filename));
  };
  process.on('exit', () => {
    if (fresh.length === 0) return;
    try {
      for (const { files, script, data } of fresh) {
        const bytes = data ?? script.createCachedData();
        for (const file of files) {
          mkdirSync(dirname(file), { recursive: true });
          const temporary = `${file}.${process.pid}.tmp`;
          writeFileSync(temporary, bytes);
          renameSync(temporary, file);
        }
      }
    } catch {
      // A cache that cannot be written costs only the compile next time.
    }
  });
}
