import { execFileSync } from 'node:child_process';

/** A base ref git cannot resolve to a commit. */
export class BaseRefError extends Error {}

function git(cwd: string, args: readonly string[], input?: string): Buffer {
  return execFileSync('git', args, { cwd, input, maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'pipe'] });
}

/**
 * The files committed at `ref` under the given top folders (`dist`, `ops`, `charts-out`), read
 * in one `git cat-file --batch` so a tree of a thousand files costs one process, not a thousand.
 */
export function readCommittedOutputs(cwd: string, ref: string, folders: readonly string[]): Map<string, string> {
  let commit: string;
  try {
    commit = git(cwd, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]).toString().trim();
  } catch {
    throw new BaseRefError(`unknown git ref ${JSON.stringify(ref)}: not a commit in ${cwd}`);
  }
  const paths = git(cwd, ['ls-tree', '-r', '-z', '--name-only', commit, '--', ...folders])
    .toString()
    .split('\0')
    .filter((p) => p !== '');
  const files = new Map<string, string>();
  if (paths.length === 0) return files;
  const out = git(cwd, ['cat-file', '--batch'], paths.map((p) => `${commit}:${p}\n`).join(''));
  let at = 0;
  for (const path of paths) {
    const eol = out.indexOf(0x0a, at);
    const header = out.subarray(at, eol).toString();
    const size = Number(header.split(' ')[2]);
    files.set(path, out.subarray(eol + 1, eol + 1 + size).toString('utf8'));
    at = eol + 1 + size + 1;
  }
  return files;
}
