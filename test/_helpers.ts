import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Chart, Testing } from 'cdk8s';
import { RUN_CACHE_ENV, shared } from './_run-cache.ts';

export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The bundled CLI's cache folder of the project at `root` (scripts/_bundle.mjs `CACHE`: one per root, in the node_modules `root` uses). */
export const bundleCacheOf = (root: string): string =>
  join(PROJECT_ROOT, 'node_modules/.cache/crumpet-cli', createHash('sha256').update(root.endsWith('/') ? root : `${root}/`).digest('hex').slice(0, 16));

/** The bundle and pack the last build of the project at `root` recorded (scripts/_bundle.mjs's manifest). */
export function recordedBuild(root: string): { bundle: string; pack: string } {
  const manifest = JSON.parse(readFileSync(join(bundleCacheOf(root), 'manifest.json'), 'utf8')) as { bundle: string; pack: string };
  return { bundle: join(bundleCacheOf(root), manifest.bundle), pack: join(bundleCacheOf(root), manifest.pack) };
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Seconds from spawn to exit. */
  readonly wall: number;
  /** The process's peak RSS, when the run was measured (`measure`). @default - not measured */
  readonly peakRssMiB?: number;
}

/** Preloaded with `--import` (plain JavaScript: it adds no loader), reports the process's peak RSS (KiB) on file descriptor 3 at exit. */
const REPORT_USAGE = join(PROJECT_ROOT, 'test/_report-usage.mjs');

/** `npm run <command>` as package.json says: node's options and the script with its arguments (`exec node <these>`). */
export function npmNodeArgs(command: 'synth' | 'check' | 'diff'): string[] {
  const script = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string | undefined> }).scripts[command] ?? '';
  const words = script.replace(/^exec\s+/, '').split(/\s+/);
  if (words[0] !== 'node') throw new Error(`npm run ${command} is not a node command: "${script}"`);
  return words.slice(1);
}

/** Runs a TypeScript entry point of the project through tsx, in a child process. */
export function runEntry(entry: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return runNode(['--import', 'tsx', join(PROJECT_ROOT, entry), ...args], env);
}

/**
 * Runs a command of the CLI (`synth`, `check`, `diff`) the way `npm run <command>` does
 * (the node options and script of package.json: the bundled CLI), in a child process.
 */
export function runCli(command: 'synth' | 'check' | 'diff', args: readonly string[], env: NodeJS.ProcessEnv = {}, measure = false): Promise<RunResult> {
  return runNode([...npmNodeArgs(command), ...args], env, { measure });
}

/** Options of {@link runNode}. */
export interface RunNodeOptions {
  /** @default PROJECT_ROOT */
  readonly cwd?: string;
  /** Report the process's peak RSS (`peakRssMiB`). @default false */
  readonly measure?: boolean;
}

/** Runs `node <args>` in a child process, timed from spawn to exit. */
export function runNode(args: readonly string[], env: NodeJS.ProcessEnv = {}, options: RunNodeOptions = {}): Promise<RunResult> {
  const measure = options.measure ?? false;
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(measure ? ['--import', REPORT_USAGE] : []), ...args], {
      cwd: options.cwd ?? PROJECT_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe', ...(measure ? (['pipe'] as const) : [])],
    });
    let stdout = '';
    let stderr = '';
    let usage = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    if (measure) (child.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => (usage += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wall = Number(process.hrtime.bigint() - start) / 1e9;
      resolve({ code, stdout, stderr, wall, ...(measure ? { peakRssMiB: Number(usage.trim()) / 1024 } : {}) });
    });
  });
}

