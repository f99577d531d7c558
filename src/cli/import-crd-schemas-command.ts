import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { _, Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import yaml from 'js-yaml';
import { CRD_FORMATS, crdVersionSchema, CrdSchemaError } from './_structural-schema.ts';
import { PROCESS_IO, type Io } from './synth-command.ts';

/*
 * `npm run import`, second step: a precompiled ajv validator per served version of every CRD in
 * cdk8s.yaml, from the CRD's own openAPIV3Schema. Synth validates custom resources with them
 * (src/render/_crd-schemas.ts) without compiling anything. Not exported from the cli barrel: the
 * synth entry point has no use for ajv's code generator.
 */

export const IMPORT_USAGE = `Usage: npx tsx src/cli/import-crd-schemas.ts [options]

Writes imports/schemas/<plural>.<group>.<version>.cjs for every served version of every CRD
listed under imports: in cdk8s.yaml, and removes the files it no longer produces.

Options:
  --from DIR   read each CRD from DIR/<file name of its URL> instead of downloading it
  -h, --help   show this help
`;

/** Where the generator reads and writes. */
export interface ImportCrdSchemasOptions {
  /** The cdk8s.yaml listing the CRDs under `imports:`. */
  readonly config: string;
  /** Folder of the generated validators; the generator owns it whole. */
  readonly out: string;
  /** @default - download each CRD from its URL */
  readonly from?: string;
}

/** One generated file. */
export interface GeneratedSchema {
  /** `externalsecrets.external-secrets.io.v1.cjs` */
  readonly file: string;
  readonly content: string;
}

/** A CRD that cannot be read or compiled, naming the file and field. */
export class ImportError extends Error {}

/** The command that regenerates the files, quoted in their header. */
const REGENERATE = 'npm run import (offline: npx tsx src/cli/import-crd-schemas.ts --from DIR)';

interface ImportEntry {
  /** `cdk8s.yaml imports[4]`, for errors. */
  readonly where: string;
  readonly url: string;
}

/** The CRD sources of cdk8s.yaml's `imports:` (`<module>:=<url>` or `<url>`; `k8s` is skipped). */
function readImports(config: string): ImportEntry[] {
  const name = basename(config);
  let doc: { imports?: unknown } | null;
  try {
    doc = yaml.load(readFileSync(config, 'utf8')) as { imports?: unknown } | null;
  } catch (err) {
    throw new ImportError(`${name}: cannot read the CRD list: ${(err as Error).message}`);
  }
  const imports = doc?.imports ?? [];
  if (!Array.isArray(imports)) throw new ImportError(`${name} imports: must be a list, got ${JSON.stringify(imports)}`);
  return imports.flatMap((entry: unknown, i): ImportEntry[] => {
    const where = `${name} imports[${i}]`;
    if (typeof entry !== 'string') throw new ImportError(`${where}: must be "<module>:=<url>", got ${JSON.stringify(entry)}`);
    const url = entry.includes(':=') ? entry.slice(entry.indexOf(':=') + 2) : entry;
    // The core API, validated by kubernetes-models, not a CRD.
    if (/^k8s(@.*)?$/.test(url)) return [];
    return [{ where, url }];
  });
}

/** The CRD's text: from `from/<file name of the URL>`, the URL, or a path beside cdk8s.yaml. */
async function readCrdText(entry: ImportEntry, options: ImportCrdSchemasOptions): Promise<string> {
  const remote = /^https?:\/\//.test(entry.url);
  const file = options.from
    ? join(options.from, basename(remote ? new URL(entry.url).pathname : entry.url))
    : remote
      ? undefined
      : resolve(dirname(options.config), entry.url);
  if (file) {
    try {
      return readFileSync(file, 'utf8');
    } catch (err) {
      throw new ImportError(`${entry.where}: cannot read ${file} for ${entry.url}: ${(err as Error).message}`);
    }
  }
  const response = await fetch(entry.url).catch((err: Error) => {
    throw new ImportError(`${entry.where}: cannot download ${entry.url}: ${err.message} (offline? use --from DIR)`);
  });
  if (!response.ok) throw new ImportError(`${entry.where}: cannot download ${entry.url}: HTTP ${response.status}`);
  return response.text();
}

interface Crd {
  readonly metadata: { readonly name: string };
  readonly spec: {
    readonly group: string;
    readonly names: { readonly kind: string };
    readonly versions: readonly { readonly name: string; readonly served: boolean; readonly schema?: { readonly openAPIV3Schema?: unknown } }[];
  };
}

/** The one CustomResourceDefinition in `text`, checked for the fields the generator reads. */
function parseCrd(text: string, file: string): Crd {
  let docs: unknown[];
  try {
    docs = yaml.loadAll(text).filter((d) => d !== null && d !== undefined);
  } catch (err) {
    throw new ImportError(`${file}: not valid YAML: ${(err as Error).message}`);
  }
  const crds = docs.filter((d) => (d as { kind?: unknown }).kind === 'CustomResourceDefinition') as Crd[];
  if (crds.length !== 1) throw new ImportError(`${file}: expected one CustomResourceDefinition, found ${crds.length}`);
  const crd = crds[0]!;
  const checks: [boolean, string][] = [
    [typeof crd.metadata?.name === 'string', 'metadata.name: must be a string'],
    [typeof crd.spec?.group === 'string', 'spec.group: must be a string'],
    [typeof crd.spec?.names?.kind === 'string', 'spec.names.kind: must be a string'],
    [Array.isArray(crd.spec?.versions) && crd.spec.versions.every((v) => typeof v?.name === 'string'), 'spec.versions: must be a list of named versions'],
  ];
  const problems = checks.filter(([ok]) => !ok).map(([, message]) => `${file} ${message}`);
  if (problems.length > 0) throw new ImportError(problems.join('\n'));
  return crd;
}

/** ajv's standalone code for one schema: CommonJS, one statement per line, every error reported. */
function compileStandalone(schema: object): string {
  const ajv = new Ajv({
    allErrors: true,
    // Refuses unknown keywords, so nothing in a CRD is silently skipped...
    strict: true,
    // ...except for type checks: in a structural schema, the nodes under anyOf/allOf/oneOf/not
    // take their type from the enclosing node, which ajv's strictTypes does not know.
    strictTypes: false,
    // int-or-string becomes `type: [integer, string]`.
    allowUnionTypes: true,
    // The generated code requires at run time the same format implementations added here.
    code: { source: true, lines: true, formats: _`require("ajv-formats/dist/formats").fullFormats` },
  });
  for (const format of CRD_FORMATS) ajv.addFormat(format, fullFormats[format]);
  // A CommonJS module imported from ESM: the function is module.exports, also exported as default.
  return standaloneCode.default(ajv, ajv.compile(schema));
}

/**
 * Compiles every served version of the CRD in `text` (read from `url`) into a validator module.
 * Throws an ImportError naming `file` and the field when the CRD cannot be converted.
 */
export function compileCrdSchemas(text: string, url: string, file = basename(url)): GeneratedSchema[] {
  const crd = parseCrd(text, file);
  const { group, names } = crd.spec;
  return crd.spec.versions.flatMap((version, i): GeneratedSchema[] => {
    if (!version.served) return [];
    const where = `${file} spec.versions[${i}].schema.openAPIV3Schema`;
    if (version.schema?.openAPIV3Schema === undefined) throw new ImportError(`${where}: missing; a served version needs a schema`);
    let code: string;
    try {
      const schema = crdVersionSchema(version.schema.openAPIV3Schema, { apiVersion: `${group}/${version.name}`, kind: names.kind }, where);
      code = compileStandalone(schema);
    } catch (err) {
      if (err instanceof CrdSchemaError) throw new ImportError(err.message);
      throw new ImportError(`${where}: ajv cannot compile it: ${(err as Error).message}`);
    }
    const header = [
      `// Generated by src/cli/import-crd-schemas.ts; do not edit. Regenerate: ${REGENERATE}`,
      `// ajv validator of ${names.kind} ${group}/${version.name}, from the openAPIV3Schema of the CustomResourceDefinition ${crd.metadata.name}`,
      `// ${url}`,
    ];
    return [{ file: `${crd.metadata.name}.${version.name}.cjs`, content: `${header.join('\n')}\n${code.trimEnd()}\n` }];
  });
}

/**
 * Generates the validators of every CRD in the config into `out`, replacing the folder's
 * content. Everything is compiled before anything is written, so a failure leaves `out` as it
 * was. Returns the files written, sorted.
 */
export async function importCrdSchemas(options: ImportCrdSchemasOptions): Promise<string[]> {
  const generated: GeneratedSchema[] = [];
  for (const entry of readImports(options.config)) {
    generated.push(...compileCrdSchemas(await readCrdText(entry, options), entry.url));
  }
  const files = generated.map((g) => g.file).sort();
  const duplicate = files.find((f, i) => files[i + 1] === f);
  if (duplicate) throw new ImportError(`${basename(options.config)} imports: two entries generate ${duplicate}`);

  mkdirSync(options.out, { recursive: true });
  for (const stale of readdirSync(options.out)) {
    if (!files.includes(stale)) rmSync(join(options.out, stale), { recursive: true });
  }
  for (const g of generated) writeFileSync(join(options.out, g.file), g.content);
  return files;
}

/** `tsx src/cli/import-crd-schemas.ts [--from DIR]`, run from the project root. */
export async function runImportCrdSchemas(argv: readonly string[], io: Io = PROCESS_IO): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      // Refuses unknown keywords, so nothing in a CRD is silently skipped...
    strict: true,
    // ...except for type checks: in a structural schema, the nodes under anyOf/allOf/oneOf/not
    // take their type from the enclosing node, which ajv's strictTypes does not know.
    strictTypes: false,
      allowPositionals: false,
      options: { from: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    io.err(`import-crd-schemas: ${(err as Error).message}\n\n${IMPORT_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(IMPORT_USAGE);
    return 0;
  }
  const out = resolve('imports/schemas');
  try {
    const files = await importCrdSchemas({ config: resolve('cdk8s.yaml'), out, ...(values.from ? { from: resolve(values.from) } : {}) });
    io.out(`import-crd-schemas: ${files.length} validators written to imports/schemas/`);
    return 0;
  } catch (err) {
    if (err instanceof ImportError) {
      io.err(`import-crd-schemas failed; nothing was written:\n${err.message}`);
      return 1;
    }
    throw err;
  }
}
