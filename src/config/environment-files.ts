import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { importModule } from '../lib/_import-module.ts';
import { printable } from '../lib/values/index.ts';
import { toPlainData, type DataIssue } from './_plain-data.ts';

/** An environment file name: the environment's name (a DNS-1123 label, it names namespaces) and `.ts`. */
const ENVIRONMENT_FILE = /^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)\.ts$/;

/** The folder as messages print it: relative to the working directory when inside it. */
const shown = (path: string): string => {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
};

/** Problems with the environment files themselves: a bad name, a module that cannot load. */
export class EnvironmentFileError extends Error {
  public constructor(
    public readonly environment: string,
    public readonly problems: readonly string[],
  ) {
    super(problems.map((p) => printable(`[${environment}] ${p}`)).join('\n'));
    this.name = 'EnvironmentFileError';
  }
}

/**
 * Names of the environments in `dir`, sorted. Every file there must be `<name>.ts`; besides
 * those, only `_<helper>.ts` modules, dot files and a README.md may sit there, so a misnamed
 * environment (`QA.ts`, `qa_env.ts`, `qa.yaml`) is refused rather than silently left out.
 */
export function listEnvironments(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    throw new EnvironmentFileError('(environments)', [`${shown(dir)}: cannot list it: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`]);
  }
  const names: string[] = [];
  const problems: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.') || (e.name.startsWith('_') && e.name.endsWith('.ts')) || e.name === 'README.md') continue;
    const m = ENVIRONMENT_FILE.exec(e.name);
    if (m && e.isFile()) names.push(m[1]!);
    else {
      problems.push(
        `${shown(join(dir, e.name))}: not an environment file: each must be named <environment>.ts, the name a DNS-1123 label ` +
          '(lower-case letters, digits and "-"); helpers are named _<name>.ts',
      );
    }
  }
  if (problems.length > 0) throw new EnvironmentFileError('(environments)', problems.sort());
  return names.sort();
}

/**
 * A module's load error as one line: esbuild's `file:line:col: ERROR: why` becomes
 * `file:line:col: why`; anything else `file: cannot be loaded: <first line>`.
 */
function loadFailure(file: string, err: unknown): string {
  // Duck-typed: a loader may throw an error of another realm.
  const message = typeof (err as { message?: unknown })?.message === 'string' ? (err as { message: string }).message : String(err);
  const located = /\.ts:(\d+:\d+): ERROR: (.*)/.exec(message);
  if (located) return `${shown(file)}:${located[1]}: ${located[2]}`;
  return `${shown(file)}: cannot be loaded: ${message.split('\n').find((l) => l.trim() !== '')?.trim() ?? 'unknown error'}`;
}

/**
 * Imports the environment's module and copies its default export as plain data. Throws an
 * EnvironmentFileError when the module cannot be loaded; returns the data's issues (a BigInt,
 * a function, a getter that throws ...) at their field paths otherwise.
 */
export async function importEnvironment(env: string, dir: string): Promise<{ readonly value?: unknown; readonly issues: readonly DataIssue[] }> {
  const file = join(dir, `${env}.ts`);
  let mod: { default?: unknown };
  try {
    mod = (await importModule(pathToFileURL(file).href)) as { default?: unknown };
  } catch (err) {
    throw new EnvironmentFileError(env, [loadFailure(file, err)]);
  }
  let model: unknown;
  try {
    model = mod.default;
  } catch (err) {
    throw new EnvironmentFileError(env, [`${shown(file)}: reading its default export failed: ${(err as Error).message}`]);
  }
  if (typeof model !== 'object' || model === null || Array.isArray(model)) {
    throw new EnvironmentFileError(env, [`${shown(file)}: must export the environment's model as its default export (a map), got ${model === undefined ? 'none' : model === null ? 'null' : Array.isArray(model) ? 'a list' : typeof model}`]);
  }
  return toPlainData(model);
}
