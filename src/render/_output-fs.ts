import * as fs from 'node:fs';
import { dirname } from 'node:path';
import { displayPath, ioError } from './output-error.ts';

/**
 * The file-system calls the output root makes, as one interface so tests can make any one of
 * them fail or kill the process (test/render/output-root.test.ts). Each is one system call,
 * or for `removeTree` one `rm -rf`; errors are Node's own (with `code`).
 */
export interface OutputFs {
  mkdir(path: string): void;
  writeFile(path: string, data: string): void;
  rename(from: string, to: string): void;
  /** Hard link: creates `to` atomically, failing with EEXIST when it exists. */
  link(existing: string, to: string): void;
  unlink(path: string): void;
  rmdir(path: string): void;
  removeTree(path: string): void;
  readFile(path: string): string;
  readdir(path: string): string[];
  /** What is at `path` (symbolic links not followed). */
  kind(path: string): 'file' | 'directory' | 'other' | undefined;
}

export const NODE_FS: OutputFs = {
  mkdir: (path) => fs.mkdirSync(path),
  writeFile: (path, data) => fs.writeFileSync(path, data),
  rename: (from, to) => fs.renameSync(from, to),
  link: (existing, to) => fs.linkSync(existing, to),
  unlink: (path) => fs.unlinkSync(path),
  rmdir: (path) => fs.rmdirSync(path),
  removeTree: (path) => fs.rmSync(path, { recursive: true, force: true }),
  readFile: (path) => fs.readFileSync(path, 'utf8'),
  readdir: (path) => fs.readdirSync(path).sort(),
  kind: (path) => {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw err;
    }
    return stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : 'other';
  },
};

/**
 * The same calls, each failure turned into an OutputError naming the action, the path and the
 * real errno (`cannot write dist/prod/web.k8s.yaml: ENOSPC (no space left on device)`).
 */
export class CheckedFs {
  public constructor(public readonly raw: OutputFs) {}

  private run<T>(action: string, call: () => T): T {
    try {
      return call();
    } catch (err) {
      throw ioError(action, err);
    }
  }

  /** `mkdir -p`, one level at a time, so a failure names the level and its real errno. */
  public mkdirs(path: string): void {
    const kind = this.kind(path);
    if (kind === 'directory') return;
    // A parent that exists but is no folder is left to mkdir itself, which reports ENOTDIR.
    const parent = dirname(path);
    if (kind === undefined && parent !== path && this.kind(parent) === undefined) this.mkdirs(parent);
    this.run(`create directory ${displayPath(path)}`, () => {
      try {
        this.raw.mkdir(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || this.raw.kind(path) !== 'directory') throw err;
      }
    });
  }

  public writeFile(path: string, data: string): void {
    this.run(`write ${displayPath(path)}`, () => this.raw.writeFile(path, data));
  }

  public rename(from: string, to: string): void {
    this.run(`rename ${displayPath(from)} -> ${displayPath(to)}`, () => this.raw.rename(from, to));
  }

  public unlink(path: string): void {
    this.run(`remove ${displayPath(path)}`, () => this.raw.unlink(path));
  }

  public rmdir(path: string): void {
    this.run(`remove directory ${displayPath(path)}`, () => this.raw.rmdir(path));
  }

  public removeTree(path: string): void {
    this.run(`remove ${displayPath(path)}`, () => this.raw.removeTree(path));
  }

  public readFile(path: string): string {
    return this.run(`read ${displayPath(path)}`, () => this.raw.readFile(path));
  }

  /** Whether `path` is a regular file holding exactly `content`; one that cannot be read does not. */
  public holds(path: string, content: string): boolean {
    try {
      return this.raw.kind(path) === 'file' && this.raw.readFile(path) === content;
    } catch {
      return false;
    }
  }

  /** Hard-links `existing` as `to`; false when the file system refuses (no hard links there), for the caller to write instead. */
  public tryLink(existing: string, to: string): boolean {
    try {
      this.raw.link(existing, to);
      return true;
    } catch {
      return false;
    }
  }

  public readdir(path: string): string[] {
    return this.run(`list ${displayPath(path)}`, () => this.raw.readdir(path));
  }

  public kind(path: string): ReturnType<OutputFs['kind']> {
    return this.run(`inspect ${displayPath(path)}`, () => this.raw.kind(path));
  }

  /** Whether `path` exists (any kind). */
  public exists(path: string): boolean {
    return this.kind(path) !== undefined;
  }
}
