/**
 * Key of the CommonJS pack a bundled build installs (scripts/_bundle.mjs `installPack`): every
 * package the sources import and every module they require at run time through
 * {@link requireLater} (schema validators, the PromQL grammar, RE2), in one file compiled from one
 * code cache, where Node would resolve, read and compile some 300 files one by one.
 */
export const CJS_PACK = Symbol.for('synth.cjs-pack');

/** The pack's entry: the `module.exports` of a listed module, by the specifier it was listed with. */
type CjsPack = (specifier: string) => unknown;

const listed = new Set<string>();

/**
 * A loader of the CommonJS module `specifier` (a package path, or an absolute file path), which
 * requires it on first call: from the pack in a bundle, else through `require` (tsx, vitest).
 * Listing happens when this is called, at module load, so that the bundle builder learns every
 * module to pack by loading the bundle.
 */
export function requireLater<T>(require: (id: string) => unknown, specifier: string): () => T {
  listed.add(specifier);
  let loaded: { value: T } | undefined;
  return () => {
    if (!loaded) {
      const pack = (globalThis as { [CJS_PACK]?: CjsPack })[CJS_PACK];
      loaded = { value: (pack ? pack(specifier) : require(specifier)) as T };
    }
    return loaded.value;
  };
}

/** The specifiers of every loader made so far, sorted: what the bundle's pack holds. */
export function packedModules(): string[] {
  return [...listed].sort();
}
