import { relative, isAbsolute } from 'node:path';

/**
 * A problem with the output root: an I/O failure (naming the path and the real errno), a lock
 * held by another run, or a folder the synth does not own. The message is one line.
 */
export class OutputError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'OutputError';
  }
}

/** A path as the user reads it: relative to the working directory when inside it. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/**
 * `cannot rename dist -> .synth-1/old/dist: EBUSY (resource busy or locked)` from a Node
 * system error; any other error keeps its own message.
 */
export function ioError(action: string, err: unknown): OutputError {
  const e = err as NodeJS.ErrnoException;
  if (typeof e?.code !== 'string') return new OutputError(`cannot ${action}: ${e instanceof Error ? e.message : String(err)}`);
  // Node's message is "CODE: description, syscall 'path'"; keep the description only.
  const description = /^[A-Z0-9_]+: ([^,]+)/.exec(e.message)?.[1];
  return new OutputError(`cannot ${action}: ${e.code}${description ? ` (${description})` : ''}`);
}
