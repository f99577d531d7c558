import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { writeOutputs } from '../render/index.ts';
import { optionsOrExit, PROCESS_IO, synthesizeOrExit, type Io } from './synth-command.ts';

function listFiles(root: string, folder: string): string[] {
  const dir = join(root, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .map((f) => join(folder, f));
}

/** Files that differ between two output roots within the given folders, sorted. */
export function diffTrees(committed: string, fresh: string, folders: readonly string[]): string[] {
  const diffs: string[] = [];
  for (const folder of folders) {
    const a = new Set(listFiles(committed, folder));
    const b = new Set(listFiles(fresh, folder));
    for (const f of [...new Set([...a, ...b])].sort()) {
      if (!b.has(f)) diffs.push(`stale (synth no longer writes it): ${f}`);
      else if (!a.has(f)) diffs.push(`missing (synth writes it, not committed): ${f}`);
      else if (!readFileSync(join(committed, f)).equals(readFileSync(join(fresh, f)))) diffs.push(`differs: ${f}`);
    }
  }
  return diffs;
}

/**
 * `npm run check`, the GitOps drift gate: synthesizes into a temporary folder and fails, listing
 * the files, when the result differs from the outputs under `--out` (the committed tree).
 */
export async function runCheck(argv: readonly string[], io: Io = PROCESS_IO): Promise<number> {
  const options = optionsOrExit(argv, io);
  if (typeof options === 'number') return options;
  const synthesis = await synthesizeOrExit(options, io);
  if (typeof synthesis === 'number') return synthesis;
  const fresh = mkdtempSync(join(tmpdir(), 'crumpet-check-'));
  try {
    writeOutputs(fresh, synthesis.output);
    const diffs = diffTrees(options.out, fresh, synthesis.output.owned);
    if (diffs.length > 0) {
      io.err(`check: the committed output differs from a fresh synth (run \`npm run synth\` and commit):`);
      for (const d of diffs) io.err(`  ${d}`);
      return 1;
    }
    io.out(`check: ${synthesis.output.files.size} files in ${synthesis.output.owned.map((o) => relative('.', o) || o).join(', ')} match a fresh synth`);
    return 0;
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
}
