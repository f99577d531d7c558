import { describe, expect, it } from 'vitest';
import { checkRestricted, firstViolation, formatViolation, podSpecsOf } from '../../_analysis/index.ts';
import { MIRROR_COMPONENTS } from '../../../src/stacks/mirror/index.ts';
import { distObjects, ENVIRONMENTS } from './_mirror.ts';

/* Every pod template of dist/mirror/<env>/ against the Pod Security Standard "restricted" (test/_analysis/pod-security.ts). */

describe.each(ENVIRONMENTS)('Mirror Pod Security Standard restricted, %s |', (env) => {
  const objects = distObjects(env);
  const withPods = objects.filter((o) => podSpecsOf(o).length > 0);

  it('GIVEN the output THEN every declared component has pod templates', () => {
    const names = new Set(withPods.map((o) => o.metadata?.name));
    for (const c of MIRROR_COMPONENTS.components) expect(names.has(c.name), c.name).toBe(true);
  });

  it('GIVEN every pod template THEN none violates the restricted profile', () => {
    const first = firstViolation(objects, 'restricted');
    expect(first && formatViolation(first)).toBeUndefined();
    for (const o of withPods) expect(checkRestricted(o).map(formatViolation)).toEqual([]);
  });

  it('GIVEN the namespace THEN admission enforces restricted too', () => {
    const ns = objects.find((o) => o.kind === 'Namespace')!;
    expect(ns.metadata?.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });
});
