import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import protobuf from 'protobufjs';
import { PROCESS_IO, type Io } from './synth-command.ts';

/*
 * `npm run import:envoy` (also the last step of `npm run import`): Envoy's v3 API as one JSON
 * descriptor bundle, imports/envoy/envoy-api.json, read by src/lib/envoy/ to validate Envoy
 * configuration. The protos come from @grpc/grpc-js-xds (a devDependency: needed to regenerate,
 * not to synth), which ships Envoy's API with the xds, protoc-gen-validate and googleapis protos
 * it imports. Not exported from the cli barrel: synth has no use for the proto parser.
 */

export const ENVOY_IMPORT_USAGE = `Usage: npx tsx src/cli/import-envoy-api.ts [options]

Writes imports/envoy/envoy-api.json: every message and enum of the v3 files under envoy/config,
envoy/extensions, envoy/type and xds/type, both TypedStructs, and every type they reference,
from the protos shipped in @grpc/grpc-js-xds. Files whose imports the package does not ship are
skipped and listed.

Options:
  --out DIR    write the bundle into DIR instead of imports/envoy
  -h, --help   show this help
`;

/** The bundle's file name in its folder. */
export const ENVOY_API_BUNDLE = 'envoy-api.json';

/** The package the protos come from. */
const PROTO_PACKAGE = '@grpc/grpc-js-xds';

/** The command that regenerates the bundle, quoted in its header. */
const REGENERATE = 'npm run import:envoy';

/** Where the protos of the API are, below the package's `deps/` folder. */
const INCLUDE_DIRS = ['envoy-api', 'googleapis', 'protoc-gen-validate', 'xds'];

/**
 * The files loaded, by include folder: every v3 file of these trees, as any of their messages may
 * be the `@type` of an Any (a typed_config). Besides envoy/, xds/type holds the matcher inputs and
 * CEL matchers Envoy's matchers take, and both TypedStructs (a typed config given as a Struct).
 */
const ROOT_FILES: Readonly<Record<string, RegExp>> = {
  'envoy-api': /^envoy\/(config|extensions|type)\/(.+\/)?v3\/[^/]+\.proto$/,
  xds: /^(xds\/type\/(.+\/)?v3|udpa\/type\/v1)\/[^/]+\.proto$/,
};

/** Kept for the validator; the well-known types are also kept so any of them can be an Any's `@type`. */
const WELL_KNOWN_TYPES = [
  'Any', 'BoolValue', 'BytesValue', 'DoubleValue', 'Duration', 'Empty', 'FieldMask', 'FloatValue', 'Int32Value', 'Int64Value',
  'ListValue', 'NullValue', 'StringValue', 'Struct', 'Timestamp', 'UInt32Value', 'UInt64Value', 'Value',
].map((name) => `.google.protobuf.${name}`);

/** Numeric kinds whose protoc-gen-validate bounds the validator checks. */
const NUMERIC_RULE_KINDS = 'double|float|int32|int64|uint32|uint64|sint32|sint64|fixed32|fixed64|sfixed32|sfixed64';

/*
 * The options the validator reads; every other option (documentation, versioning, security
 * annotations, the protoc-gen-validate rules it does not check) is dropped to keep the bundle small.
 * src/lib/envoy/_rules.ts says which rules are checked and why the others are not.
 */
const KEPT_FIELD_OPTIONS = new RegExp(
  [
    '^deprecated$',
    '^json_name$',
    '^proto3_optional$',
    '^\\(validate\\.rules\\)\\.(message|duration|any)\\.required$',
    '^\\(validate\\.rules\\)\\.string\\.(min_len|ignore_empty)$',
    `^\\(validate\\.rules\\)\\.(${NUMERIC_RULE_KINDS})\\.(gt|gte|lt|lte|ignore_empty)$`,
    '^\\(validate\\.rules\\)\\.repeated\\.(min_items|max_items)$',
  ].join('|'),
);
const KEPT_ONEOF_OPTIONS = /^\(validate\.required\)$/;
const KEPT_ENUM_VALUE_OPTIONS = /^deprecated$/;

