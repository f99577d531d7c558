import type { Sentinels } from './sentinels.ts';

/** A field of a stack's model that is a chart value. */
export interface ChartField {
  /** Where the chart keeps it, dotted under `.Values`: `replicaCount`, `networkPolicy.rpcEndpointCidrs`. */
  readonly value: string;
  /** Where the model keeps it. */
  readonly path: readonly string[];
  /** How the constructs use it: a marker of the same shape stands for it while they render. */
  readonly kind: 'string' | 'number' | 'list' | 'object';
  /** JSON Schema of the value. */
  readonly schema: object;
  /** Carried only by charts whose objects read it (a CIDR list of a policy). @default false */
  readonly whenUsed?: boolean;
}

/** The value at `path` of `model`. */
export function at(model: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], model);
}

/** `model` with `value` at `path`, copied along the path. */
export function setAt<C>(model: C, path: readonly string[], value: unknown): C {
  if (path.length === 0) return value as C;
  const [head, ...rest] = path as [string, ...string[]];
  const obj = model as Record<string, unknown>;
  return { ...obj, [head]: setAt(obj[head], rest, value) } as C;
}

/** Sets `value` at a dotted path of a plain object. */
export function put(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let node = target;
  for (const k of keys.slice(0, -1)) node = (node[k] ??= {}) as Record<string, unknown>;
  node[keys[keys.length - 1]!] = value;
}

/**
 * The model fields a chart carries as values: as markers in the model the chart is rendered
 * from, as an environment's values, and as the values schema.
 */
export class ChartFieldValues {
  private fields: readonly ChartField[];
  private readonly markerOf = new Map<ChartField, unknown>();

  public constructor(
    fields: readonly ChartField[],
    private readonly s: Sentinels,
  ) {
    this.fields = fields;
  }

  /** `model` with every field a marker of its kind. */
  public markers<C>(model: C): C {
    let out = model;
    for (const f of this.fields) {
      const expression = `$.Values.${f.value}`;
      const marker =
        f.kind === 'string' ? this.s.string(expression) : f.kind === 'number' ? this.s.number(expression) : f.kind === 'list' ? this.s.list(expression) : this.s.object(expression);
      this.markerOf.set(f, marker);
      out = setAt(out, f.path, marker);
    }
    return out;
  }

  /** Drops the `whenUsed` fields that the chart's rendered objects do not read. */
  public keepUsed(objects: readonly unknown[]): void {
    const text = JSON.stringify(objects);
    this.fields = this.fields.filter((f) => {
      if (!f.whenUsed) return true;
      const marker = this.markerOf.get(f);
      return text.includes(String(Array.isArray(marker) ? marker[0] : marker));
    });
  }

  /** An environment's values of the fields, nested by their dotted paths. */
  public values(config: unknown): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of this.fields) {
      const v = at(config, f.path);
      put(out, f.value, Array.isArray(v) ? [...v] : typeof v === 'object' && v !== null ? structuredClone(v) : v);
    }
    return out;
  }

  /**
   * The values schema of the fields, with a boolean `<key>.enabled` per switch and `extra`
   * top-level values first; every property required.
   */
  public schema(switches: readonly string[], extra: Readonly<Record<string, object>>): { properties: Record<string, object>; required: string[] } {
    type Node = { leaf?: object; children: Map<string, Node> };
    const root: Node = { children: new Map() };
    const node = (dotted: string): Node => {
      let n = root;
      for (const k of dotted.split('.')) {
        let next = n.children.get(k);
        if (!next) n.children.set(k, (next = { children: new Map() }));
        n = next;
      }
      return n;
    };
    for (const [k, schema] of Object.entries(extra)) node(k).leaf = schema;
    for (const f of this.fields) node(f.value).leaf = f.schema;
    for (const key of switches) {
      // The switch first, then the fields under it.
      const n = node(key);
      const rest = [...n.children];
      n.children.clear();
      n.children.set('enabled', { leaf: { type: 'boolean' }, children: new Map() });
      for (const [k, c] of rest) n.children.set(k, c);
    }
    const render = (n: Node): object =>
      n.leaf ?? {
        type: 'object',
        additionalProperties: false,
        required: [...n.children.keys()],
        properties: Object.fromEntries([...n.children].map(([k, c]) => [k, render(c)])),
      };
    return { properties: Object.fromEntries([...root.children].map(([k, c]) => [k, render(c)])), required: [...root.children.keys()] };
  }
}
