/*
 * Argo CD applies an Application's objects wave by wave, lowest first, and waits until a wave is
 * healthy before the next (objects without the annotation are wave 0). One table, by kind, orders
 * what other objects need before they can become healthy: the Namespace, then the cert-manager
 * issuers and External Secrets stores, then the certificates and secrets they produce, then the
 * workloads. A CA Issuer reads the Secret of a CA Certificate that another Issuer signs, so the
 * table spells out that chain (self-signed Issuer, CA Certificate, CA Issuer, leaf Certificate)
 * instead of one wave for all issuers, which would wait forever on a CA Issuer that cannot be
 * Ready before its Certificate exists. A wave depends on the object alone, so a Helm chart
 * rendering the same object carries the same annotation.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-waves/
 */

/** The annotation Argo CD orders an Application's objects by. */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/** A rendered object, as far as its wave depends on it. */
export interface WaveObject {
  readonly kind: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly annotations?: Readonly<Record<string, string>> };
  readonly spec?: unknown;
}

/** One row of the table: the objects it matches and their wave. */
export interface SyncWaveRule {
  readonly wave: number;
  readonly kinds: readonly string[];
  /** Narrows the row to objects of those kinds that match. @default - every object of the kinds */
  readonly when?: (spec: Readonly<Record<string, unknown>>) => boolean;
  /** What the objects of the row wait for, and what waits for them. */
  readonly why: string;
}

const ISSUERS = ['ClusterIssuer', 'Issuer'];
const isCaIssuer = (spec: Readonly<Record<string, unknown>>): boolean => spec['ca'] !== undefined;
const isCaCertificate = (spec: Readonly<Record<string, unknown>>): boolean => spec['isCA'] === true;

/** The waves before the workloads', first match wins; everything else is wave 0. */
export const SYNC_WAVE_RULES: readonly SyncWaveRule[] = [
  { wave: -5, kinds: ['Namespace'], why: 'every namespaced object lives in it (the Applications do not create it)' },
  { wave: -4, kinds: ISSUERS, when: (s) => !isCaIssuer(s), why: 'self-signed and ACME issuers need nothing from the folder' },
  { wave: -4, kinds: ['ClusterSecretStore', 'SecretStore'], why: 'External Secrets stores, read by every ExternalSecret' },
  { wave: -3, kinds: ['Certificate'], when: isCaCertificate, why: "a CA certificate, whose Secret a CA issuer signs with" },
  { wave: -2, kinds: ISSUERS, when: isCaIssuer, why: 'a CA issuer is Ready once its CA certificate has been issued' },
  { wave: -1, kinds: ['Certificate', 'ExternalSecret', 'SealedSecret'], why: 'the Secrets that workloads mount, from the issuers and stores before them' },
];

/** The wave of `obj` by {@link SYNC_WAVE_RULES}. */
export function syncWaveOf(obj: WaveObject): number {
  const spec = (typeof obj.spec === 'object' && obj.spec !== null ? obj.spec : {}) as Readonly<Record<string, unknown>>;
  return SYNC_WAVE_RULES.find((r) => r.kinds.includes(obj.kind) && (r.when?.(spec) ?? true))?.wave ?? 0;
}

/** `obj` with its wave annotated, unless it is wave 0, Argo CD's default. */
export function withSyncWave<T extends WaveObject>(obj: T): T {
  const wave = syncWaveOf(obj);
  if (wave === 0) return obj;
  const metadata = { ...obj.metadata, annotations: { ...obj.metadata?.annotations, [SYNC_WAVE_ANNOTATION]: String(wave) } };
  return { ...obj, metadata };
}

/** An object another one needs: its kind and name, in the referring object's namespace unless cluster-scoped. */
interface Needed {
  readonly kinds: readonly string[];
  readonly name: string;
  readonly field: string;
}

/** What `obj` names in its spec that must exist and be Ready before it can be. */
function needs(obj: WaveObject): Needed[] {
  const spec = (obj.spec ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const ref = (field: string, kinds: readonly string[], name: unknown): Needed[] => (typeof name === 'string' ? [{ kinds, name, field }] : []);
  switch (obj.kind) {
    case 'Certificate':
      return ref('spec.issuerRef', [String(spec['issuerRef']?.['kind'] ?? 'Issuer')], spec['issuerRef']?.['name']);
    case 'ExternalSecret':
      return ref('spec.secretStoreRef', [String(spec['secretStoreRef']?.['kind'] ?? 'SecretStore')], spec['secretStoreRef']?.['name']);
    case 'Issuer':
    case 'ClusterIssuer':
      // The Certificate whose Secret the CA issuer signs with.
      return ref('spec.ca.secretName', ['Certificate:secretName'], spec['ca']?.['secretName']);
    default:
      return [];
  }
}

/**
 * Every object of `objects` that names another of them (issuerRef, secretStoreRef, a CA
 * issuer's Secret) which is not in an earlier wave: Argo CD would wait on it forever, or apply
 * it before what it needs. One message per reference.
 */
export function syncWaveIssues(objects: readonly WaveObject[]): string[] {
  const issues: string[] = [];
  const key = (o: WaveObject) => `${o.kind}/${o.metadata?.name ?? ''}`;
  for (const obj of objects) {
    for (const need of needs(obj)) {
      const found = objects.filter((o) =>
        need.kinds.some((k) => {
          const [kind, field] = k.split(':');
          if (o.kind !== kind) return false;
          const named = field ? (o.spec as Record<string, unknown> | undefined)?.[field] : o.metadata?.name;
          return named === need.name && (o.kind.startsWith('Cluster') || o.metadata?.namespace === obj.metadata?.namespace);
        }),
      );
      for (const o of found) {
        if (syncWaveOf(o) >= syncWaveOf(obj)) {
          issues.push(`${key(obj)} ${need.field}: needs ${key(o)}, which is in sync wave ${syncWaveOf(o)}, not before its own ${syncWaveOf(obj)}`);
        }
      }
    }
  }
  return issues;
}
