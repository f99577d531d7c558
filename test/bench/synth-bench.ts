import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * `npm run bench`: the full synth, run the way CI and users run it (a fresh node process, tsx
 * loader, every environment), five times. Prints median and max wall time and peak RSS.
 */
const RUNS = 5;
const root = fileURLToPath(new URL('../..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'crumpet-bench-'));
const args = ['--import', 'tsx', '--import', './test/bench/_report-usage.ts', 'src/main.ts', '--out', out];

const walls: number[] = [];
const rss: number[] = [];
try {
  // One unmeasured run fills tsx's transform cache, as any developer's machine has it.
  spawnSync(process.execPath, args, { cwd: root, stdio: 'ignore' });
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    const run = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit', 'pipe'] });
    walls.push(Number(process.hrtime.bigint() - start) / 1e9);
    if (run.status !== 0) throw new Error(`synth exited ${run.status}`);
    rss.push(Number(String(run.output[3]).trim()) / 1024);
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
console.log(`synth bench: ${RUNS} runs of \`node --import tsx src/main.ts\` (all environments)`);
console.log(`  machine:   ${cpus().length} x ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
console.log(`  wall:      median ${median(walls).toFixed(3)} s, max ${Math.max(...walls).toFixed(3)} s`);
console.log(`  peak RSS:  median ${median(rss).toFixed(0)} MiB, max ${Math.max(...rss).toFixed(0)} MiB`);
