/*
 * A real Prometheus for tests: Debian's /usr/bin/prometheus on a free loopback port over a TSDB
 * backfilled with promtool, queried through its HTTP API. Every server started here is stopped
 * by `stop()` and, should a test process end without it, when the process exits.
 * @see https://prometheus.io/docs/prometheus/latest/storage/#backfilling-from-openmetrics-format
 * @see https://prometheus.io/docs/prometheus/latest/querying/api/
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { requireTool } from './promtool.ts';

/** One series of a query's answer: its labels, and its value (instant) or values (range). */
export interface ResultSeries {
  readonly metric: Readonly<Record<string, string>>;
  readonly value?: readonly [number, string];
  readonly values?: readonly (readonly [number, string])[];
}

/** A query's answer: the series, or what Prometheus refused. */
export type QueryAnswer = { readonly ok: true; readonly series: readonly ResultSeries[] } | { readonly ok: false; readonly error: string };

const running = new Set<ChildProcess>();
let exitHook = false;

/** Kills what is still running when the process exits (a test that failed before its afterAll). */
function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => {
    for (const c of running) c.kill('SIGKILL');
  });
}

/** Runs a tool to its end; rejects with its output when it fails. */
function run(tool: string, args: readonly string[]): Promise<string> {
  requireTool(tool);
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    track(child);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${tool} ${args.join(' ')} exited with ${code}: ${out.trim().split('\n').slice(-5).join(' | ')}`))));
  });
}

/** Writes TSDB blocks into `dataDir` from an OpenMetrics file. */
export async function createBlocksFromOpenMetrics(file: string, dataDir: string): Promise<void> {
  // One block per day at most: promtool reads the file once per block.
  await run('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', '--max-block-duration=24h', file, dataDir]);
}

/**
 * Backfills the recording rules of `ruleFile` from `start` to `end` (Unix seconds), evaluated
 * every `interval` against the server's data, and moves the blocks into `dataDir`: the server
 * sees them once restarted.
 */
export async function backfillRecordingRules(server: PrometheusServer, ruleFile: string, window: { start: number; end: number; interval: string }, dataDir: string): Promise<void> {
  const out = `${dataDir}.rules`;
  mkdirSync(out, { recursive: true });
  await run('promtool', ['tsdb', 'create-blocks-from', 'rules', '--quiet', `--url=${server.url}`, `--start=${window.start}`, `--end=${window.end}`, `--eval-interval=${window.interval}`, `--output-dir=${out}`, ruleFile]);
  for (const block of readdirSync(out)) if (/^[0-9A-Z]{26}$/.test(block)) renameSync(join(out, block), join(dataDir, block));
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Props of {@link PrometheusServer.start}. */
export interface PrometheusServerProps {
  /** The TSDB folder (`--storage.tsdb.path`). */
  readonly dataDir: string;
  /** Rule files to load. @default - none */
  readonly ruleFiles?: readonly string[];
  /** `global.evaluation_interval`. @default '30s' (prometheus-operator's) */
  readonly evaluationInterval?: string;
}

/** A running Prometheus. */
export class PrometheusServer {
  /**
   * Starts Prometheus on a free 127.0.0.1 port, without scrape jobs, keeping 10 years of data
   * (backfilled blocks are never dropped), and resolves once `/-/ready` answers.
   */
  public static async start(props: PrometheusServerProps): Promise<PrometheusServer> {
    requireTool('prometheus');
    const config = `${props.dataDir}.prometheus.yml`;
    const rules = (props.ruleFiles ?? []).map((f) => JSON.stringify(f));
    writeFileSync(config, `global:\n  evaluation_interval: ${props.evaluationInterval ?? '30s'}\nrule_files: [${rules.join(', ')}]\n`);
    for (let attempt = 0; ; attempt++) {
      const port = await freePort();
      const child = spawn(
        'prometheus',
        [`--config.file=${config}`, `--storage.tsdb.path=${props.dataDir}`, '--storage.tsdb.retention.time=10y', `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      track(child);
      let log = '';
      child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
      const server = new PrometheusServer(child, `http://127.0.0.1:${port}`);
      if (await server.ready()) return server;
      await server.stop();
      // Another process may have taken the port between the probe and the bind.
      if (attempt >= 2 || !/address already in use/.test(log)) throw new Error(`prometheus did not become ready: ${log.trim().split('\n').slice(-5).join(' | ')}`);
    }
  }

  private constructor(
    private readonly child: ChildProcess,
    /** Base URL of the HTTP API. */
    public readonly url: string,
  ) {}

  private async ready(): Promise<boolean> {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && this.child.exitCode === null) {
      try {
        if ((await fetch(`${this.url}/-/ready`)).ok) return true;
      } catch {
        // Not listening yet.
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  }

  private async get(path: string, params: Record<string, string | readonly string[]>): Promise<{ ok: true; data: unknown } | { ok: false; error: string }> {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) for (const one of typeof v === 'string' ? [v] : v) search.append(k, one);
    const response = await fetch(`${this.url}${path}?${search.toString()}`);
    const answer = (await response.json()) as { status: string; data?: unknown; error?: string; errorType?: string };
    return answer.status === 'success' ? { ok: true, data: answer.data } : { ok: false, error: `${answer.errorType ?? 'error'}: ${answer.error ?? response.statusText}` };
  }

  /** An instant query at `time` (Unix seconds). */
  public async query(expr: string, time: number): Promise<QueryAnswer> {
    const answer = await this.get('/api/v1/query', { query: expr, time: String(time) });
    if (!answer.ok) return answer;
    const data = answer.data as { resultType: string; result: unknown };
    // A scalar or string answer is one value.
    return { ok: true, series: Array.isArray(data.result) ? (data.result as ResultSeries[]) : [{ metric: {}, value: data.result as [number, string] }] };
  }

  /** A range query from `start` to `end` (Unix seconds) every `step` seconds. */
  public async queryRange(expr: string, start: number, end: number, step: number): Promise<QueryAnswer> {
    const answer = await this.get('/api/v1/query_range', { query: expr, start: String(start), end: String(end), step: String(step) });
    return answer.ok ? { ok: true, series: (answer.data as { result: ResultSeries[] }).result } : answer;
  }

  /** The values of `label` over series matching `match` (every series when empty) between `start` and `end`. */
  public async labelValues(label: string, match: readonly string[], start: number, end: number): Promise<string[]> {
    const answer = await this.get(`/api/v1/label/${encodeURIComponent(label)}/values`, { 'match[]': match, start: String(start), end: String(end) });
    if (!answer.ok) throw new Error(`label values of ${label} (${match.join(', ')}): ${answer.error}`);
    return answer.data as string[];
  }

  /** Every rule the server loaded, with its health. */
  public async rules(): Promise<{ name: string; type: string; health: string; lastError?: string }[]> {
    const answer = await this.get('/api/v1/rules', {});
    if (!answer.ok) throw new Error(`rules: ${answer.error}`);
    return (answer.data as { groups: { rules: { name: string; type: string; health: string; lastError?: string }[] }[] }).groups.flatMap((g) => g.rules);
  }

  /** Stops the server (SIGTERM, SIGKILL after 5 s) and resolves once it has exited. */
  public async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}
