import { isMap, valueSchemas } from '../../lib/values/index.ts';

/*
 * The model's object formats (`objectFormat` in its schemas: rules between an object's fields,
 * src/config/_formats.ts) for the values a user gives a chart. A values.schema.json cannot say
 * them (draft-07 compares no two values), so each chart carries them as templates that `fail`,
 * naming the values, on what the model refuses: Helm stops at `helm template` where the API
 * server would otherwise refuse the object at install.
 */

/** A value an object format constrains: its dotted path under `.Values` and the format's name. */
export interface ValueCheck {
  readonly path: string;
  readonly format: string;
}

const KEYWORD = valueSchemas.OBJECT_FORMAT_KEYWORD;

/**
 * `schema` without its object formats (no draft-07 keyword), and the values each constrains.
 * A format under a list's items or a map's values is refused: its check would need a `range`
 * this module does not write yet.
 */
export function withoutObjectFormats(schema: unknown): { readonly schema: unknown; readonly checks: readonly ValueCheck[] } {
  const checks: ValueCheck[] = [];
  const strip = (node: unknown, path: string | undefined): unknown => {
    if (Array.isArray(node)) return node.map((n) => strip(n, undefined));
    if (!isMap(node)) return node;
    const format = node[KEYWORD];
    if (typeof format === 'string') {
      if (path === undefined) throw new Error(`chart values schema: ${KEYWORD} "${format}" below a list or map is not checked in charts`);
      checks.push({ path, format });
    }
    return Object.fromEntries(
      Object.entries(node)
        .filter(([k, v]) => !(k === KEYWORD && typeof v === 'string'))
        .map(([k, v]) => [k, k === 'properties' && isMap(v) ? Object.fromEntries(Object.entries(v).map(([p, s]) => [p, strip(s, path === undefined ? undefined : path ? `${path}.${p}` : p)])) : strip(v, undefined)]),
    );
  };
  return { schema: strip(schema, ''), checks };
}

/** The named templates each format's check uses, for the chart's _helpers.tpl. */
export function valueCheckHelpers(chart: string): string {
  return `{{/*
A Kubernetes quantity (500m, 0.5, 512Mi, 1.5Gi) as a number of its base unit, for comparisons.
*/}}
{{- define "${chart}.quantity" -}}
{{- $text := toString . }}
{{- $number := regexFind "^[0-9]*\\\\.?[0-9]*" $text }}
{{- mulf (float64 $number) (get (dict "" 1 "m" 0.001 "k" 1000 "M" 1000000 "G" 1000000000 "T" 1000000000000 "P" 1000000000000000 "Ki" 1024 "Mi" 1048576 "Gi" 1073741824 "Ti" 1099511627776 "Pi" 1125899906842624) (trimPrefix $number $text)) }}
{{- end }}

{{/*
Fails on a container's resources (list PATH VALUE) with a limit below the request of the same
resource, which the API server refuses.
*/}}
{{- define "${chart}.resource-requirements" -}}
{{- $path := index . 0 }}
{{- $resources := default (dict) (index . 1) }}
{{- range $name, $limit := $resources.limits }}
{{- $request := index (default (dict) $resources.requests) $name }}
{{- if and $limit $request (lt (float64 (include "${chart}.quantity" $limit)) (float64 (include "${chart}.quantity" $request))) }}
{{- fail (printf "%s.limits.%s (%v) is below %s.requests.%s (%v): the API server refuses a limit below its request" $path $name $limit $path $name $request) }}
{{- end }}
{{- end }}
{{- end }}
`;
}

/** The formats a chart can check, by name: the named template of valueCheckHelpers that checks it. */
const CHECKS: Readonly<Record<string, true>> = { 'resource-requirements': true };

/** `templates/value-checks.yaml`: one check per constrained value; it renders nothing when every value passes. */
export function valueChecksTemplate(chart: string, checks: readonly ValueCheck[]): string {
  return checks
    .map(({ path, format }) => {
      if (!CHECKS[format]) throw new Error(`chart ${chart}: ${KEYWORD} "${format}" of ${path} has no check in src/render/helm/value-checks.ts`);
      const keys = path.split('.');
      const value = keys.every((k) => /^[A-Za-z_]\w*$/.test(k)) ? `$.Values.${path}` : `(index $.Values ${keys.map((k) => JSON.stringify(k)).join(' ')})`;
      return `{{- include "${chart}.${format}" (list ${JSON.stringify(path)} ${value}) }}`;
    })
    .join('\n');
}
