import { constants } from 'node:os';
import { relative } from 'node:path';
import { ConfigError, EnvironmentFileError, OverrideError } from '../config/index.ts';
import { printable } from '../lib/values/index.ts';
import { OutputError, OutputRoot, PlatformError, synthesize as synthesizeStacks, type Synthesis } from '../render/index.ts';
import { STACKS } from '../stacks/index.ts';
import { parseCliArgs, USAGE, UsageError, type CliOptions } from './parse-args.ts';

/** Where the commands print. */
export interface Io {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

export const PROCESS_IO: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Exit code of an internal error (a bug), as sysexits' EX_SOFTWARE. */
export const EXIT_INTERNAL = 70;

/**
 * Prints why a command failed and returns its exit code: 2 for a usage error, 1 for bad input
 * or an output root it cannot write (one line per problem, each naming environment, object or
 * file, and field), 70 for a bug. Never a stack trace, unless SYNTH_DEBUG=1 asks for one.
 */
export function reportFailure(command: string, err: unknown, io: Io, outcome = 'nothing was written'): number {
  if (err instanceof UsageError) {
    io.err(`${command}: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (
    err instanceof PlatformError ||
    err instanceof ConfigError ||
    err instanceof EnvironmentFileError ||
    err instanceof OverrideError ||
    err instanceof OutputError
  ) {
    // One problem per line, whatever a key or value given held (the errors escape their own lines).
    const lines = printable(err.message, true).split('\n');
    io.err(`${command}: ${outcome}; ${lines.length === 1 ? '1 problem' : `${lines.length} problems`}:`);
    for (const line of lines) io.err(line);
    return 1;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.err(`${command}: internal error: ${printable(message.split('\n')[0] ?? '')} (a bug; run with SYNTH_DEBUG=1 for the stack trace)`);
  if (process.env['SYNTH_DEBUG'] === '1' && err instanceof Error && err.stack) io.err(err.stack);
  return EXIT_INTERNAL;
}

/**
 * Parses the options, or prints why they are wrong. Returns the options, or the exit code to
 * stop with (0 after --help).
 */
export function optionsOrExit(command: string, argv: readonly string[], io: Io): CliOptions | number {
  try {
    const options = parseCliArgs(argv);
    if (options.help) {
      io.out(USAGE);
      return 0;
    }
    return options;
  } catch (err) {
    return reportFailure(command, err, io);
  }
}

/** Synthesizes the options' stacks and environments with their overrides. */
export function synthesize(options: CliOptions): Promise<Synthesis> {
  if (options.envDir !== undefined && (options.stacks ?? STACKS.map((s) => s.name)).length !== 1) {
    throw new UsageError('--env-dir reads the environments of one stack: name it with --stack');
  }
  return synthesizeStacks(STACKS, {
    ...(options.stacks ? { stacks: options.stacks } : {}),
    ...(options.environments ? { environments: options.environments } : {}),
    ...(options.envDir !== undefined ? { envDir: options.envDir } : {}),
    overrides: options.overrides,
  });
}

/** What a signal handler must undo: the root once it is open, and whether the output was written. */
interface RunState {
  root?: OutputRoot;
  written: boolean;
}

/**
 * Releases the root (once open) and exits when SIGINT, SIGTERM or SIGHUP arrives. Installed
 * before the root is locked, so a lock on disk always has a handler to release it. The switch
 * of the outputs is synchronous, so a handler never runs inside it: the root holds the old
 * output or the new. Returns the function that removes the handlers.
 */
function exitOnSignals(io: Io, state: RunState): () => void {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const handler = (signal: NodeJS.Signals): void => {
    if (state.root) release(state.root, io);
    io.err(`synth: stopped by ${signal}; ${state.written ? 'the output was written' : 'nothing was written'}`);
    process.exit(128 + constants.signals[signal]);
  };
  for (const s of signals) process.on(s, handler);
  return () => {
    for (const s of signals) process.off(s, handler);
  };
}

/** Releases the root's lock; a failure only warns, as the next run takes a dead run's lock over. */
function release(root: OutputRoot, io: Io): void {
  try {
    root.close();
  } catch (err) {
    io.err(`synth: warning: ${(err as Error).message}`);
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * `npm run synth`: locks the output root, renders, validates and replaces the outputs all
 * together; exit 0 only when everything was written.
 */
export async function runSynth(argv: readonly string[], io: Io = PROCESS_IO): Promise<number> {
  const started = performance.now();
  const options = optionsOrExit('synth', argv, io);
  if (typeof options === 'number') return options;
  const state: RunState = { written: false };
  const removeHandlers = exitOnSignals(io, state);
  try {
    const root = (state.root = OutputRoot.open(options.out));
    const synthesis = await synthesize(options);
    // Rendering never yields to the event loop: let a signal that arrived meanwhile stop the
    // run here, before the switch, rather than after it. Two turns of the loop: a signal is
    // read in the poll phase, which one immediate alone may run before.
    await new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
    const warnings = root.write(synthesis.output);
    state.written = true;
    const rows = synthesis.environments.flatMap((e) =>
      e.charts.map((c) => [e.environment, c.chart, plural(c.objects.length, 'object'), relative(process.cwd(), `${options.out}/${c.file}`)]),
    );
    const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const r of rows) io.out(`  ${r.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join('  ')}`);
    for (const w of warnings) io.err(`synth: warning: ${w}`);
    for (const e of synthesis.environments) for (const w of e.warnings) io.err(`synth: warning: [${e.environment}] ${w}`);
    const objects = synthesis.environments.reduce((n, e) => n + e.charts.reduce((m, c) => m + c.objects.length, 0), 0);
    io.out(
      `synth: ${plural(synthesis.environments.length, 'environment')}, ${plural(objects, 'object')}, ` +
        `${plural(synthesis.output.files.size, 'file')} written in ${((performance.now() - started) / 1000).toFixed(2)} s`,
    );
    return 0;
  } catch (err) {
    return reportFailure('synth', err, io);
  } finally {
    removeHandlers();
    if (state.root) release(state.root, io);
  }
}
