import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import yaml from 'js-yaml';
import { npmNodeArgs, PROJECT_ROOT, runNode, type RunResult } from '../_helpers.ts';
import { UMBRELLA_CHART } from '../../src/stacks/crumpet/index.ts';
import { HELMS } from '../helm/_helm.ts';
import { scaledProject } from './_scaled-project.ts';

/*
 * `npm run bench`: the full synth as users run it (`npm run synth`: a fresh node process, every
 * stack and environment), interleaved in one run with the real `helm template` of the same
 * platform (the Helm binary the tests use): each stack's chart of a whole environment (Crumpet's
 * umbrella, StemeDB's and the mirror's charts) with each environment's overlay, so both see the
 * same machine load. Prints the median of the per-round ratio synth / helm and the synth's peak
 * RSS, and the same ratio for Crumpet alone (`--stack crumpet` against its umbrella).
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
async function synth(root: string, out: string, args: readonly string[] = []): Promise<RunResult & { readonly peakRssMiB: number }> {
  const entry = values['from-source'] ? ['--import', 'tsx', 'src/main.ts'] : NPM_SYNTH;
  const run = await runNode([...entry, '--out', out, ...args], {}, { cwd: root, measure: true });
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

/** A stack's top chart in charts-out/ (one no other chart depends on), and its overlays: one per environment. */
interface TopChart {
  readonly chart: string;
  readonly overlays: readonly string[];
}

/** The charts of `charts` no other chart depends on: each stack's chart of a whole environment (Crumpet's umbrella, StemeDB's, the mirror's). */
function topCharts(charts: string): TopChart[] {
  const names = readdirSync(charts).filter((c) => existsSync(join(charts, c, 'Chart.yaml'))).sort();
  const dependencies = new Set(
    names.flatMap((c) => ((yaml.load(readFileSync(join(charts, c, 'Chart.yaml'), 'utf8')) as { dependencies?: { name: string }[] }).dependencies ?? []).map((d) => d.name)),
  );
  return names
    .filter((c) => !dependencies.has(c))
    .map((chart) => ({ chart, overlays: readdirSync(join(charts, chart)).filter((f) => /^values-.+\.yaml$/.test(f)).sort() }));
}

/**
 * Synth against the real `helm template` of the same platform, interleaved round by round:
 * the full synth (every stack and environment) against every stack's top chart rendered with each
 * environment's overlay, and Crumpet's synth alone (`--stack crumpet`) against its umbrella.
 */
async function ratio(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'crumpet-bench-'));
  try {
    const out = join(work, 'out');
    // One unmeasured synth builds the bundle (or fills tsx's cache), as on any developer's machine.
    await synth(PROJECT_ROOT, out);
    // helm dependency build writes the subcharts' archives into charts/: a copy of the charts.
    const charts = join(work, 'charts');
    cpSync(join(out, 'charts-out'), charts, { recursive: true });
    // The newest Helm the chart tests run with.
    const HELM = HELMS[HELMS.length - 1]!.path;
    const tops = topCharts(charts);
    for (const t of tops) timed(HELM, ['dependency', 'build', join(charts, t.chart)]);
    const renders = tops.flatMap((t) => t.overlays.map((f) => ({ chart: t.chart, args: ['template', t.chart, join(charts, t.chart), '-f', join(charts, t.chart, f)] })));
    for (const r of renders) timed(HELM, r.args);

    const rounds: { full: Awaited<ReturnType<typeof synth>>; crumpet: Awaited<ReturnType<typeof synth>>; helm: number; umbrella: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      const full = await synth(PROJECT_ROOT, out);
      const crumpet = await synth(PROJECT_ROOT, join(work, 'crumpet'), ['--stack', 'crumpet']);
      const times = renders.map((r) => ({ chart: r.chart, s: timed(HELM, r.args) }));
      const sum = (xs: { s: number }[]) => xs.reduce((a, x) => a + x.s, 0);
      rounds.push({ full, crumpet, helm: sum(times), umbrella: sum(times.filter((t) => t.chart === UMBRELLA_CHART)) });
    }
    const ratios = rounds.map((r) => r.full.wall / r.helm);
    const crumpetRatios = rounds.map((r) => r.crumpet.wall / r.umbrella);
    const rss = rounds.map((r) => r.full.peakRssMiB);
    const how = values['from-source'] ? '`node --import tsx src/main.ts` (from source)' : `\`node ${NPM_SYNTH.join(' ')}\` (npm run synth, bundled)`;
    const listed = tops.map((t) => `${t.chart} (${t.overlays.join(', ')})`).join(', ');
    console.log(`synth bench: ${RUNS} rounds, each ${how}, the same with --stack ${UMBRELLA_CHART}, then \`helm template\` of each stack's chart per environment: ${listed}`);
    console.log(`  machine:        ${machine()}`);
    console.log(`  synth wall:     median ${s(median(rounds.map((r) => r.full.wall)))}, max ${s(Math.max(...rounds.map((r) => r.full.wall)))}`);
    console.log(`  helm wall:      median ${s(median(rounds.map((r) => r.helm)))} (${renders.length} renders)`);
    console.log(`  synth / helm:   median ${median(ratios).toFixed(2)}, per round ${ratios.map((r) => r.toFixed(2)).join(' ')}`);
    console.log(`  synth peak RSS: median ${median(rss).toFixed(0)} MiB, max ${Math.max(...rss).toFixed(0)} MiB`);
    const umbrellaRenders = renders.filter((r) => r.chart === UMBRELLA_CHART).length;
    console.log(`  ${UMBRELLA_CHART} alone:  synth --stack ${UMBRELLA_CHART} median ${s(median(rounds.map((r) => r.crumpet.wall)))}, helm ${s(median(rounds.map((r) => r.umbrella)))} (${umbrellaRenders} renders), ratio median ${median(crumpetRatios).toFixed(2)}`);
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
