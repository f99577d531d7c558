import { STANDARD_LABEL_KEYS } from '../lib/index.ts';
import { apiServerProblems } from './_api-server-rules.ts';
import { unknownFields } from './_kubernetes-fields.ts';
import { NO_SCHEMA_ALLOWED, SCHEMAS } from './_schemas.ts';

/** A rendered Kubernetes object, as `Chart.toJson()` returns it. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name?: string; readonly namespace?: string; readonly labels?: Record<string, string> };
  readonly [field: string]: unknown;
}

interface SchemaError {
  readonly instancePath: string;
  readonly message?: string;
  readonly params?: Record<string, unknown>;
}

/** Names must be DNS-1123 labels: every kind accepts them, and they fit in label values. */
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** `/spec/template/spec/containers/0/image` becomes `spec.template.spec.containers[0].image`. */
function fieldPath(pointer: string, extra?: unknown): string {
  const parts = pointer.split('/').slice(1);
  if (typeof extra === 'string') parts.push(extra);
  return parts.reduce((out, p) => (/^\d+$/.test(p) ? `${out}[${p}]` : out ? `${out}.${p}` : p), '') || '(object)';
}

function schemaMessage(e: SchemaError): string {
  const missing = e.params?.['missingProperty'];
  if (missing !== undefined) return `${fieldPath(e.instancePath, missing)}: is required`;
  // The API server would silently drop it, and `kubectl apply --validate=strict` refuses it.
  const unknown = e.params?.['additionalProperty'];
  if (unknown !== undefined) return `${fieldPath(e.instancePath, unknown)}: unknown field`;
  return `${fieldPath(e.instancePath)}: ${e.message ?? 'is invalid'}`;
}

/**
 * Checks every object against its kind's Kubernetes schema, the rules the API server enforces
 * across fields (_api-server-rules.ts), and the project's naming and labelling rules. Returns one
 * message per problem, each naming kind/name and field path.
 */
export async function validateObjects(objects: readonly KubeObject[]): Promise<string[]> {
  const issues: string[] = [];
  for (const obj of objects) {
    const name = obj.metadata?.name ?? '(unnamed)';
    const where = `${obj.kind}/${name}`;
    const load = SCHEMAS[`${obj.apiVersion}/${obj.kind}`];
    if (load) {
      const Model = await load();
      try {
        new Model(obj).validate();
      } catch (err) {
        const errors = (err as { errors?: SchemaError[] }).errors;
        if (!errors) throw err;
        issues.push(...errors.map((e) => `${where} ${schemaMessage(e)}`));
      }
      // What the API server would drop silently; `kubectl apply --validate=strict` refuses it.
      issues.push(...unknownFields(`${obj.apiVersion}/${obj.kind}`, obj).map((path) => `${where} ${path}: unknown field`));
    } else if (!(obj.kind in NO_SCHEMA_ALLOWED)) {
      issues.push(`${where}: no schema for ${obj.apiVersion} ${obj.kind}; add one to src/render/_schemas.ts or allow-list it with a reason`);
    }
    issues.push(...apiServerProblems(obj).map((p) => `${where} ${p}`));
    if (name.length > 63 || !DNS_1123_LABEL.test(name)) {
      issues.push(`${where} metadata.name: must be a DNS-1123 label of at most 63 characters`);
    }
    const labels = obj.metadata?.labels ?? {};
    const missing = STANDARD_LABEL_KEYS.filter((k) => !labels[k]);
    if (missing.length > 0) issues.push(`${where} metadata.labels: missing ${missing.join(', ')}`);
  }
  return issues;
}
