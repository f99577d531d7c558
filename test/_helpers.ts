import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a project entry point (`src/main.ts`, `src/check.ts`) the way users do, in a child process. */
export function runEntry(entry: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, entry), ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `crumpet-test-${prefix}-`));
}

/** Every file under `root` with its bytes, keyed by relative path, for byte-for-byte comparison. */
export function readTree(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const rel of readdirSync(root, { recursive: true, encoding: 'utf8' }).sort()) {
    const abs = join(root, rel);
    if (statSync(abs).isFile()) out.set(rel, readFileSync(abs));
  }
  return out;
}

/**
 * Every file under `root` by relative path with the sha256 of its bytes: a byte-for-byte
 * comparison of two trees that stays fast (comparing the Buffers themselves takes seconds).
 */
export function treeDigest(root: string): Record<string, string> {
  return Object.fromEntries([...readTree(root)].map(([path, bytes]) => [path, createHash('sha256').update(bytes).digest('hex')]));
}
