import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { displayPath, OutputRoot, withMarkers } from '../render/index.ts';
import { optionsOrExit, PROCESS_IO, reportFailure, synthesize, type Io } from './synth-command.ts';

function listFiles(root: string, owned: string): string[] {
  const path = join(root, owned);
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return [owned];
  return readdirSync(path, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(path, f)).isFile())
    .map((f) => join(owned, f));
}

/** Files that differ between two output roots within the given owned paths, sorted. */
export function diffTrees(committed: string, fresh: string, owned: readonly string[]): string[] {
  const diffs: string[] = [];
  for (const path of owned) {
    const a = new Set(listFiles(committed, path));
    const b = new Set(listFiles(fresh, path));
    for (const f of [...new Set([...a, ...b])].sort()) {
      if (!b.has(f)) diffs.push(`stale (synth no longer writes it): ${f}`);
      else if (!a.has(f)) diffs.push(`missing (synth writes it, not committed): ${f}`);
      else if (!readFileSync(join(committed, f)).equals(readFileSync(join(fresh, f)))) diffs.push(`differs: ${f}`);
    }
  }
  return diffs;
}

/** Why the root cannot be compared now: a synth writing it, or a switch a dead run left. */
function unreadable(root: string): string | undefined {
  const state = OutputRoot.inspect(root);
  if (state.busy) return `${displayPath(root)} is being written by ${state.busy}; run check when it has finished`;
  if (state.interrupted.length > 0) {
    return `${displayPath(root)} holds a switch an interrupted synth left (${state.interrupted.map(displayPath).join(', ')}); run \`npm run synth\`, which restores it first`;
  }
  return undefined;
}

/**
 * `npm run check`, the GitOps drift gate: synthesizes into a temporary folder and fails, listing
 * the files, when the result differs from the outputs under `--out` (the committed tree). It
 * never writes `--out`, and refuses to compare while a synth holds it.
 */
export async function runCheck(argv: readonly string[], io: Io = PROCESS_IO): Promise<number> {
  const options = optionsOrExit('check', argv, io);
  if (typeof options === 'number') return options;
  const fresh = mkdtempSync(join(tmpdir(), 'synth-check-'));
  try {
    const before = unreadable(options.out);
    if (before) {
      io.err(`check: ${before}`);
      return 1;
    }
    const synthesis = await synthesize(options);
    const root = OutputRoot.open(fresh);
    try {
      root.write(synthesis.output);
    } finally {
      root.close();
    }
    const owned = withMarkers(synthesis.output).owned;
    const diffs = diffTrees(options.out, fresh, owned);
    const after = unreadable(options.out);
    if (after) {
      io.err(`check: ${after}`);
      return 1;
    }
    if (diffs.length > 0) {
      io.err(`check: the committed output differs from a fresh synth (run \`npm run synth\` and commit):`);
      for (const d of diffs) io.err(`  ${d}`);
      return 1;
    }
    const folders = [...new Set(owned.map((o) => o.split('/')[0]!))];
    io.out(`check: ${synthesis.output.files.size} files in ${folders.join(', ')} match a fresh synth`);
    return 0;
  } catch (err) {
    return reportFailure('check', err, io, 'nothing was compared');
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
}
