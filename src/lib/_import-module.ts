/**
 * Key of the loader a bundled build installs (scripts/_bundle.mjs): it carries the modules the
 * stacks import from their folders at run time (component declarations, environment files).
 */
export const MODULE_LOADER = Symbol.for('synth.module-loader');

type ModuleLoader = (url: string) => Promise<unknown>;

/**
 * Imports a module by file URL. In a bundle, the bundle's own copy of it: a component must build
 * with the bundle's library classes, not with a second copy of the library loaded from source.
 * Anywhere else (tsx, vitest), the module itself.
 */
export function importModule(url: string): Promise<unknown> {
  const loader = (globalThis as { [MODULE_LOADER]?: ModuleLoader })[MODULE_LOADER];
  return loader ? loader(url) : import(url);
}
