import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRestricted, firstViolation, formatViolation, loadManifests, podSpecsOf } from '../../_analysis/index.ts';
import { PROJECT_ROOT } from '../../_helpers.ts';
import { ENVIRONMENTS } from './_output.ts';

/* Every pod template of dist/ against the Pod Security Standard "restricted" (test/_analysis/pod-security.ts). */

describe.each(ENVIRONMENTS)('Pod Security Standard restricted, %s |', (env) => {
  const dir = join(PROJECT_ROOT, 'dist', env);
  const objects = readdirSync(dir).sort().flatMap((f) => loadManifests(readFileSync(join(dir, f), 'utf8')));
  const withPods = objects.filter((o) => podSpecsOf(o).length > 0);

  it('GIVEN the output THEN it has pod templates of every workload kind, sidecars included', () => {
    expect(new Set(withPods.map((o) => o.kind))).toEqual(new Set(['Deployment', 'StatefulSet', 'CronJob']));
    const containers = withPods.flatMap((o) => podSpecsOf(o).flatMap((p) => p.spec.containers ?? []));
    expect(containers.map((c) => c.name)).toEqual(expect.arrayContaining(['otel-collector', 'promtail']));
  });

  it('GIVEN every pod template THEN none violates the restricted profile', () => {
    const first = firstViolation(objects, 'restricted');
    expect(first && formatViolation(first)).toBeUndefined();
    for (const o of withPods) expect(checkRestricted(o).map(formatViolation)).toEqual([]);
  });

  it('GIVEN the namespace THEN admission enforces restricted too', () => {
    const nsObj = objects.find((o) => o.kind === 'Namespace')!;
    expect(nsObj.metadata?.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });
});
