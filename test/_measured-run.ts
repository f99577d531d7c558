import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/*
 * A CLI command run as npm runs it, measured: wall time from spawn to exit, and the process's peak
 * RSS, reported by a preloaded plain-JavaScript module (it adds no loader) on file descriptor 3.
 */

const ROOT = join(import.meta.dirname, '..');
/** Preloaded with `--import`, reports the process's peak RSS (KiB) on file descriptor 3 at exit. */
export const REPORT_USAGE = join(import.meta.dirname, '_report-usage.mjs');

/** `npm run <command>` as package.json says: node's options and the script with its arguments (`exec node <these>`). */
export function npmNodeArgs(command: 'synth' | 'check' | 'diff'): string[] {
  const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string | undefined> }).scripts[command] ?? '';
  const words = script.replace(/^exec\s+/, '').split(/\s+/);
  if (words[0] !== 'node') throw new Error(`npm run ${command} is not a node command: "${script}"`);
  return words.slice(1);
}

/** One measured run. */
export interface MeasuredRun {
  readonly wall: number;
  readonly rssMiB: number;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node <nodeArgs> <args>` in `cwd` once, measured. */
export function measuredRun(cwd: string, nodeArgs: readonly string[], args: readonly string[]): MeasuredRun {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ['--import', REPORT_USAGE, ...nodeArgs, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  return { wall, rssMiB: Number(String(run.output[3]).trim()) / 1024, status: run.status, stdout: run.stdout, stderr: run.stderr };
}
