import { assessRisks, BaseRefError, diffOutputs, formatMarkdown, formatText, readCommittedOutputs, type DiffReport } from '../diff/index.ts';
import { GENERATED_ROOTS, withMarkers } from '../render/index.ts';
import { USAGE, UsageError } from './parse-args.ts';
import { optionsOrExit, PROCESS_IO, reportFailure, synthesize, type Io } from './synth-command.ts';

/** The flags only `diff` takes; the rest are synth's. */
interface DiffFlags {
  readonly base: string;
  readonly markdown: boolean;
  readonly exitCode: boolean;
  readonly rest: readonly string[];
}

export const DIFF_USAGE = `Usage: npm run diff -- [--base REF] [--markdown] [--exit-code] [synth options]

Synthesizes the working tree in memory and compares it, object by object, with the
outputs committed at REF. Never writes a file.

Options:
  --base REF              git ref to compare with (default: HEAD)
  --markdown              print a PR-comment summary instead of plain text
  --exit-code             exit 1 when something differs, 0 when nothing does

${USAGE.slice(USAGE.indexOf('Options:\n') + 'Options:\n'.length)}`;

function splitFlags(argv: readonly string[]): DiffFlags {
  let base = 'HEAD';
  let markdown = false;
  let exitCode = false;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--markdown') markdown = true;
    else if (arg === '--exit-code') exitCode = true;
    else if (arg === '--base' || arg.startsWith('--base=')) {
      const value = arg === '--base' ? argv[++i] : arg.slice('--base='.length);
      if (value === undefined || value === '') throw new UsageError('--base needs a git ref, e.g. --base origin/main');
      base = value;
    } else rest.push(arg);
  }
  return { base, markdown, exitCode, rest };
}

/** The folders a synth owns, all read at the base; the request's selection filters them after. */
const OUTPUT_FOLDERS = ['dist', ...GENERATED_ROOTS];

function inside(path: string, owned: readonly string[]): boolean {
  return owned.some((o) => path === o || path.startsWith(`${o}/`));
}

/**
 * `npm run diff`: the review of a model change. Synthesizes the working tree in memory, reads
 * the outputs committed at `--base` and prints what changed object by object, with a risk
 * section. Exit 0, or 1 with `--exit-code` when something differs; 2 for a bad flag or ref.
 */
export async function runDiff(argv: readonly string[], io: Io = PROCESS_IO): Promise<number> {
  let flags: DiffFlags;
  try {
    flags = splitFlags(argv);
  } catch (err) {
    return reportFailure('diff', err, io);
  }
  if (flags.rest.includes('--help') || flags.rest.includes('-h')) {
    io.out(DIFF_USAGE);
    return 0;
  }
  const options = optionsOrExit('diff', flags.rest, io);
  if (typeof options === 'number') return options;
  try {
    // Read the base first: a mistyped ref fails in milliseconds, not after a synth.
    const committed = readCommittedOutputs(options.out, flags.base, OUTPUT_FOLDERS);
    const synthesis = await synthesize(options);
    const head = withMarkers(synthesis.output);
    // A synth of some environments writes their dist/ folders alone, but the diff also compares
    // the ops files those environments generate (their Envoy config, rules, runbooks).
    const generated = new Map(synthesis.environments.flatMap((e) => [...e.generated]));
    const files = new Map([...generated, ...head.files]);
    const compared = [...head.owned, ...generated.keys()];
    const base = new Map([...committed].filter(([path]) => inside(path, compared)));
    const changes = diffOutputs(base, files);
    const report: DiffReport = { base: flags.base, changes, risks: assessRisks(changes) };
    const text = flags.markdown ? formatMarkdown(report) : formatText(report);
    io.out(text.endsWith('\n') ? text.slice(0, -1) : text);
    return flags.exitCode && changes.length > 0 ? 1 : 0;
  } catch (err) {
    if (err instanceof BaseRefError) {
      io.err(`diff: ${err.message}`);
      return 2;
    }
    return reportFailure('diff', err, io, 'nothing was compared');
  }
}
