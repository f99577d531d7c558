import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { CheckedFs } from './_output-fs.ts';
import { displayPath, OutputError } from './output-error.ts';

/*
 * One synth's switch of the output root, as a journaled transaction.
 *
 * 1. Stage: every file is written under `<root>/.synth-<pid>-<hex>/new/`, beside the targets (so
 *    the switch is renames within one file system); a file whose content the root already holds
 *    is hard-linked there instead, so it keeps its inode and mtime (editors, file watchers and
 *    git see only what changed) and costs no write. A failure or a kill here leaves the root
 *    untouched; the staging folder is removed then or by the next run.
 * 2. Journal: `journal.json` lists the owned paths, whether each existed, and the parent folders
 *    the switch creates. It is written whole (temporary file + rename): from here on the root
 *    may be mid-switch, and the journal says how to restore it.
 * 3. Switch: per owned path, the old one is renamed into `old/`, the new one into place.
 * 4. Commit: the journal is removed. That single unlink is the moment the new output counts;
 *    then the staging folder (now holding the old output) is removed.
 *
 * A failure during 3 rolls back at once; a kill during 3 (only SIGKILL or a crash: the switch is
 * synchronous, so no signal handler can run in it) is rolled back by the next run that takes
 * the lock, before it does anything else. Either way the root ends with exactly the old output.
 * Renames protect against a failed or killed process, not against a power cut: git holds the
 * durable copy of what is committed.
 */

/** Prefix of staging folders in the output root. */
export const STAGING_PREFIX = '.synth-';
const JOURNAL = 'journal.json';

interface JournalEntry {
  /** Owned path relative to the root. */
  readonly path: string;
  readonly existed: boolean;
}

interface Journal {
  readonly entries: readonly JournalEntry[];
  /** Parent folders the switch creates, shallowest first. */
  readonly createdDirs: readonly string[];
}

/** A folder of the root whose name is a staging folder's (ours, a dead run's, or the old writer's `.synth-tmp-<pid>`). */
export function isStagingName(name: string): boolean {
  return name.startsWith(STAGING_PREFIX);
}

function ancestors(path: string): string[] {
  const out: string[] = [];
  for (let d = dirname(path); d !== '.'; d = dirname(d)) out.unshift(d);
  return out;
}

/**
 * Writes `files` (paths relative to `root`) and replaces each of the `owned` paths whole, all or
 * nothing. Returns warnings for what failed after the commit (the new output is in place).
 */
export function switchOutputs(fs: CheckedFs, root: string, owned: readonly string[], files: ReadonlyMap<string, string>): string[] {
  const staging = join(root, `${STAGING_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    fs.mkdirs(join(staging, 'new'));
    fs.mkdirs(join(staging, 'old'));
    for (const p of owned) {
      if (!files.has(p)) fs.mkdirs(join(staging, 'new', p));
      fs.mkdirs(dirname(join(staging, 'old', p)));
    }
    const folders = new Set<string>();
    for (const [file, content] of files) {
      const target = join(staging, 'new', file);
      if (!folders.has(dirname(target))) {
        fs.mkdirs(dirname(target));
        folders.add(dirname(target));
      }
      // A file synth leaves as it is keeps its inode and mtime: linked, not written again.
      const current = join(root, file);
      if (!(fs.holds(current, content) && fs.tryLink(current, target))) fs.writeFile(target, content);
    }
    const journal: Journal = {
      entries: owned.map((path) => ({ path, existed: fs.exists(join(root, path)) })),
      createdDirs: [...new Set(owned.flatMap(ancestors))].filter((d) => !fs.exists(join(root, d))),
    };
    fs.writeFile(join(staging, `${JOURNAL}.tmp`), `${JSON.stringify(journal)}\n`);
    fs.rename(join(staging, `${JOURNAL}.tmp`), join(staging, JOURNAL));

    for (const d of journal.createdDirs) fs.mkdirs(join(root, d));
    for (const { path, existed } of journal.entries) {
      if (existed) fs.rename(join(root, path), join(staging, 'old', path));
      fs.rename(join(staging, 'new', path), join(root, path));
    }
    fs.unlink(join(staging, JOURNAL));
  } catch (err) {
    try {
      rollBack(fs, root, staging);
    } catch (undo) {
      throw new OutputError(
        `${(err as Error).message}; restoring the previous output failed too (${(undo as Error).message}): ` +
          `the next synth on ${displayPath(root)} restores it before anything else`,
      );
    }
    throw err;
  }
  try {
    fs.removeTree(staging);
    return [];
  } catch (err) {
    return [`the new output is in place, but ${(err as Error).message}; the next synth removes it`];
  }
}

/**
 * Restores the root as it was before the staging folder's switch began (nothing to do when
 * the switch never began or was committed), then removes the staging folder. Idempotent: a
 * kill during it is finished by the next call.
 */
export function rollBack(fs: CheckedFs, root: string, staging: string): void {
  const journalPath = join(staging, JOURNAL);
  if (fs.exists(journalPath)) {
    const journal = JSON.parse(fs.readFile(journalPath)) as Journal;
    for (const { path, existed } of [...journal.entries].reverse()) {
      const target = join(root, path);
      const fresh = join(staging, 'new', path);
      const old = join(staging, 'old', path);
      if (existed && fs.exists(old)) {
        if (fs.exists(target)) {
          fs.removeTree(fresh);
          fs.rename(target, fresh);
        }
        fs.rename(old, target);
      } else if (!existed && fs.exists(target) && !fs.exists(fresh)) {
        fs.rename(target, fresh);
      }
    }
    for (const d of [...journal.createdDirs].reverse()) {
      const dir = join(root, d);
      if (fs.kind(dir) === 'directory' && fs.readdir(dir).length === 0) fs.rmdir(dir);
    }
    fs.unlink(journalPath);
  }
  fs.removeTree(staging);
}

/** Staging folders in `root` whose switch was interrupted (a journal is present). */
export function interruptedSwitches(fs: CheckedFs, root: string): string[] {
  if (fs.kind(root) !== 'directory') return [];
  return fs
    .readdir(root)
    .filter((name) => isStagingName(name) && fs.exists(join(root, name, JOURNAL)))
    .map((name) => join(root, name));
}
