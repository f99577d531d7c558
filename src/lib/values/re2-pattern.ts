import { createRequire } from 'node:module';
import { requireLater } from '../_require-module.ts';
import { ValueError } from './value-error.ts';

/** The part of re2-wasm's embind wrapper around `RE2` that is used here. */
interface WrappedRE2 {
  ok(): boolean;
  error(): string;
  capturingGroupNames(): { keys(): { size(): number; get(i: number): number }; get(key: number): string };
  delete(): void;
}

type WrappedRE2Constructor = new (pattern: string, ignoreCase: boolean, multiline: boolean, dotAll: boolean) => WrappedRE2;

/**
 * Google's RE2 compiled to WebAssembly (the npm package re2-wasm), loaded on first use: about
 * 20 ms and 1 MB that a model without a regular expression never pays. Its raw wrapper is used,
 * not its `RE2` class: that class first rewrites JavaScript syntax into RE2 syntax (`\u0041`,
 * `\cA`, `(?<name>`), which would pass patterns Envoy's RE2 refuses.
 */
const re2Module = requireLater<{ WrappedRE2: WrappedRE2Constructor }>(createRequire(import.meta.url), 're2-wasm/build/wasm/re2.js');
const re2 = (): WrappedRE2Constructor => re2Module().WrappedRE2;

/**
 * A regular expression that RE2 compiles, as Envoy's `safe_regex` matchers require (Envoy's only
 * engine): no look-around, no back-references, no possessive quantifiers; `(?P<name>...)` named
 * groups. Envoy also refuses, by default, a pattern whose compiled program is larger than 100
 * (`re2.max_program_size.error_level`); re2-wasm does not expose the program size, so that limit
 * is not checked here.
 * @see https://github.com/google/re2/wiki/Syntax
 */
export class Re2Pattern {
  /** Compiles `text` with RE2; throws a {@link ValueError} carrying RE2's own message. */
  public static parse(text: string): Re2Pattern {
    const compiled = new (re2())(text, false, false, false);
    try {
      if (!compiled.ok()) throw new ValueError(text, 'a regular expression RE2 accepts', [compiled.error()]);
      const groups = compiled.capturingGroupNames();
      const names = Array.from({ length: groups.keys().size() }, (_, i) => groups.get(groups.keys().get(i)));
      const twice = names.find((n, i) => names.indexOf(n) !== i);
      if (twice !== undefined) throw new ValueError(text, 'a regular expression RE2 accepts', [`duplicate capture group name: ${twice}`]);
    } finally {
      compiled.delete();
    }
    return new Re2Pattern(text);
  }

  private constructor(public readonly source: string) {}

  public toString(): string {
    return this.source;
  }
}
