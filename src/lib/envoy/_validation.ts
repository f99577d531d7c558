import type { ApiIndex, FieldDescriptor, MessageDescriptor } from './_api-index.ts';
import { hasValueRules, itemsRuleProblem, valueRuleProblem } from './_rules.ts';
import { describe, mapKeyProblem, scalarProblem, type ScalarType } from './_scalars.ts';
import { closest } from './_suggest.ts';
import { ANY, isWellKnown, wellKnownProblem, WRAPPERS } from './_well-known.ts';

/** The only type URL prefix protobuf's JSON parser resolves, as Envoy loads it. */
const TYPE_URL_PREFIX = 'type.googleapis.com/';

/** Messages that carry a typed config as a Struct: `value` is validated as the `type_url` message. */
const TYPED_STRUCTS: ReadonlySet<string> = new Set(['udpa.type.v1.TypedStruct', 'xds.type.v3.TypedStruct']);

/** The one type whose list items and map values may be null (a NullValue). */
const VALUE = 'google.protobuf.Value';

/** Shown as the path of a problem of the value itself. */
const ROOT = '(root)';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `parent.key`, or `parent["key.with.dots"]` for a key that is not an identifier (map keys, `@type`). */
function child(parent: string, key: string): string {
  if (!IDENTIFIER.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

function at(path: string): string {
  return path === '' ? ROOT : path;
}

function quoteList(names: readonly string[]): string {
  return names.join(', ');
}

/**
 * One validation of a value against a message type of the API: walks the value once, in the
 * order of its keys, and collects every problem as `path: message`.
 */
export class Validation {
  public readonly problems: string[] = [];

  public constructor(private readonly index: ApiIndex) {}

  /** Validates `value` as a `typeName` message (any message, well-known types included). */
  public message(typeName: string, value: unknown, path: string): void {
    if (typeName === ANY) {
      this.any(value, path);
      return;
    }
    if (isWellKnown(typeName)) {
      this.report(path, wellKnownProblem(typeName, value));
      return;
    }
    if (!isObject(value)) {
      this.report(path, `must be an object (${typeName}), got ${describe(value)}`);
      return;
    }
    this.fields(this.index.message(typeName)!, value, path);
  }

  private report(path: string, problem: string | undefined): void {
    if (problem !== undefined) this.problems.push(`${at(path)}: ${problem}`);
  }

  /** The keys of `value` as fields of `message`; `skip` is a key that is not a field (`@type`). */
  private fields(message: MessageDescriptor, value: JsonObject, path: string, skip?: string): void {
    // The key each field was given as, and among them the fields set (null leaves a field unset).
    const keys = new Map<FieldDescriptor, string>();
    const given = new Map<FieldDescriptor, string>();
    for (const [key, fieldValue] of Object.entries(value)) {
      if (key === skip) continue;
      const field = message.byName.get(key);
      if (!field) {
        const suggestion = closest(key, message.byName.keys());
        this.report(child(path, key), `unknown field of ${message.fullName}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`);
        continue;
      }
      const previous = keys.get(field);
      if (previous !== undefined) {
        this.report(child(path, key), `field ${field.fullName} given twice, as "${previous}" and "${key}"`);
        continue;
      }
      keys.set(field, key);
      if (fieldValue === null) continue;
      given.set(field, key);
      const fieldPath = child(path, key);
      if (field.deprecated) this.report(fieldPath, `deprecated field ${field.fullName}`);
      this.field(field, fieldValue, fieldPath);
    }

    for (const oneof of message.oneofs) {
      const set = oneof.members.flatMap((member) => {
        const key = given.get(message.byName.get(member)!);
        return key === undefined ? [] : [key];
      });
      if (set.length > 1) this.report(path, `oneof ${oneof.name} takes at most one of ${quoteList(oneof.members)}, got ${quoteList(set)}`);
      if (set.length === 0 && oneof.required) this.report(path, `oneof ${oneof.name} requires one of ${quoteList(oneof.members)}, got none`);
    }

    for (const field of message.fields) {
      if (given.has(field) || field.oneof !== undefined) continue;
      const fieldPath = child(path, field.name);
      if (field.rules.required) this.report(fieldPath, `missing required field (${field.fullName})`);
      else if (field.keyType === undefined && field.repeated) this.report(fieldPath, itemsRuleProblem(field.rules, 0));
      else if (!field.presence && field.kind === 'scalar' && hasValueRules(field.rules)) {
        this.report(fieldPath, valueRuleProblem(field.rules, field.type === 'string' ? '' : 0, true));
      }
    }

    if (TYPED_STRUCTS.has(message.fullName)) this.typedStruct(value, path);
  }

  /** A field's value, not null. */
  private field(field: FieldDescriptor, value: unknown, path: string): void {
    if (field.keyType !== undefined) {
      if (!isObject(value)) {
        this.report(path, `must be an object (a map of ${field.keyType} to ${field.type}), got ${describe(value)}`);
        return;
      }
      for (const [key, entry] of Object.entries(value)) {
        const entryPath = child(path, key);
        this.report(entryPath, mapKeyProblem(field.keyType, key));
        if (entry === null && field.type !== VALUE) this.report(entryPath, `must not be null (a map value, ${field.type})`);
        else this.single(field, entry, entryPath);
      }
      return;
    }
    if (field.repeated) {
      if (!Array.isArray(value)) {
        this.report(path, `must be a list of ${field.type}, got ${describe(value)}`);
        return;
      }
      value.forEach((item: unknown, i) => {
        if (item === null && field.type !== VALUE) this.report(`${path}[${i}]`, `must not be null (a list item, ${field.type})`);
        else this.single(field, item, `${path}[${i}]`);
      });
      this.report(path, itemsRuleProblem(field.rules, value.length));
      return;
    }
    this.single(field, value, path);
    if (hasValueRules(field.rules)) this.valueRules(field, value, path);
  }

  /** One value of the field's type: the field's own, or a list item or map value. */
  private single(field: FieldDescriptor, value: unknown, path: string): void {
    if (field.kind === 'scalar') this.report(path, scalarProblem(field.type as ScalarType, value));
    else if (field.kind === 'enum') this.enumValue(field.type, value, path);
    else this.message(field.type, value, path);
  }

  /** The string and number rules of a set field, when its value (or its wrapper's) is valid. */
  private valueRules(field: FieldDescriptor, value: unknown, path: string): void {
    const scalar = field.kind === 'scalar' ? (field.type as ScalarType) : WRAPPERS[field.type];
    if (scalar === undefined || scalarProblem(scalar, value) !== undefined) return;
    if (typeof value === 'string' || typeof value === 'number') this.report(path, valueRuleProblem(field.rules, value, false));
  }

  private enumValue(typeName: string, value: unknown, path: string): void {
    const en = this.index.enum(typeName)!;
    const allowed = `allowed: ${quoteList([...en.values.keys()].filter((name) => !en.deprecated.has(name)))}`;
    if (typeof value === 'string') {
      if (!en.values.has(value)) {
        const suggestion = closest(value, en.values.keys());
        this.report(path, `unknown enum value ${describe(value)} of ${typeName}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; ${allowed}`);
      } else if (en.deprecated.has(value)) {
        this.report(path, `deprecated enum value ${describe(value)} of ${typeName}; ${allowed}`);
      }
    } else if (typeof value === 'number' && Number.isInteger(value)) {
      if (!en.numbers.has(value)) this.report(path, `unknown enum number ${value} of ${typeName}; ${allowed}`);
    } else if (!(typeName === 'google.protobuf.NullValue' && value === null)) {
      this.report(path, `must be a value name of ${typeName} or its number, got ${describe(value)}; ${allowed}`);
    }
  }

  /** The message a type URL names, or undefined after reporting why there is none. */
  private typeOfUrl(url: unknown, path: string): string | undefined {
    if (typeof url !== 'string' || !url.startsWith(TYPE_URL_PREFIX)) {
      this.report(path, `must be "${TYPE_URL_PREFIX}<full message name>", got ${describe(url)}`);
      return undefined;
    }
    const typeName = url.slice(TYPE_URL_PREFIX.length);
    if (this.index.message(typeName)) return typeName;
    const suggestion = closest(typeName, this.index.messageNames());
    this.report(path, `unknown type ${describe(url)}: no such message in Envoy's v3 API${suggestion ? ` (did you mean "${TYPE_URL_PREFIX}${suggestion}"?)` : ''}`);
    return undefined;
  }

  /** google.protobuf.Any: `@type` names the message, the other keys are its fields. */
  private any(value: unknown, path: string): void {
    if (!isObject(value)) {
      this.report(path, `must be an object with "@type" (google.protobuf.Any), got ${describe(value)}`);
      return;
    }
    if (!('@type' in value)) {
      this.report(path, `missing "@type" (google.protobuf.Any needs "${TYPE_URL_PREFIX}<full message name>")`);
      return;
    }
    const typeName = this.typeOfUrl(value['@type'], child(path, '@type'));
    if (typeName === undefined) return;
    if (!isWellKnown(typeName)) {
      this.fields(this.index.message(typeName)!, value, path, '@type');
      return;
    }
    // A well-known type with its own JSON form is given under `value`.
    for (const key of Object.keys(value)) {
      if (key !== '@type' && key !== 'value') this.report(child(path, key), `unknown field: an Any of ${typeName} has only "@type" and "value"`);
    }
    if (value['value'] === undefined) this.report(child(path, 'value'), `missing: an Any of ${typeName} holds it under "value"`);
    else this.message(typeName, value['value'], child(path, 'value'));
  }

  /** TypedStruct: `value` (a Struct, any object) is validated as the `type_url` message. */
  private typedStruct(value: JsonObject, path: string): void {
    const urlKey = 'type_url' in value ? 'type_url' : 'typeUrl';
    if (value[urlKey] === undefined || value[urlKey] === null || !isObject(value['value'])) return;
    const typeName = this.typeOfUrl(value[urlKey], child(path, urlKey));
    if (typeName !== undefined) this.message(typeName, value['value'], child(path, 'value'));
  }
}
