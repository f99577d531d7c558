import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { re2ToJavaScript } from '../../src/cli/_structural-schema.ts';
import { compileCrdSchemas, importCrdSchemas, runImportCrdSchemas } from '../../src/cli/import-crd-schemas-command.ts';
import { readTree, tempDir } from '../_helpers.ts';

type Json = Record<string, unknown>;

const URL_OF_CRD = 'https://example.com/crds/v1.0.0/example.com_widgets.yaml';

/** A small CRD using every part of the structural-schema dialect the generator converts. */
function widgetCrd(spec: Json = {}, extra: Json = {}): Json {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      names: { kind: 'Widget', plural: 'widgets' },
      scope: 'Namespaced',
      versions: [
        { name: 'v1alpha1', served: false, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description: 'A widget.',
              properties: {
                apiVersion: { type: 'string' },
                kind: { type: 'string' },
                metadata: { type: 'object' },
                spec: {
                  type: 'object',
                  required: ['size'],
                  properties: {
                    size: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }], pattern: '^[0-9]+Gi$' },
                    replicas: { type: 'integer', format: 'int32', default: 1 },
                    since: { type: 'string', format: 'date-time', nullable: true },
                    payload: { type: 'string', format: 'byte' },
                    onError: { type: 'string', pattern: '^(?i)(abort|warn)$' },
                    tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
                    config: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { level: { type: 'integer' } } },
                    labels: { type: 'object', additionalProperties: { type: 'string' }, 'x-kubernetes-map-type': 'granular' },
                    rules: { type: 'array', items: { type: 'string' }, 'x-kubernetes-validations': [{ rule: 'self.size() > 0' }] },
                    pair: { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } }, allOf: [{ properties: { a: { minLength: 2 } } }] },
                    ...spec,
                  },
                },
              },
              ...extra,
            },
          },
        },
      ],
    },
  };
}

/** Writes a cdk8s.yaml importing the widget CRD from URL_OF_CRD, and the CRD in `<dir>/crds/`. */
function project(crd: Json = widgetCrd()): { config: string; from: string; out: string } {
  const dir = tempDir('crd-import');
  const from = join(dir, 'crds');
  mkdirSync(from);
  writeFileSync(join(from, 'example.com_widgets.yaml'), yaml.dump(crd));
  writeFileSync(join(dir, 'cdk8s.yaml'), yaml.dump({ language: 'typescript', imports: [`widgets:=${URL_OF_CRD}`] }));
  return { config: join(dir, 'cdk8s.yaml'), from, out: join(dir, 'imports', 'schemas') };
}

interface Validator {
  (data: unknown): boolean;
  errors?: { instancePath: string; message?: string; params?: Json }[] | null;
}

/** Evaluates a generated CommonJS module, resolving its requires (ajv, ajv-formats) from the project. */
function load(content: string): Validator {
  const module = { exports: {} as unknown };
  new Function('module', 'exports', 'require', content)(module, module.exports, createRequire(import.meta.url));
  return module.exports as Validator;
}

const widget = (spec: Json): Json => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1, ...spec } });