/** A file of the API that was not loaded, and the imports it lacks. */
export interface SkippedProto {
  /** `envoy/config/trace/v3/opencensus.proto` */
  readonly file: string;
  /** Imports, direct or not, found in no include folder: `opencensus/proto/trace/v1/trace_config.proto` */
  readonly missing: readonly string[];
}

/** The bundle and how it was made. */
export interface EnvoyApiBundle {
  /** The JSON text, as written to imports/envoy/envoy-api.json. */
  readonly content: string;
  /** Number of proto files whose types are all kept (ROOT_FILES). */
  readonly files: number;
  /** Number of message and enum types in the bundle. */
  readonly types: number;
  readonly skipped: readonly SkippedProto[];
}

/** The API protos cannot be read or resolved. */
export class EnvoyImportError extends Error {}

type Json = Record<string, unknown>;

/** `node_modules/@grpc/grpc-js-xds`, found the way Node finds the package. */
function protoPackageDir(): string {
  const require = createRequire(import.meta.url);
  try {
    return dirname(require.resolve(`${PROTO_PACKAGE}/package.json`));
  } catch {
    throw new EnvoyImportError(`${PROTO_PACKAGE} is not installed; it is a devDependency: run npm ci`);
  }
}

/**
 * protobufjs carries any.proto, duration.proto and the other well-known types itself, and ships
 * google/protobuf/descriptor.proto (which the option extensions import, and which the package
 * of the protos does not hold) in its own folder, used as one more include folder.
 */
function protobufjsDir(): string {
  const descriptor = createRequire(import.meta.url).resolve('protobufjs/google/protobuf/descriptor.proto');
  return dirname(dirname(dirname(descriptor)));
}

function protoFilesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) return protoFilesUnder(path);
      return entry.endsWith('.proto') ? [path] : [];
    });
}

/** Resolves import paths the way protoc does with one `-I` per include folder. */
class ProtoPath {
  private readonly imports = new Map<string, readonly string[]>();
  private readonly missing = new Map<string, readonly string[]>();

  public constructor(private readonly includeDirs: readonly string[]) {}

  /** The file on disk, or undefined when it is bundled in protobufjs or shipped nowhere. */
  public find(file: string): string | undefined {
    return this.includeDirs.map((dir) => join(dir, file)).find((path) => existsSync(path));
  }

  /** True for google/protobuf/any.proto and the other definitions protobufjs carries itself. */
  public bundled(file: string): boolean {
    return Object.prototype.hasOwnProperty.call(protobuf.common, file);
  }

  /** Imports of `file`, direct or not, that cannot be found, sorted. */
  public missingImports(file: string): readonly string[] {
    const known = this.missing.get(file);
    if (known) return known;
    // Set before recursing: import cycles are not allowed in protos, but a broken tree must not loop.
    this.missing.set(file, []);
    const path = this.find(file);
    const result = this.bundled(file)
      ? []
      : path === undefined
        ? [file]
        : [...new Set(this.importsOf(path).flatMap((imported) => this.missingImports(imported)))].sort();
    this.missing.set(file, result);
    return result;
  }

  private importsOf(path: string): readonly string[] {
    let imports = this.imports.get(path);
    if (!imports) {
      const source = readFileSync(path, 'utf8');
      imports = [...source.matchAll(/^\s*import\s+(?:public\s+|weak\s+)?"([^"]+)"\s*;/gm)].map((m) => m[1]!);
      this.imports.set(path, imports);
    }
    return imports;
  }
}

