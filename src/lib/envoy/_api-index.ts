import { fieldRules, type FieldRules } from './_rules.ts';
import { SCALAR_TYPES, type ScalarType } from './_scalars.ts';

/** A node of the bundle (protobufjs JSON): a namespace, a message or an enum. */
export interface BundleNode {
  readonly nested?: Readonly<Record<string, BundleNode>>;
  readonly fields?: Readonly<Record<string, BundleField>>;
  readonly oneofs?: Readonly<Record<string, { readonly oneof: readonly string[]; readonly options?: Readonly<Record<string, unknown>> }>>;
  readonly values?: Readonly<Record<string, number>>;
  readonly valuesOptions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

interface BundleField {
  readonly type: string;
  readonly id: number;
  readonly rule?: string;
  readonly keyType?: string;
  readonly options?: Readonly<Record<string, unknown>>;
}

export interface FieldDescriptor {
  /** The proto field name: `lb_policy`. */
  readonly name: string;
  /** The proto3 JSON name: `lbPolicy`. */
  readonly jsonName: string;
  /** `envoy.config.cluster.v3.Cluster.lb_policy`, for messages about the field. */
  readonly fullName: string;
  readonly kind: 'scalar' | 'enum' | 'message';
  /** The scalar type, or the full name of the enum or message (of the values, for a map). */
  readonly type: string;
  readonly repeated: boolean;
  /** The key type of a map field. */
  readonly keyType?: ScalarType;
  readonly deprecated: boolean;
  /** The oneof the field is a member of: its rules apply only when it is the member set. */
  readonly oneof?: string;
  /** False for a scalar outside any oneof and not `optional`: unset means its default value. */
  readonly presence: boolean;
  readonly rules: FieldRules;
}

export interface OneofDescriptor {
  readonly name: string;
  /** Proto names of the members. */
  readonly members: readonly string[];
  /** `(validate.required)`: one member must be set. */
  readonly required: boolean;
}

export interface MessageDescriptor {
  readonly fullName: string;
  readonly fields: readonly FieldDescriptor[];
  /** Every field by its proto name and by its JSON name. */
  readonly byName: ReadonlyMap<string, FieldDescriptor>;
  readonly oneofs: readonly OneofDescriptor[];
}

export interface EnumDescriptor {
  readonly fullName: string;
  /** Value names to numbers, by number (the order in which the .proto declares them, as a rule). */
  readonly values: ReadonlyMap<string, number>;
  readonly numbers: ReadonlySet<number>;
  readonly deprecated: ReadonlySet<string>;
}

/** protoc's ToJsonName: `max_requests_per_connection` → `maxRequestsPerConnection`. */
function jsonName(name: string): string {
  return name.replace(/_+(.?)/g, (_match, next: string) => next.toUpperCase());
}

/**
 * The messages and enums of the bundle by full name. Nothing is indexed up front: a name is
 * looked up by descending the bundle's tree, and a message or enum is compiled into its
 * descriptor (field names, resolved types, rules) the first time it is asked for, and kept. So
 * loading costs only the JSON parse, and validating a bootstrap compiles only the types it uses,
 * once per process.
 */
export class ApiIndex {
  private readonly messages = new Map<string, MessageDescriptor>();
  private readonly enums = new Map<string, EnumDescriptor>();

  public constructor(private readonly root: BundleNode) {}

  /** Full names of every message, for suggestions: only computed for a problem. */
  public messageNames(): string[] {
    const names: string[] = [];
    const walk = (node: BundleNode, prefix: string): void => {
      for (const [name, child] of Object.entries(node.nested ?? {})) {
        if (child.fields) names.push(`${prefix}${name}`);
        walk(child, `${prefix}${name}.`);
      }
    };
    walk(this.root, '');
    return names;
  }

  /** The message `fullName` (no leading dot), or undefined when the bundle has none. */
  public message(fullName: string): MessageDescriptor | undefined {
    const known = this.messages.get(fullName);
    if (known) return known;
    const node = this.node(fullName);
    if (!node?.fields) return undefined;
    const descriptor = this.compileMessage(fullName, node);
    this.messages.set(fullName, descriptor);
    return descriptor;
  }

