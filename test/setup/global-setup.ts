import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_CACHE_ENV } from '../_run-cache.ts';

/*
 * vitest's global setup: the run's cache (test/_run-cache.ts), created before the first test file
 * and removed after the last. Workers inherit the environment, so they all share one folder.
 *
 * The Go tools the tests run (promtool above all, also helm, amtool, prometheus, alertmanager)
 * run on one core each, with a lazier garbage collector, unless the caller's environment says
 * otherwise. The suite keeps both cores busy with several tools at once; a promtool spreading
 * its garbage collection over both cores only takes time from the others. Measured on the 2-core
 * machine, every Crumpet rule test in one promtool: 40 CPU-s with Go's defaults, 21 with these,
 * in less wall time; helm and amtool cost the same either way.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'crumpet-test-run-'));
  process.env[RUN_CACHE_ENV] = root;
  process.env['GOMAXPROCS'] ??= '1';
  process.env['GOGC'] ??= '400';
  return () => rmSync(root, { recursive: true, force: true });
}
