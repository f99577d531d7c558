import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseSet, readOverrideFile, type Overrides } from '../config/index.ts';
import { quote } from '../lib/values/index.ts';

/** Options shared by `synth` and `check`. */
export interface CliOptions {
  /** Each named once, in the order first given. @default - every stack */
  readonly stacks?: readonly string[];
  /** Each named once, in the order first given. @default - every environment */
  readonly environments?: readonly string[];
  readonly overrides: Overrides;
  /** Output root, absolute. @default - the current directory */
  readonly out: string;
  /** Folder of the environment files of the one selected stack, absolute. @default - the stack's own */
  readonly envDir?: string;
  readonly help: boolean;
}

export class UsageError extends Error {}

export const USAGE = `Usage: npm run synth -- [options]

Options:
  --stack NAME            stack to synthesize (repeatable; default: all)
  --env NAME              environment to synthesize, in each selected stack that
                          has it (repeatable; default: all)
  --set PATH=VALUE        override model values, Helm style (repeatable): several
                          separated by commas, {a,b} for a list, true/false/null
                          and integers typed; "\\" escapes .[]\\,= in keys and values,
                          e.g. --set components.<component>.replicas=3; with
                          several stacks, each goes to the stacks whose model
                          has its path
  --set-string PATH=VALUE the same, every value kept a string (--set cpu=2 is a number)
  -f, --values FILE       YAML file of model overrides, deep-merged (repeatable)
  --out DIR               output root holding dist/, charts-out/, ops/
                          (default: the current directory)
  --env-dir DIR           folder of the environment files of the one stack
                          named by --stack (default: the stack's own)
  -h, --help              show this help
`;

export function parseCliArgs(argv: readonly string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        stack: { type: 'string', multiple: true },
        env: { type: 'string', multiple: true },
        set: { type: 'string', multiple: true },
        'set-string': { type: 'string', multiple: true },
        values: { type: 'string', short: 'f', multiple: true },
        out: { type: 'string' },
        'env-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values } = parsed;
  for (const [flag, text] of [['--out', values.out], ['--env-dir', values['env-dir']]] as const) {
    if (text === '') throw new UsageError(`${flag} needs a folder, got ${quote(text)}`);
  }
  const sets = values.set ?? [];
  const setStrings = values['set-string'] ?? [];
  // Syntax errors once here, not once per environment.
  for (const s of sets) parseSet(s);
  for (const s of setStrings) parseSet(s, true);
  return {
    ...(values.stack ? { stacks: [...new Set(values.stack)] } : {}),
    ...(values.env ? { environments: [...new Set(values.env)] } : {}),
    overrides: { files: (values.values ?? []).map(readOverrideFile), sets, setStrings },
    out: resolve(values.out ?? process.cwd()),
    ...(values['env-dir'] !== undefined ? { envDir: resolve(values['env-dir']) } : {}),
    help: values.help ?? false,
  };
}