/** A new folder for a test, inside the run's cache folder when vitest runs (removed with it after the last file), else in the OS's. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(process.env[RUN_CACHE_ENV] ?? tmpdir(), `crumpet-test-${prefix}-`));
}

/** `files` (each content by its path below the folder) written into a new test folder (tempDir); returns the folder. */
export function writtenTree(prefix: string, files: Iterable<readonly [string, string]>): string {
  const root = tempDir(prefix);
  for (const [path, content] of files) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** Makes `dir` a git repository whose one commit, `message`, holds every file in it (a test's own identity; no line-ending conversion). */
export function commitAll(dir: string, message: string): void {
  const git = (...args: string[]): void => void execFileSync('git', ['-c', 'user.email=test@example.org', '-c', 'user.name=test', '-c', 'core.autocrlf=false', ...args], { cwd: dir, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', message);
}

let chartsOutdir: string | undefined;

/** A cdk8s Chart for a test (cdk8s's Testing.chart() makes an App that leaves a folder in the OS's temp folder per call): its App's outdir, never written, is one test folder. */
export function testChart(): Chart {
  chartsOutdir ??= tempDir('cdk8s');
  return new Chart(Testing.app({ outdir: chartsOutdir }), 'test');
}

/** The time zone and locale of the run's shared synth (the determinism test synthesizes under others). */
export const SHARED_SYNTH_ENV = { TZ: 'UTC', LANG: 'C', LC_ALL: 'C' } as const;

/** A synthesized output root and the run that wrote it. */
export interface Synthesized {
  readonly root: string;
  readonly run: RunResult;
}

/**
 * A full synth (`npm run synth -- --out <root>`, every stack and environment) run once per test
 * run under SHARED_SYNTH_ENV and shared by the tests that need a synthesized root to start from.
 * Read its root only: a test that changes a root works on a `synthesizedCopy`.
 */
export async function sharedSynth(): Promise<Synthesized> {
  const dir = await shared('npm run synth -- --out <root>, TZ=UTC LANG=C', async (d) => {
    const run = await runCli('synth', ['--out', join(d, 'root')], SHARED_SYNTH_ENV);
    writeFileSync(join(d, 'run.json'), JSON.stringify(run));
  });
  return { root: join(dir, 'root'), run: JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunResult };
}

/** A copy of the shared synth's output root (sharedSynth) for a test to change, and the run that wrote it. */
export async function synthesizedCopy(prefix: string): Promise<Synthesized> {
  const { root, run } = await sharedSynth();
  const copy = tempDir(prefix);
  cpSync(root, copy, { recursive: true });
  return { root: copy, run };
}

/**
 * `entry` (a TypeScript module of the project) and everything it imports bundled by esbuild into
 * one ES module, once per test run, for tests that start many processes of it: `node <bundle>`
 * starts in a fraction of the time `node --import tsx <entry>` takes, from the same sources (tsx
 * compiles each file with esbuild too). A module that locates files from `import.meta` would look
 * beside the bundle instead, so such an input is refused.
 */
export async function bundled(entry: string): Promise<string> {
  const dir = await shared(`esbuild bundle of ${entry}`, async (d) => {
    // esbuild as the project gets it, through tsx (as scripts/_bundle.mjs does).
    const fromTsx = createRequire(createRequire(import.meta.url).resolve('tsx/package.json'));
    const { build } = fromTsx('esbuild') as { build: (options: object) => Promise<{ metafile: { inputs: Record<string, unknown> } }> };
    const { metafile } = await build({
      entryPoints: [join(PROJECT_ROOT, entry)],
      absWorkingDir: PROJECT_ROOT,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: join(d, 'bundle.mjs'),
      metafile: true,
      // Bundled CommonJS modules reach Node's built-ins through `require`.
      banner: { js: "import { createRequire as __bundleRequire } from 'node:module';\nconst require = __bundleRequire(import.meta.url);" },
      logLevel: 'silent',
    });
    const located = Object.keys(metafile.inputs).filter((f) => readFileSync(join(PROJECT_ROOT, f), 'utf8').includes('import.meta'));
    if (located.length > 0) throw new Error(`${entry} cannot be bundled: ${located.join(', ')} locate files from import.meta`);
  });
  return join(dir, 'bundle.mjs');
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
