import { relative } from 'node:path';
import { ConfigError, OverrideError } from '../config/index.ts';
import { PlatformError, synthesizePlatform, type Synthesis } from '../platform/index.ts';
import { writeOutputs } from '../render/index.ts';
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

/**
 * Parses the options, or prints why they are wrong. Returns the options, or the exit code to
 * stop with (0 after --help, 2 on a usage error, 1 on a bad override file).
 */
export function optionsOrExit(argv: readonly string[], io: Io): CliOptions | number {
  try {
    const options = parseCliArgs(argv);
    if (options.help) {
      io.out(USAGE);
      return 0;
    }
    return options;
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`synth: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof OverrideError) {
      io.err(`synth: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

/** Prints a synth failure: one line per problem, each naming environment, object and field. */
export function reportFailure(err: unknown, io: Io): number {
  if (err instanceof PlatformError || err instanceof ConfigError) {
    io.err(`synth failed; nothing was written:\n${err.message}`);
    return 1;
  }
  throw err;
}

/** Synthesizes, or prints why not and returns the exit code. */
export async function synthesizeOrExit(options: CliOptions, io: Io): Promise<Synthesis | number> {
  try {
    return await synthesizePlatform(options);
  } catch (err) {
    return reportFailure(err, io);
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `npm run synth`: renders, validates and writes; exit 0 only when everything was written. */
export async function runSynth(argv: readonly string[], io: Io = PROCESS_IO): Promise<number> {
  const started = performance.now();
  const options = optionsOrExit(argv, io);
  if (typeof options === 'number') return options;
  const synthesis = await synthesizeOrExit(options, io);
  if (typeof synthesis === 'number') return synthesis;
  writeOutputs(options.out, synthesis.output);

  const rows = synthesis.environments.flatMap((e) =>
    e.charts.map((c) => [e.environment, c.chart, plural(c.objects.length, 'object'), relative(process.cwd(), `${options.out}/${c.file}`)]),
  );
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) io.out(`  ${r.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join('  ')}`);
  const objects = synthesis.environments.reduce((n, e) => n + e.charts.reduce((m, c) => m + c.objects.length, 0), 0);
  io.out(
    `synth: ${plural(synthesis.environments.length, 'environment')}, ${plural(objects, 'object')}, ` +
      `${plural(synthesis.output.files.size, 'file')} written in ${((performance.now() - started) / 1000).toFixed(2)} s`,
  );
  return 0;
}
