import * as fs from 'node:fs';
import { NODE_FS, type OutputFs } from '../../src/render/_output-fs.ts';
import type { OutputSet } from '../../src/render/output-root.ts';

/*
 * Output sets for the writer's fault tests, and a file system that fails or kills the process
 * at its n-th change. Small on purpose: every change of a switch is a step to break.
 */

const set = (owned: string[], files: Record<string, string>): OutputSet => ({ owned, files: new Map(Object.entries(files)) });

/** A previous output and the next one: changed, added and removed files in every folder. */
export const SCENARIOS = {
  /** A full synth over a previous one: files changed, added, removed, and one left as it was. */
  replace: {
    before: set(['dist', 'ops', 'charts-out'], { 'dist/prod/a.yaml': 'a1\n', 'dist/prod/gone.yaml': 'g\n', 'ops/x.txt': 'x1\n', 'ops/same.txt': 's\n', 'charts-out/c/Chart.yaml': 'c1\n' }),
    after: set(['dist', 'ops', 'charts-out'], { 'dist/prod/a.yaml': 'a2\n', 'dist/prod/new.yaml': 'n\n', 'ops/y.txt': 'y\n', 'ops/same.txt': 's\n', 'charts-out/c/Chart.yaml': 'c2\n' }),
  },
  /** One environment into a root that has none of it yet. */
  partial: {
    before: set(['dist', 'ops'], { 'dist/staging/s.yaml': 's\n', 'ops/x.txt': 'x\n' }),
    after: set(['dist/prod'], { 'dist/prod/a.yaml': 'a\n' }),
  },
  /** A first synth into an empty root. */
  fresh: {
    before: undefined,
    after: set(['dist', 'ops'], { 'dist/prod/a.yaml': 'a\n', 'ops/x.txt': 'x\n' }),
  },
} as const;

export type ScenarioName = keyof typeof SCENARIOS;

/** The calls that change the file system; each is one step of a write. */
export const CHANGES = ['mkdir', 'writeFile', 'rename', 'link', 'unlink', 'rmdir', 'removeTree'] as const;

/**
 * node:fs with `onStep(n, call)` called before each change; it may throw (a failing step) or
 * kill the process. `steps` records every change attempted.
 */
export function steppedFs(onStep: (n: number, call: string) => void): { fs: OutputFs; steps: string[] } {
  const steps: string[] = [];
  const wrapped = { ...NODE_FS } as Record<string, (...args: string[]) => unknown>;
  for (const name of CHANGES) {
    const call = NODE_FS[name] as (...args: string[]) => unknown;
    wrapped[name] = (...args: string[]) => {
      const label = `${name} ${args.join(' ')}`;
      steps.push(label);
      onStep(steps.length - 1, label);
      return call(...args);
    };
  }
  return { fs: wrapped as unknown as OutputFs, steps };
}

/** A Node system error as fs throws it. */
export function systemError(code: string, syscall: string, path: string): NodeJS.ErrnoException {
  const descriptions: Record<string, string> = {
    EBUSY: 'resource busy or locked',
    ENOSPC: 'no space left on device',
    EROFS: 'read-only file system',
    EIO: 'i/o error',
  };
  return Object.assign(new Error(`${code}: ${descriptions[code] ?? 'error'}, ${syscall} '${path}'`), { code, syscall, path });
}

/** Every file under `root` with its text, dot files included, keyed by relative path. */
export function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!fs.existsSync(root)) return out;
  for (const rel of fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).sort()) {
    const abs = `${root}/${rel}`;
    if (fs.statSync(abs).isFile()) out[rel] = fs.readFileSync(abs, 'utf8');
  }
  return out;
}
