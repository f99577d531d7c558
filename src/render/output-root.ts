import { join } from 'node:path';
import { CheckedFs, NODE_FS, type OutputFs } from './_output-fs.ts';
import { LOCK_FILE, OutputLock, processAlive } from './_output-lock.ts';
import { interruptedSwitches, isStagingName, rollBack, switchOutputs } from './_output-transaction.ts';
import { displayPath, OutputError } from './output-error.ts';

/** What one synth produces: file contents, and the paths it owns outright. */
export interface OutputSet {
  /** File contents by path relative to the output root. */
  readonly files: ReadonlyMap<string, string>;
  /**
   * Paths (relative to the root, folders or single files) that the synth replaces whole: files
   * in them that it no longer produces disappear. Every file must lie in one of them; none may
   * lie in another.
   */
  readonly owned: readonly string[];
}

/**
 * The file in each top-level folder a synth owns that says a synth wrote it: a folder without it
 * that holds anything is someone else's, and the synth refuses to replace it.
 */
export const OUTPUT_MARKER = '.synth-output';
const MARKER_TEXT = 'Written by `npm run synth`, which replaces this folder whole at every run: change the model, not these files.\n';

const topFolder = (path: string): string => path.split('/')[0]!;

/** `output` with the marker file of every top-level folder it writes to. */
export function withMarkers(output: OutputSet): OutputSet {
  const files = new Map(output.files);
  const owned = [...output.owned];
  for (const top of new Set(output.owned.map(topFolder))) {
    const marker = `${top}/${OUTPUT_MARKER}`;
    files.set(marker, MARKER_TEXT);
    if (!owned.includes(top) && !owned.includes(marker)) owned.push(marker);
  }
  return { files, owned };
}

/** Programming errors in an output set: they would lose or mix output if written. */
function checkOutputSet(output: OutputSet): void {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const p of output.owned) {
    const segments = p.split('/');
    if (p.startsWith('/') || segments.some((s) => s === '' || s === '.' || s === '..') || isStagingName(p) || p.startsWith(LOCK_FILE)) {
      problems.push(`owned path "${p}" must be a plain relative path`);
    }
    if (seen.has(p)) problems.push(`owned path "${p}" is listed twice`);
    seen.add(p);
  }
  for (const a of output.owned) {
    for (const b of output.owned) if (a !== b && b.startsWith(`${a}/`)) problems.push(`owned path "${b}" lies inside owned path "${a}"`);
  }
  for (const file of output.files.keys()) {
    if (!output.owned.some((o) => file === o || file.startsWith(`${o}/`))) {
      problems.push(`output ${file} lies outside the paths this synth owns (${output.owned.join(', ')})`);
    }
  }
  if (problems.length > 0) throw new Error(`invalid output set: ${problems.join('; ')}`);
}

/** Options of {@link OutputRoot.open}. */
export interface OutputRootOptions {
  /** The file system; tests inject failures through it. @default - node:fs */
  readonly fs?: OutputFs;
  /** Whether a process of this host is alive, to tell stale locks. @default - `process.kill(pid, 0)` */
  readonly isAlive?: (pid: number) => boolean;
}

/** What stands in the way of reading a root: a run holding it, or a switch a dead run left. */
export interface RootState {
  /** The run holding the lock, described. */
  readonly busy?: string;
  /** Staging folders of interrupted switches. */
  readonly interrupted: readonly string[];
}

/**
 * An output root opened for writing: locked for this run alone, with whatever a dead run left
 * (a half-done switch, staging folders, lock leftovers) undone first. {@link write} replaces the
 * owned paths all together or not at all; {@link close} releases the lock.
 */
export class OutputRoot {
  private constructor(
    private readonly fs: CheckedFs,
    public readonly path: string,
    private readonly lock: OutputLock,
  ) {}

  /**
   * Creates the root if needed, takes its lock (failing at once, naming the holder, when another
   * run has it) and recovers what dead runs left.
   */
  public static open(path: string, options: OutputRootOptions = {}): OutputRoot {
    const fs = new CheckedFs(options.fs ?? NODE_FS);
    const kind = fs.kind(path);
    if (kind !== undefined && kind !== 'directory') throw new OutputError(`output root ${displayPath(path)} is not a directory`);
    fs.mkdirs(path);
    const lock = OutputLock.acquire(fs, path, options.isAlive ? { isAlive: options.isAlive } : {});
    try {
      OutputRoot.recover(fs, path, options.isAlive ?? processAlive);
    } catch (err) {
      lock.release();
      throw err;
    }
    return new OutputRoot(fs, path, lock);
  }

  /** Whether `path` can be read as a finished output (for the drift check, which never writes). */
  public static inspect(path: string, options: OutputRootOptions = {}): RootState {
    const fs = new CheckedFs(options.fs ?? NODE_FS);
    const holder = OutputLock.holderOf(fs, path);
    const live = holder !== undefined && !OutputLock.isStale(holder, options.isAlive ?? processAlive);
    return { ...(live ? { busy: OutputLock.describe(holder) } : {}), interrupted: interruptedSwitches(fs, path) };
  }

  private static recover(fs: CheckedFs, root: string, isAlive: (pid: number) => boolean): void {
    for (const name of fs.readdir(root)) {
      const pid = Number(/^(?:\.synth-(?:tmp-)?|\.synth\.lock\.(?:stale-)?)(\d+)/.exec(name)?.[1]);
      if (Number.isNaN(pid) || (pid !== process.pid && isAlive(pid))) continue;
      if (isStagingName(name) && fs.kind(join(root, name)) === 'directory') rollBack(fs, root, join(root, name));
      else if (name.startsWith(`${LOCK_FILE}.`)) fs.unlink(join(root, name));
    }
  }

  /**
   * Writes `output` (with its folders' markers) and replaces its owned paths, all or nothing.
   * Refuses a top-level folder that holds files but no marker: that is not a synth's output.
   * Returns warnings about cleanup that failed after the new output was in place.
   */
  public write(output: OutputSet): string[] {
    const marked = withMarkers(output);
    checkOutputSet(marked);
    for (const top of new Set(marked.owned.map(topFolder))) {
      const dir = join(this.path, top);
      const kind = this.fs.kind(dir);
      if (kind === undefined) continue;
      if (kind !== 'directory') throw new OutputError(`output root ${displayPath(this.path)}: ${top} is not a directory; refusing to replace it`);
      const entries = this.fs.readdir(dir);
      if (entries.length > 0 && !entries.includes(OUTPUT_MARKER)) {
        throw new OutputError(
          `output root ${displayPath(this.path)}: ${top}/ holds files no synth wrote (it has no ${top}/${OUTPUT_MARKER}); ` +
            'refusing to replace them: empty it or choose another --out',
        );
      }
    }
    return switchOutputs(this.fs, this.path, marked.owned, marked.files);
  }

  /** Releases the lock; idempotent. */
  public close(): void {
    this.lock.release();
  }
}
