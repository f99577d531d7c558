import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_CACHE_ENV } from '../_run-cache.ts';

/*
 * vitest's global setup: the run's cache (test/_run-cache.ts), created before the first test file
 * and removed after the last. Workers inherit the environment, so they all share one folder.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'crumpet-test-run-'));
  process.env[RUN_CACHE_ENV] = root;
  return () => rmSync(root, { recursive: true, force: true });
}
