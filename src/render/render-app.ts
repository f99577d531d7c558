import type { App } from 'cdk8s';
import { enforcedViolations } from '../analysis/pod-security.ts';
import { syncWaveIssues, withSyncWave } from '../lib/index.ts';
import { compareObjects } from './_kind-order.ts';
import { duplicateObjects } from './_object-identity.ts';
import { referenceProblems } from './_references.ts';
import { GeneratedFile } from './generated-file.ts';
import { ManifestFile } from './manifest-file.ts';
import { validateObjects, type KubeObject } from './manifest-validator.ts';
import { SynthError } from './synth-error.ts';
import { chartsJson, validateApp } from './validate-app.ts';
import { toYamlDocuments } from './yaml.ts';

/** One chart rendered to one file. */
export interface RenderedChart {
  /** The chart's construct id, e.g. `pin-orchestrator`. */
  readonly chart: string;
  /** Path of its file relative to the output root, e.g. `dist/prod/pin-orchestrator.k8s.yaml`. */
  readonly file: string;
  /** Its objects, validated and in apply order. */
  readonly objects: readonly KubeObject[];
}

/** A whole environment, ready to be written. */
export interface RenderedEnvironment {
  readonly environment: string;
  /** The folder the environment owns, relative to the output root: `dist/<env>`. */
  readonly folder: string;
  readonly charts: readonly RenderedChart[];
  /** Manifest file contents by path relative to the output root. */
  readonly files: ReadonlyMap<string, string>;
  /** Other generated files (under `ops/`, `charts-out/`) by path relative to the output root. */
  readonly generated: ReadonlyMap<string, string>;
  /** What the environment's output can be applied with only in part, one line per object (see {@link lastAppliedWarning}). */
  readonly warnings: readonly string[];
}

/** The annotation a client-side `kubectl apply` keeps the applied object in. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
/** The API server's limit on the total size of an object's annotations, keys and values. */
const ANNOTATIONS_LIMIT = 256 * 1024;

/**
 * Why a client-side `kubectl apply` would fail on `obj`, when it would: kubectl copies the object
 * as JSON into its last-applied annotation, and the API server refuses an object whose
 * annotations total over 256 KiB. The object itself is valid (a ConfigMap may hold 1 MiB), and a
 * server-side apply (Argo CD's `ServerSideApply=true`, which the Applications set) keeps no such
 * copy: a warning, not a refusal.
 */
function lastAppliedWarning(obj: KubeObject): string | undefined {
  const annotations = (obj.metadata as { annotations?: Record<string, string> }).annotations ?? {};
  const size = Object.entries(annotations).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), Buffer.byteLength(LAST_APPLIED) + Buffer.byteLength(JSON.stringify(obj)));
  if (size <= ANNOTATIONS_LIMIT) return undefined;
  return `${obj.kind}/${obj.metadata.name ?? '(unnamed)'} is too large for a client-side kubectl apply: its copy in the ${LAST_APPLIED} annotation would make its annotations ${size} bytes, over the API server's ${ANNOTATIONS_LIMIT}; apply it with kubectl apply --server-side`;
}

/**
 * Renders every chart of `app` to `dist/<env>/<chart>.k8s.yaml` after running the constructs'
 * own validations and checking every object against its schema. A chart that declares a
 * Namespace is written as `00-<chart>.k8s.yaml`, so `kubectl apply -f dist/<env>` (which reads
 * files in name order) creates namespaces before what lives in them. Every object carries its
 * Argo CD sync wave (src/lib/gitops/sync-waves.ts), and no object may need one of a later wave.
 * Every reference between the environment's objects resolves in it (_references.ts), and no two
 * objects share a kind, namespace and name (_object-identity.ts).
 * Objects written under `ops/` ({@link ManifestFile}) are checked against their schemas the same
 * way. No pod template of `dist/` may break the Pod Security level its namespace enforces (a
 * Namespace of the environment labelled `pod-security.kubernetes.io/enforce`): admission would
 * refuse its pods.
 * Throws a SynthError listing every problem; nothing is returned half-valid.
 */
export async function renderApp(app: App, environment: string, folder = `dist/${environment}`): Promise<RenderedEnvironment> {
  const issues = validateApp(app);
  // Chart.toJson() would throw on these too, without the environment: report them first.
  if (issues.length > 0) throw new SynthError(environment, issues);
  const charts: RenderedChart[] = [];
  for (const [chart, json] of chartsJson(app)) {
    const objects = (json as KubeObject[]).map(withSyncWave).sort(compareObjects);
    issues.push(...(await validateObjects(objects)));
    const prefix = objects.some((o) => o.kind === 'Namespace') ? '00-' : '';
    charts.push({ chart, file: `${folder}/${prefix}${chart}.k8s.yaml`, objects });
  }
  const objects = charts.flatMap((c) => c.objects);
  issues.push(...duplicateObjects(charts.map((c) => ({ owner: c.chart, objects: c.objects }))), ...syncWaveIssues(objects), ...referenceProblems(objects));
  // Pod Security admission would refuse these pods: the workload applies, its pods never start.
  issues.push(
    ...enforcedViolations(objects).map((v) => `${v.object} ${v.field}: the namespace ${v.namespace} enforces Pod Security ${v.level}, which refuses it (${v.rule}): ${v.message}`),
  );
  const generated = new Map<string, string>();
  for (const c of app.node.findAll()) {
    if (!(c instanceof GeneratedFile)) continue;
    if (generated.has(c.path)) issues.push(`${c.node.path}: ${c.path} is generated twice`);
    if (c instanceof ManifestFile) issues.push(...(await validateObjects(c.objects())).map((i) => `${c.path}: ${i}`));
    try {
      generated.set(c.path, c.render());
    } catch (err) {
      issues.push(`${c.node.path}: ${(err as Error).message}`);
    }
  }
  if (issues.length > 0) throw new SynthError(environment, issues);
  const files = new Map(charts.map((c) => [c.file, toYamlDocuments(c.objects)]));
  const warnings = objects.flatMap((o) => lastAppliedWarning(o) ?? []);
  return { environment, folder, charts, files, generated, warnings };
}