  /** The enum `fullName`, or undefined when the bundle has none. */
  public enum(fullName: string): EnumDescriptor | undefined {
    const known = this.enums.get(fullName);
    if (known) return known;
    const node = this.node(fullName);
    if (!node?.values) return undefined;
    // By number, which as a rule is the order of declaration: the bundle sorts the names.
    const values = new Map(Object.entries(node.values).sort(([, a], [, b]) => a - b));
    const descriptor: EnumDescriptor = {
      fullName,
      values,
      numbers: new Set(values.values()),
      deprecated: new Set(Object.entries(node.valuesOptions ?? {}).filter(([, options]) => options['deprecated'] === true).map(([name]) => name)),
    };
    this.enums.set(fullName, descriptor);
    return descriptor;
  }

  /**
   * The full name a type reference in `scope` (a message's full name) stands for, as protoc
   * resolves it: from the innermost scope outwards. Field types in the bundle are written as in
   * the .proto file (`core.v3.Address`, `LbPolicy`, `.google.protobuf.Any`).
   */
  public resolve(reference: string, scope: string): string | undefined {
    if (reference.startsWith('.')) return this.node(reference.slice(1)) ? reference.slice(1) : undefined;
    const parts = scope.split('.');
    for (let i = parts.length; i >= 0; i--) {
      const candidate = [...parts.slice(0, i), reference].join('.');
      if (this.node(candidate)) return candidate;
    }
    return undefined;
  }

  /** The message or enum `fullName`, found by descending the tree (own keys only: names come from input). */
  private node(fullName: string): BundleNode | undefined {
    let node: BundleNode | undefined = this.root;
    for (const part of fullName.split('.')) {
      node = node.nested && Object.hasOwn(node.nested, part) ? node.nested[part] : undefined;
      if (!node) return undefined;
    }
    return node.fields || node.values ? node : undefined;
  }

  private compileMessage(fullName: string, node: BundleNode): MessageDescriptor {
    const oneofOf = new Map<string, string>();
    const oneofs = Object.entries(node.oneofs ?? {}).map(([name, oneof]): OneofDescriptor => {
      for (const member of oneof.oneof) oneofOf.set(member, name);
      return { name, members: oneof.oneof, required: oneof.options?.['(validate.required)'] === true };
    });
    const fields = Object.entries(node.fields ?? {}).map(([name, field]) => this.compileField(fullName, name, field, oneofOf.get(name)));
    const byName = new Map<string, FieldDescriptor>();
    for (const field of fields) {
      byName.set(field.name, field);
      byName.set(field.jsonName, field);
    }
    // A oneof of one `optional` field is how proto3 marks presence; it is no choice to report.
    const choices = oneofs.filter((oneof) => !(oneof.members.length === 1 && node.fields?.[oneof.members[0]!]?.options?.['proto3_optional'] === true));
    return { fullName, fields, byName, oneofs: choices };
  }

  private compileField(scope: string, name: string, field: BundleField, oneof: string | undefined): FieldDescriptor {
    const fullName = `${scope}.${name}`;
    const scalar = SCALAR_TYPES.has(field.type);
    const type = scalar ? field.type : this.resolve(field.type, scope);
    if (type === undefined) throw new Error(`Envoy API bundle: ${fullName} has type ${field.type}, which the bundle does not define; regenerate it (npm run import:envoy)`);
    const kind = scalar ? 'scalar' : this.node(type)!.fields ? 'message' : 'enum';
    const explicitName = field.options?.['json_name'];
    return {
      name,
      jsonName: typeof explicitName === 'string' ? explicitName : jsonName(name),
      fullName,
      kind,
      type,
      repeated: field.rule === 'repeated',
      ...(field.keyType !== undefined ? { keyType: field.keyType as ScalarType } : {}),
      deprecated: field.options?.['deprecated'] === true,
      ...(oneof !== undefined ? { oneof } : {}),
      presence: kind === 'message' || oneof !== undefined || field.options?.['proto3_optional'] === true,
      rules: fieldRules(field.options, field.rule === 'required'),
    };
  }
}
