import { mkdirSync, rmSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** What one synth produces: file contents, and the folders it owns outright. */
export interface OutputSet {
  /** File contents by path relative to the output root. */
  readonly files: ReadonlyMap<string, string>;
  /**
   * Folders (relative to the root) that the synth replaces whole: files in them that it no
   * longer produces disappear. Every file must lie in one of them.
   */
  readonly owned: readonly string[];
}

/**
 * Writes `output` under `root` so that readers never see a half-written tree: everything is
 * written to a staging folder beside the targets first, then each owned folder is swapped in
 * with a rename. Called only after everything validated, so a failed synth never gets here.
 */
export function writeOutputs(root: string, output: OutputSet): void {
  for (const file of output.files.keys()) {
    if (!output.owned.some((o) => file.startsWith(`${o}/`))) {
      throw new Error(`output ${file} lies outside the folders this synth owns (${output.owned.join(', ')})`);
    }
  }
  const staging = join(root, `.synth-tmp-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    for (const [file, content] of output.files) {
      const target = join(staging, 'new', file);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
    for (const [i, folder] of output.owned.entries()) {
      const target = join(root, folder);
      const fresh = join(staging, 'new', folder);
      mkdirSync(fresh, { recursive: true });
      mkdirSync(dirname(target), { recursive: true });
      if (existsSync(target)) renameSync(target, join(staging, `old-${i}`));
      renameSync(fresh, target);
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