/** Options kept from `options` (see KEPT_FIELD_OPTIONS), or undefined when none is left. */
function keptOptions(options: Json | undefined, kept: RegExp): Json | undefined {
  const entries = Object.entries(options ?? {}).filter(([key]) => kept.test(key));
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/** `obj` without its undefined values, keys sorted. */
function defined(obj: Json): Json {
  return Object.fromEntries(
    Object.entries(obj)
      .filter(([, value]) => value !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

/** Types referenced by the fields of `type`. */
function referencedTypes(type: protobuf.Type): protobuf.ReflectionObject[] {
  return type.fieldsArray.flatMap((field) => (field.resolvedType ? [field.resolvedType] : []));
}

/**
 * The JSON of protobufjs's Root#toJSON, restricted to the kept types and options, without
 * comments, reserved ranges, services or extensions. Field types stay as the .proto writes them
 * (`core.v3.Address`), as Root#toJSON writes them; src/lib/envoy resolves them the way protoc
 * does. A namespace or message kept only because a kept type is nested in it is written as a bare
 * namespace. protobufjs still loads the result (Root.fromJSON), which the tests check.
 */
class BundleWriter {
  public constructor(private readonly kept: ReadonlySet<protobuf.ReflectionObject>) {}

  /** `nested` of `ns`, or undefined when nothing in it is kept. */
  public nested(ns: protobuf.Namespace): Json | undefined {
    const entries = ns.nestedArray.flatMap((child): [string, Json][] => {
      const json = this.node(child);
      return json ? [[child.name, json]] : [];
    });
    return entries.length > 0 ? defined(Object.fromEntries(entries)) : undefined;
  }

  private node(obj: protobuf.ReflectionObject): Json | undefined {
    if (obj instanceof protobuf.Type && this.kept.has(obj)) return this.type(obj);
    if (obj instanceof protobuf.Enum) return this.kept.has(obj) ? this.enum(obj) : undefined;
    if (obj instanceof protobuf.Namespace) {
      const nested = this.nested(obj);
      return nested ? { nested } : undefined;
    }
    return undefined;
  }

  private type(type: protobuf.Type): Json {
    const fields = Object.fromEntries(type.fieldsArray.map((field) => [field.name, this.field(field)]));
    const oneofs = type.oneofsArray.map((oneof): [string, Json] => [
      oneof.name,
      defined({ oneof: [...oneof.oneof], options: keptOptions(oneof.options, KEPT_ONEOF_OPTIONS) }),
    ]);
    return defined({
      edition: type._editionToJSON(),
      fields: defined(fields),
      nested: this.nested(type),
      oneofs: oneofs.length > 0 ? defined(Object.fromEntries(oneofs)) : undefined,
    });
  }

  private field(field: protobuf.Field): Json {
    const map = field instanceof protobuf.MapField;
    return defined({
      id: field.id,
      keyType: map ? field.keyType : undefined,
      options: keptOptions(field.options, KEPT_FIELD_OPTIONS),
      rule: field.repeated && !map ? 'repeated' : field.required ? 'required' : undefined,
      type: field.type,
    });
  }

  private enum(en: protobuf.Enum): Json {
    const valuesOptions = Object.entries(en.valuesOptions ?? {}).flatMap(([name, options]): [string, Json][] => {
      const kept = keptOptions(options, KEPT_ENUM_VALUE_OPTIONS);
      return kept ? [[name, kept]] : [];
    });
    return defined({
      edition: en._editionToJSON(),
      values: defined({ ...en.values }),
      valuesOptions: valuesOptions.length > 0 ? defined(Object.fromEntries(valuesOptions)) : undefined,
    });
  }
}

/** `{ "key":value, ... }` with one entry per line. */
function block(entries: readonly (readonly [string, string])[]): string {
  return entries.length === 0 ? '{}' : `{\n${entries.map(([key, text]) => `${JSON.stringify(key)}:${text}`).join(',\n')}\n}`;
}

/**
 * One line per field and per enum, not indented: a change to the API shows as a diff of the lines
 * of the fields it touches, and the file stays close to the size of minified JSON (indenting the
 * tree would add a third). Keys are sorted already.
 */
function nodeText(node: Json): string {
  return block(
    Object.entries(node).map(([key, value]) => {
      if (key === 'nested') return [key, block(Object.entries(value as Json).map(([name, child]) => [name, nodeText(child as Json)]))];
      if (key === 'fields') return [key, block(Object.entries(value as Json).map(([name, field]) => [name, JSON.stringify(field)]))];
      return [key, JSON.stringify(value)];
    }),
  );
}

/** Loads the API protos and builds the bundle in memory. */
export function buildEnvoyApiBundle(): EnvoyApiBundle {
  const packageDir = protoPackageDir();
  const version = (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
  const includeDirs = [...INCLUDE_DIRS.map((dir) => join(packageDir, 'deps', dir)), protobufjsDir()];
  const missingDir = includeDirs.find((dir) => !existsSync(dir));
  if (missingDir) throw new EnvoyImportError(`${PROTO_PACKAGE} ${version}: ${missingDir} not found; the package no longer ships the protos there`);

  const candidates = Object.entries(ROOT_FILES).flatMap(([dir, pattern]) => {
    const base = join(packageDir, 'deps', dir);
    return protoFilesUnder(base)
      .map((path) => relative(base, path).split('\\').join('/'))
      .filter((file) => pattern.test(file));
  });
  const protoPath = new ProtoPath(includeDirs);
  const skipped = candidates.flatMap((file): SkippedProto[] => {
    const missing = protoPath.missingImports(file);
    return missing.length > 0 ? [{ file, missing }] : [];
  });
  const files = candidates.filter((file) => !skipped.some((s) => s.file === file));

  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (protoPath.bundled(target) ? target : (protoPath.find(target) ?? target));
  try {
    root.loadSync(files, { keepCase: true });
    root.resolveAll();
  } catch (err) {
    throw new EnvoyImportError(`${PROTO_PACKAGE} ${version}: cannot load the Envoy API protos: ${(err as Error).message}`);
  }

  const rootFiles = new Set(files.map((file) => protoPath.find(file)!));
  const kept = new Set<protobuf.ReflectionObject>();
  const pending: protobuf.ReflectionObject[] = [...WELL_KNOWN_TYPES.map((name) => root.lookup(name)!)];
  const collect = (ns: protobuf.NamespaceBase): void => {
    for (const child of ns.nestedArray) {
      const declared = child.filename !== null && rootFiles.has(child.filename);
      if ((child instanceof protobuf.Type || child instanceof protobuf.Enum) && declared) pending.push(child);
      if (child instanceof protobuf.Namespace) collect(child);
    }
  };
  collect(root);
  for (let obj = pending.pop(); obj; obj = pending.pop()) {
    if (kept.has(obj)) continue;
    kept.add(obj);
    if (obj instanceof protobuf.Type) pending.push(...referencedTypes(obj));
  }

  const header = [
    `Generated by src/cli/import-envoy-api.ts; do not edit. Regenerate: ${REGENERATE}`,
    `Envoy v3 API descriptors (protobufjs JSON, only the options src/lib/envoy reads) from the protos of ${PROTO_PACKAGE} ${version}`,
    ...skipped.map((s) => `Not included, its imports are not shipped: ${s.file} (${s.missing.join(', ')})`),
  ];
  const bundle = { '//': header, nested: new BundleWriter(kept).nested(root) };
  const types = [...kept].filter((obj) => obj instanceof protobuf.Type || obj instanceof protobuf.Enum).length;
  return { content: `${nodeText(bundle)}\n`, files: files.length, types, skipped };
}

/** Builds the bundle and writes it to `out/envoy-api.json` (through a temporary file, so a failure leaves the old one). */
export function importEnvoyApi(out: string): EnvoyApiBundle {
  const bundle = buildEnvoyApiBundle();
  mkdirSync(out, { recursive: true });
  const file = join(out, ENVOY_API_BUNDLE);
  writeFileSync(`${file}.tmp`, bundle.content);
  renameSync(`${file}.tmp`, file);
  return bundle;
}

/** `tsx src/cli/import-envoy-api.ts [--out DIR]`, run from the project root. */
export function runImportEnvoyApi(argv: readonly string[], io: Io = PROCESS_IO): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      allowPositionals: false,
      options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    io.err(`import-envoy-api: ${(err as Error).message}\n\n${ENVOY_IMPORT_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(ENVOY_IMPORT_USAGE);
    return 0;
  }
  const out = resolve(values.out ?? 'imports/envoy');
  try {
    const bundle = importEnvoyApi(out);
    for (const s of bundle.skipped) io.out(`import-envoy-api: skipped ${s.file}: imports not shipped: ${s.missing.join(', ')}`);
    const kib = (Buffer.byteLength(bundle.content) / 1024).toFixed(0);
    io.out(`import-envoy-api: ${bundle.types} types from ${bundle.files} files written to ${relative(process.cwd(), join(out, ENVOY_API_BUNDLE))} (${kib} KiB)`);
    return 0;
  } catch (err) {
    if (err instanceof EnvoyImportError) {
      io.err(`import-envoy-api failed; nothing was written:\n${err.message}`);
      return 1;
    }
    throw err;
  }
}
