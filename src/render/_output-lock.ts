import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import type { CheckedFs } from './_output-fs.ts';
import { displayPath, ioError, OutputError } from './output-error.ts';

/** The lock file in the output root; its presence means a run owns the root. */
export const LOCK_FILE = '.synth.lock';

/** Who holds a lock, as written in the lock file. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** ISO time the run took the lock. */
  readonly started: string;
  /** The command line of the run, for the message another run prints. */
  readonly command: string;
  /** Tells this lock from a later one of the same pid. */
  readonly token: string;
}

/** Whether a process of this host is alive; EPERM means it is, under another user. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const h = JSON.parse(text) as Partial<LockHolder>;
    return typeof h.pid === 'number' && typeof h.host === 'string' && typeof h.token === 'string' ? (h as LockHolder) : undefined;
  } catch {
    return undefined;
  }
}

/** Options of {@link OutputLock.acquire}. */
export interface LockOptions {
  /** @default - `process.kill(pid, 0)` */
  readonly isAlive?: (pid: number) => boolean;
  /** @default - process.argv */
  readonly command?: string;
}

/**
 * An exclusive lock on an output root: a file created with one atomic `link(2)` of a complete
 * temporary file, so no reader ever sees it half-written. A lock whose process is dead (same
 * host) is stale and taken over; any other lock stops the run at once, naming its holder.
 */
export class OutputLock {
  private released = false;

  private constructor(
    private readonly fs: CheckedFs,
    public readonly path: string,
    public readonly holder: LockHolder,
  ) {}

  /** Reads the holder of the lock in `root`: undefined when free, 'unreadable' when garbled. */
  public static holderOf(fs: CheckedFs, root: string): LockHolder | 'unreadable' | undefined {
    const path = join(root, LOCK_FILE);
    let text: string;
    try {
      text = fs.raw.readFile(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    return parseHolder(text) ?? 'unreadable';
  }

  /** Whether a holder read from a lock file is a dead process of this host. */
  public static isStale(holder: LockHolder | 'unreadable' | undefined, isAlive: (pid: number) => boolean): boolean {
    return typeof holder === 'object' && holder.host === hostname() && !isAlive(holder.pid);
  }

  public static describe(holder: LockHolder | 'unreadable'): string {
    return holder === 'unreadable'
      ? 'a run whose lock file cannot be read'
      : `synth pid ${holder.pid} on ${holder.host} since ${holder.started} (${holder.command})`;
  }

  public static acquire(fs: CheckedFs, root: string, options: LockOptions = {}): OutputLock {
    const isAlive = options.isAlive ?? processAlive;
    const path = join(root, LOCK_FILE);
    const me: LockHolder = {
      pid: process.pid,
      host: hostname(),
      started: new Date().toISOString(),
      command: options.command ?? process.argv.slice(1).join(' '),
      token: randomBytes(8).toString('hex'),
    };
    const tmp = `${path}.${process.pid}-${me.token}`;
    fs.writeFile(tmp, `${JSON.stringify(me)}\n`);
    try {
      // Twice at most: once more after taking over a stale lock.
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          fs.raw.link(tmp, path);
          return new OutputLock(fs, path, me);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        }
        const holder = OutputLock.holderOf(fs, root);
        if (holder === undefined) continue;
        if (!OutputLock.isStale(holder, isAlive) || !OutputLock.takeOver(fs, path, holder as LockHolder)) {
          throw new OutputError(
            `output root ${displayPath(root)} is locked by ${OutputLock.describe(holder)}: wait for it to finish, ` +
              `or delete ${displayPath(path)} if that run is gone`,
          );
        }
      }
      throw new OutputError(`output root ${displayPath(root)}: the lock keeps changing hands; try again`);
    } catch (err) {
      throw err instanceof OutputError ? err : ioError(`lock ${displayPath(root)}`, err);
    } finally {
      // Best effort: a leftover is removed by the next run's recovery.
      try {
        fs.raw.unlink(tmp);
      } catch {
        /* left for recovery */
      }
    }
  }

  /**
   * Moves a stale lock aside; when what was moved is not the stale lock after all (another run
   * took it over in between), puts it back and reports failure.
   */
  private static takeOver(fs: CheckedFs, path: string, stale: LockHolder): boolean {
    const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      fs.raw.rename(path, aside);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
      throw err;
    }
    const moved = parseHolder(fs.raw.readFile(aside));
    if (moved?.token === stale.token) {
      fs.raw.unlink(aside);
      return true;
    }
    try {
      fs.raw.link(aside, path);
    } finally {
      fs.raw.unlink(aside);
    }
    return false;
  }

  /** Releases the lock if this run still holds it; idempotent. */
  public release(): void {
    if (this.released) return;
    this.released = true;
    const holder = OutputLock.holderOf(this.fs, dirname(this.path));
    if (typeof holder === 'object' && holder.token === this.holder.token) this.fs.unlink(this.path);
  }
}
