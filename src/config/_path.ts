/*
 * Field paths as `--set` takes them and messages print them: `components.api.regions[0].name`.
 * A key holding one of `.[]\,=` writes it escaped with a backslash (`secrets.sealed.public-tls.tls\.crt`),
 * so every path a message prints can be given back to `--set`.
 */

/** One step of a path: a map key or a list index. */
export type PathSegment = string | number;

const SPECIAL = /[.[\]\\,=]/g;

/** Formats a path the way `--set` takes it. */
export function formatPath(path: readonly PathSegment[]): string {
  return (
    path.reduce<string>((out, seg) => {
      if (typeof seg === 'number') return `${out}[${seg}]`;
      const key = seg.replace(SPECIAL, (c) => `\\${c}`);
      return out ? `${out}.${key}` : key;
    }, '') || '(root)'
  );
}