/** The errors of `obj` as `path message`, or [] when valid. */
function errorsOf(validate: Validator, obj: Json): string[] {
  return validate(obj) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

describe('import-crd-schemas |', () => {
  it('GIVEN the same CRD WHEN the generator runs twice into two folders and again over the first THEN every file is byte-identical', async () => {
    const { config, from, out } = project();
    const other = join(tempDir('crd-import-b'), 'schemas');
    await importCrdSchemas({ config, from, out });
    const first = readTree(out);
    await importCrdSchemas({ config, from, out: other });
    await importCrdSchemas({ config, from, out });
    for (const tree of [readTree(other), readTree(out)]) {
      expect([...tree.keys()]).toEqual([...first.keys()]);
      for (const [file, bytes] of first) expect(bytes.equals(tree.get(file)!), file).toBe(true);
    }
  });

  it('GIVEN a CRD with a served and an unserved version WHEN imported THEN only the served one is written, with a header naming source and command', async () => {
    const { config, from, out } = project();
    expect(await importCrdSchemas({ config, from, out })).toEqual(['widgets.example.com.v1.cjs']);
    const content = readFileSync(join(out, 'widgets.example.com.v1.cjs'), 'utf8');
    expect(content.split('\n').slice(0, 3)).toEqual([
      expect.stringMatching(/^\/\/ Generated by src\/cli\/import-crd-schemas\.ts; do not edit\. Regenerate: npm run import/),
      expect.stringContaining('Widget example.com/v1'),
      `// ${URL_OF_CRD}`,
    ]);
    expect(content).not.toContain(from);
  });

  it('GIVEN a folder holding a file the generator no longer produces WHEN imported THEN that file is removed', async () => {
    const { config, from, out } = project();
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'gadgets.example.com.v1.cjs'), '');
    await importCrdSchemas({ config, from, out });
    expect(readdirSync(out)).toEqual(['widgets.example.com.v1.cjs']);
  });

  describe('the generated validator |', () => {
    const [generated] = compileCrdSchemas(yaml.dump(widgetCrd()), URL_OF_CRD);
    const validate = load(generated!.content);

    it('GIVEN a minimal valid object THEN it passes', () => {
      expect(errorsOf(validate, widget({}))).toEqual([]);
    });

    it('GIVEN x-kubernetes-int-or-string THEN an integer and a string pass, a boolean fails, and the string pattern still applies', () => {
      expect(errorsOf(validate, widget({ size: 3 }))).toEqual([]);
      expect(errorsOf(validate, widget({ size: '3Gi' }))).toEqual([]);
      expect(errorsOf(validate, widget({ size: true }))).toEqual(['/spec/size must be integer,string']);
      expect(errorsOf(validate, widget({ size: '3GB' }))).toEqual(['/spec/size must match pattern "^[0-9]+Gi$"']);
    });

    it('GIVEN nullable THEN null passes, and the format is checked otherwise', () => {
      expect(errorsOf(validate, widget({ since: null }))).toEqual([]);
      expect(errorsOf(validate, widget({ since: '2025-01-31T12:00:00Z' }))).toEqual([]);
      expect(errorsOf(validate, widget({ since: 'yesterday' }))).toEqual(['/spec/since must match format "date-time"']);
    });

    it('GIVEN formats int32 and byte THEN out-of-range and non-base64 values fail', () => {
      expect(errorsOf(validate, widget({ replicas: 2 ** 31 - 1, payload: 'aGVsbG8=' }))).toEqual([]);
      expect(errorsOf(validate, widget({ replicas: 2 ** 31, payload: 'not base64!' }))).toEqual([
        '/spec/replicas must match format "int32"',
        '/spec/payload must match format "byte"',
      ]);
    });

    it("GIVEN a Go pattern with (?i) THEN it matches case-insensitively, as the API server's RE2 does", () => {
      expect(errorsOf(validate, widget({ onError: 'ABORT' }))).toEqual([]);
      expect(errorsOf(validate, widget({ onError: 'Warn' }))).toEqual([]);
      expect(errorsOf(validate, widget({ onError: 'ignore' }))).toHaveLength(1);
    });

    it('GIVEN x-kubernetes-list-type: set THEN a duplicate item fails', () => {
      expect(errorsOf(validate, widget({ tags: ['a', 'a'] }))).toEqual([expect.stringMatching(/^\/spec\/tags must NOT have duplicate items/)]);
    });

    it('GIVEN x-kubernetes-preserve-unknown-fields THEN unknown fields pass there and declared ones are still checked', () => {
      expect(errorsOf(validate, widget({ config: { level: 2, anything: { at: ['all'] } } }))).toEqual([]);
      expect(errorsOf(validate, widget({ config: { level: 'high' } }))).toEqual(['/spec/config/level must be integer']);
    });

    it('GIVEN a misspelled field in spec or at the root THEN it fails, naming it; a map (additionalProperties) takes any key', () => {
      expect(errorsOf(validate, widget({ labels: { any: 'key' } }))).toEqual([]);
      expect(validate({ ...widget({ sizee: 1 }), stauts: {} })).toBe(false);
      expect(validate.errors).toEqual([
        expect.objectContaining({ instancePath: '', params: { additionalProperty: 'stauts' } }),
        expect.objectContaining({ instancePath: '/spec', params: { additionalProperty: 'sizee' } }),
      ]);
    });

    it('GIVEN a schema inside allOf THEN it constrains its parent without closing it', () => {
      expect(errorsOf(validate, widget({ pair: { a: 'xy', b: 'z' } }))).toEqual([]);
      expect(errorsOf(validate, widget({ pair: { a: 'x' } }))).toEqual(['/spec/pair/a must NOT have fewer than 2 characters']);
    });

    it('GIVEN a wrong apiVersion, no kind and metadata that is not an object THEN the root names each', () => {
      const obj = { apiVersion: 'example.com/v2', metadata: 'w', spec: { size: 1 } };
      expect(errorsOf(validate, obj)).toEqual([
        ' must have required property \'kind\'',
        '/apiVersion must be equal to constant',
        '/metadata must be object',
      ]);
    });

    it('GIVEN a CEL rule (x-kubernetes-validations) THEN it is not evaluated: the API server checks it, ajv cannot', () => {
      expect(errorsOf(validate, widget({ rules: [] }))).toEqual([]);
    });
  });

  describe('errors |', () => {
    const compile = (crd: Json): (() => unknown) => () => compileCrdSchemas(yaml.dump(crd), URL_OF_CRD);
    const at = 'example.com_widgets.yaml spec.versions[1].schema.openAPIV3Schema.properties.spec.properties';

    it('GIVEN a format the generator does not know WHEN compiled THEN it names file, field and format', () => {
      expect(compile(widgetCrd({ id: { type: 'string', format: 'uuid' } }))).toThrow(
        `${at}.id.format: unsupported format "uuid"; supported: byte, date-time, int32, int64`,
      );
    });

    it('GIVEN an x-kubernetes extension the generator does not know WHEN compiled THEN it names file and field', () => {
      expect(compile(widgetCrd({ inner: { type: 'object', 'x-kubernetes-embedded-resource': true } }))).toThrow(
        `${at}.inner.x-kubernetes-embedded-resource: unsupported extension`,
      );
    });

    it('GIVEN a Go pattern JavaScript cannot express WHEN compiled THEN it names file, field and pattern', () => {
      expect(compile(widgetCrd({ name: { type: 'string', pattern: '^a\\z' } }))).toThrow(`${at}.name.pattern: Go RE2 pattern "^a\\\\z" has no JavaScript equivalent`);
    });

    it('GIVEN a served version without a schema WHEN compiled THEN it names file and version', () => {
      const crd = widgetCrd();
      delete ((crd['spec'] as { versions: Json[] }).versions[1]!)['schema'];
      expect(compile(crd)).toThrow('example.com_widgets.yaml spec.versions[1].schema.openAPIV3Schema: missing; a served version needs a schema');
    });

    it('GIVEN a file that is not a CRD WHEN compiled THEN it says so', () => {
      expect(compile({ apiVersion: 'v1', kind: 'ConfigMap' })).toThrow('example.com_widgets.yaml: expected one CustomResourceDefinition, found 0');
    });

    it('GIVEN --from without the CRD file WHEN imported THEN it names the cdk8s.yaml entry, the file and the URL, and writes nothing', async () => {
      const { config, out } = project();
      const empty = tempDir('crd-import-empty');
      await expect(importCrdSchemas({ config, from: empty, out })).rejects.toThrow(
        `cdk8s.yaml imports[0]: cannot read ${join(empty, 'example.com_widgets.yaml')} for ${URL_OF_CRD}`,
      );
      expect(() => readdirSync(out)).toThrow(/ENOENT/);
    });

    it('GIVEN an unknown option WHEN the command runs THEN it prints the usage and exits 2', async () => {
      const err: string[] = [];
      expect(await runImportCrdSchemas(['--form', 'x'], { out: () => {}, err: (l) => err.push(l) })).toBe(2);
      expect(err.join('\n')).toMatch(/Unknown option '--form'[\s\S]*--from DIR/);
    });
  });

  describe('re2ToJavaScript |', () => {
    it.each([
      ['^(?i)(abort|warn)?$', '^([aA][bB][oO][rR][tT]|[wW][aA][rR][nN])?$'],
      ['^((?i)sun|mon)day$', '^([sS][uU][nN]|[mM][oO][nN])day$'],
      ['^(?i:ab)c$', '^(?:[aA][bB])c$'],
      ['^(?i)[a-c_]\\d$', '^[a-c_A-C]\\d$'],
      ['^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'],
    ])('GIVEN %s THEN %s', (re2, js) => {
      expect(re2ToJavaScript(re2)).toBe(js);
    });
  });
});
