import { parseArgs } from 'node:util';
import { readOverrideFile, type Overrides } from '../config/index.ts';

/** Options shared by `synth` and `check`. */
export interface CliOptions {
  /** @default - every environment */
  readonly environments?: readonly string[];
  readonly overrides: Overrides;
  /** Output root. @default - the current directory */
  readonly out: string;
  readonly help: boolean;
}

export class UsageError extends Error {}

export const USAGE = `Usage: npm run synth -- [options]

Options:
  --env NAME          environment to synthesize (repeatable; default: all)
  --set PATH=VALUE    override one model value, Helm style (repeatable),
                      e.g. --set components.pinOrchestrator.replicas=3
  -f, --values FILE   YAML file of model overrides, deep-merged (repeatable)
  --out DIR           output root holding dist/ (default: the current directory)
  -h, --help          show this help
`;

export function parseCliArgs(argv: readonly string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        env: { type: 'string', multiple: true },
        set: { type: 'string', multiple: true },
        values: { type: 'string', short: 'f', multiple: true },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values } = parsed;
  return {
    ...(values.env ? { environments: values.env } : {}),
    overrides: { files: (values.values ?? []).map(readOverrideFile), sets: values.set ?? [] },
    out: values.out ?? process.cwd(),
    help: values.help ?? false,
  };
}
