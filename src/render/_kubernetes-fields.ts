import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where `npm run import` writes the built-in kinds' field tree, relative to the project root. */
export const KUBERNETES_FIELDS_PATH = 'imports/kubernetes-fields.json';

/** The field tree: each kind's root type, and each type's fields with their shapes. */
export interface KubernetesFields {
  readonly kinds: Readonly<Record<string, string>>;
  readonly types: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

let loaded: KubernetesFields | undefined;

function fields(): KubernetesFields {
  return (loaded ??= JSON.parse(readFileSync(fileURLToPath(new URL(`../../${KUBERNETES_FIELDS_PATH}`, import.meta.url)), 'utf8')) as KubernetesFields);
}

/**
 * Fields of `obj` (a built-in kind, by `key` `<apiVersion>/<kind>`) that Kubernetes does not
 * declare, as field paths (`spec.template.spec.volumes[0].persistentVolumeClam`): the API server
 * would drop them silently. Empty for a kind the tree does not know.
 */
export function unknownFields(key: string, obj: unknown): string[] {
  const tree = fields();
  const root = tree.kinds[key];
  if (!root) return [];
  const out: string[] = [];
  const walk = (value: unknown, shape: string, path: string): void => {
    if (value === null || value === undefined || shape === 'leaf' || shape === 'map') return;
    if (shape.startsWith('[]')) {
      if (Array.isArray(value)) value.forEach((v, i) => walk(v, shape.slice(2), `${path}[${i}]`));
      return;
    }
    const type = tree.types[shape];
    if (!type || typeof value !== 'object' || Array.isArray(value)) return;
    for (const [k, v] of Object.entries(value)) {
      const at = path ? `${path}.${k}` : k;
      const field = type[k];
      if (field === undefined) out.push(at);
      else walk(v, field, at);
    }
  };
  walk(obj, root, '');
  return out;
}
