import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { npmNodeArgs, PROJECT_ROOT, runNode, type RunResult } from '../_helpers.ts';
import { UMBRELLA_CHART } from '../../src/stacks/crumpet/index.ts';
import { HELMS } from '../helm/_helm.ts';
import { scaledProject } from './_scaled-project.ts';

/*
 * `npm run bench`: the full synth as users run it (`npm run synth`: a fresh node process, every
 * stack and environment), interleaved in one run with the real `helm template` of the umbrella
 * chart for each environment (the Helm binary the tests use), so both see the same machine load.
 * Prints the median of the per-round ratio synth / helm, and the synth's peak RSS.
 *
 * `npm run bench -- --from-source`: the same, the synth run from the sources through tsx
 * (`node --import tsx src/main.ts`, how `npm run synth` ran before the bundle).
 *
 * `npm run bench -- --scale N`: the synth of a copy of the project whose Crumpet model has 1, 5
 * and N times the components (_scaled-project.ts), with time and peak RSS per scale and the
 * synth's own time (what it prints, start-up aside) per object it renders.
 */

const { values } = parseArgs({
  options: { scale: { type: 'string' }, runs: { type: 'string' }, 'from-source': { type: 'boolean' } },
});
const RUNS = Number(values.runs ?? 7);
const NPM_SYNTH = npmNodeArgs('synth');

/** Runs the synth of the project at `root` once, as `npm run synth` does, timing it from spawn to exit. */
async function synth(root: string, out: string): Promise<RunResult & { readonly peakRssMiB: number }> {
  const entry = values['from-source'] ? ['--import', 'tsx', 'src/main.ts'] : NPM_SYNTH;
  const run = await runNode([...entry, '--out', out], {}, { cwd: root, measure: true });
  if (run.code !== 0) throw new Error(`synth exited ${run.code}: ${run.stderr}`);
  return { ...run, peakRssMiB: run.peakRssMiB! };
}

function timed(file: string, args: readonly string[]): number {
  const start = process.hrtime.bigint();
  const run = spawnSync(file, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${file} exited ${run.status}: ${run.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const s = (x: number): string => `${x.toFixed(3)} s`;

function machine(): string {
  return `${cpus().length} x ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`;
}

/** Synth against `helm template` of the umbrella chart of charts-out/, per environment, interleaved. */
async function ratio(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'crumpet-bench-'));
  try {
    const out = join(work, 'out');
    // One unmeasured synth builds the bundle (or fills tsx's cache), as on any developer's machine.
    await synth(PROJECT_ROOT, out);
    // helm dependency build writes the subcharts' archives into charts/: a copy of the charts.
    const charts = join(work, 'charts');
    cpSync(join(out, 'charts-out'), charts, { recursive: true });
    const umbrella = UMBRELLA_CHART;
    // The newest Helm the chart tests run with.
    const HELM = HELMS[HELMS.length - 1]!.path;
    const chart = join(charts, umbrella);
    timed(HELM, ['dependency', 'build', chart]);
    const overlays = readdirSync(chart).filter((f) => /^values-.+\.yaml$/.test(f)).sort();
    const helmArgs = overlays.map((f) => ['template', umbrella, chart, '-f', join(chart, f)]);
    for (const args of helmArgs) timed(HELM, args);

    const rounds: { synth: Awaited<ReturnType<typeof synth>>; helm: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      const run = await synth(PROJECT_ROOT, out);
      const helm = helmArgs.reduce((sum, args) => sum + timed(HELM, args), 0);
      rounds.push({ synth: run, helm });
    }
    const ratios = rounds.map((r) => r.synth.wall / r.helm);
    const rss = rounds.map((r) => r.synth.peakRssMiB);
    const how = values['from-source'] ? '`node --import tsx src/main.ts` (from source)' : `\`node ${NPM_SYNTH.join(' ')}\` (npm run synth, bundled)`;
    console.log(`synth bench: ${RUNS} rounds, each ${how} then \`helm template\` of ${umbrella} for ${overlays.join(', ')}`);
    console.log(`  machine:        ${machine()}`);
    console.log(`  synth wall:     median ${s(median(rounds.map((r) => r.synth.wall)))}, max ${s(Math.max(...rounds.map((r) => r.synth.wall)))}`);
    console.log(`  helm wall:      median ${s(median(rounds.map((r) => r.helm)))} (${overlays.length} renders)`);
    console.log(`  synth / helm:   median ${median(ratios).toFixed(2)}, per round ${ratios.map((r) => r.toFixed(2)).join(' ')}`);
    console.log(`  synth peak RSS: median ${median(rss).toFixed(0)} MiB, max ${Math.max(...rss).toFixed(0)} MiB`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The synth of the model at scales 1, 5 and `max`, with its cost per rendered object. */
async function scale(max: number): Promise<void> {
  const scales = [...new Set([1, 5, max])].filter((n) => n >= 1 && n <= max).sort((a, b) => a - b);
  const runs = Number(values.runs ?? 3);
  const rows: { n: number; objects: number; wall: number; own: number; rss: number }[] = [];
  for (const n of scales) {
    const root = scaledProject(n);
    const out = join(root, 'out');
    try {
      await synth(root, out);
      const measured: Awaited<ReturnType<typeof synth>>[] = [];
      for (let i = 0; i < runs; i++) measured.push(await synth(root, out));
      const summary = /synth: .*?(\d+) objects, .* written in ([\d.]+) s/.exec(measured.at(-1)!.stdout);
      if (!summary) throw new Error(`no summary line in the synth's output at scale ${n}`);
      rows.push({
        n,
        objects: Number(summary[1]),
        wall: median(measured.map((m) => m.wall)),
        own: median(measured.map((m) => Number(/written in ([\d.]+) s/.exec(m.stdout)![1]))),
        rss: Math.max(...measured.map((m) => m.peakRssMiB)),
      });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
  console.log(`synth scaling bench: N x the Crumpet CIN languages and N search-API backends, median of ${runs} runs per scale`);
  console.log(`  machine: ${machine()}`);
  console.log('  N    objects  wall       synth work  peak RSS  work per object');
  for (const r of rows) {
    console.log(`  ${String(r.n).padEnd(4)} ${String(r.objects).padEnd(8)} ${s(r.wall).padEnd(10)} ${s(r.own).padEnd(11)} ${`${r.rss.toFixed(0)} MiB`.padEnd(9)} ${((r.own / r.objects) * 1000).toFixed(2)} ms`);
  }
  const first = rows[0]!;
  const last = rows.at(-1)!;
  const growth = last.own / last.objects / (first.own / first.objects);
  console.log(`  work per object at N=${last.n} is ${growth.toFixed(2)}x that at N=${first.n} (linear: <= 1.2x)`);
  // The fixed cost (start-up, the stacks that do not scale) flatters the ratio above; the cost of each object added does not.
  const steps = rows.slice(1).map((r, i) => ({ from: rows[i]!, to: r, ms: ((r.own - rows[i]!.own) / (r.objects - rows[i]!.objects)) * 1000 }));
  for (const st of steps) console.log(`  each object added from N=${st.from.n} to N=${st.to.n}: ${st.ms.toFixed(2)} ms`);
}

if (values.scale !== undefined) {
  const n = Number(values.scale);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--scale needs a whole number >= 1, got ${values.scale}`);
  await scale(n);
} else await ratio();
