import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
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
 * runs with and without them would otherwise rewrite each other's caches on every run. The cache is written when the
 * process exits, from `script.createCachedData()`, which then also holds the functions the run
 * compiled lazily. Files are written under a temporary name and renamed into place, so a
 * concurrent run reads a whole cache or none; a cache V8 rejects (another Node) is rewritten.
 */

const key = (filename, content) => createHash('sha256').update(process.execArgv.join(' ')).update('\0').update(filename).update('\0').update(content).digest('hex');

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
 * Makes every CommonJS module under `root` compile from (and feed) the code cache in `dir`.
 * Modules elsewhere compile as Node always does.
 */
export function installCodeCache(root, dir) {
  const compile = Module.prototype._compile;
  const fresh = [];
  Module.prototype._compile = function compileWithCache(content, filename) {
    if (!filename.startsWith(root) || !filename.match(/\.c?js$/)) return compile.call(this, content, filename);
    const file = join(dir, `${key(filename, content)}.bin`);
    let cachedData;
    try {
      cachedData = readFileSync(file);
    } catch {
      cachedData = undefined;
    }
    let script;
    try {
      script = new vm.Script(Module.wrap(content), { filename, cachedData });
    } catch {
      // Not a CommonJS script (an ES module Node requires as one): Node's own path decides.
      return compile.call(this, content, filename);
    }
    if (cachedData === undefined || script.cachedDataRejected) fresh.push({ file, script });
    const wrapper = script.runInThisContext({ displayErrors: true });
    return wrapper.call(this.exports, this.exports, requireOf(this), this, filename, dirname(filename));
  };
  process.on('exit', () => {
    if (fresh.length === 0) return;
    try {
      mkdirSync(dir, { recursive: true });
      for (const { file, script } of fresh) {
        const temporary = `${file}.${process.pid}.tmp`;
        writeFileSync(temporary, script.createCachedData());
        renameSync(temporary, file);
      }
    } catch {
      // A cache that cannot be written costs only the compile next time.
    }
  });
}
