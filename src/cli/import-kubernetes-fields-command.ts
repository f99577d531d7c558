import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { BUILTIN_KINDS } from '../render/_schemas.ts';
import { KUBERNETES_FIELDS_PATH, type KubernetesFields } from '../render/_kubernetes-fields.ts';

/*
 * `npm run import`, a step: the fields of every built-in kind synth renders, read with the
 * TypeScript checker from kubernetes-models' interfaces (the Kubernetes OpenAPI types). Synth
 * refuses a field none of them declares, as `kubectl apply --validate=strict` does; the
 * kubernetes-models validators accept unknown fields.
 */

/**
 * The field tree of `kinds` (key `<apiVersion>/<kind>` to module and class): each object type
 * by name with the shape of each field, a type name, `[]<shape>` for a list, `map` for a string
 * map, `leaf` for a scalar.
 */
export function kubernetesFields(root: string, kinds: typeof BUILTIN_KINDS): KubernetesFields {
  const probe = join(root, `.kubernetes-fields-probe-${process.pid}.ts`);
  const entries = Object.entries(kinds);
  writeFileSync(probe, entries.map(([, k], n) => `import type { I${k.model} as T${n} } from '${k.module}';\nexport type K${n} = T${n};\n`).join(''));
  try {
    const program = ts.createProgram([probe], { strict: true, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, skipLibCheck: true, noEmit: true });
    const checker = program.getTypeChecker();
    const source = program.getSourceFile(probe)!;
    const types: Record<string, Record<string, string>> = {};
    const objectOf = (t: ts.Type): ts.Type | undefined => {
      if (t.isUnion()) return t.types.map(objectOf).find((o) => o !== undefined);
      if (checker.isArrayType(t)) return undefined;
      return t.flags & ts.TypeFlags.Object && checker.getPropertiesOfType(t).length > 0 ? t : undefined;
    };
    const shape = (type: ts.Type): string => {
      const t = checker.getNonNullableType(type);
      if (checker.isArrayType(t)) return `[]${shape(checker.getTypeArguments(t as ts.TypeReference)[0]!)}`;
      const o = objectOf(t);
      if (!o) return checker.getIndexInfosOfType(t).length > 0 ? 'map' : 'leaf';
      const name = checker.typeToString(o);
      if (!types[name]) {
        types[name] = {};
        const fields: Record<string, string> = {};
        for (const p of checker.getPropertiesOfType(o).sort((a, b) => (a.name < b.name ? -1 : 1))) fields[p.name] = shape(checker.getTypeOfSymbolAtLocation(p, source));
        types[name] = fields;
      }
      return name;
    };
    const roots: Record<string, string> = {};
    const aliases = source.statements.filter(ts.isTypeAliasDeclaration);
    entries.forEach(([key], n) => (roots[key] = shape(checker.getTypeAtLocation(aliases[n]!.name))));
    const sorted = Object.fromEntries(Object.keys(types).sort().map((k) => [k, types[k]!]));
    return { kinds: roots, types: sorted };
  } finally {
    rmSync(probe, { force: true });
  }
}

/** Writes the field tree under `root` (imports/kubernetes-fields.json); returns its path. */
export function importKubernetesFields(root: string): string {
  const path = join(root, KUBERNETES_FIELDS_PATH);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(kubernetesFields(root, BUILTIN_KINDS), null, 1)}\n`);
  return path;
}
