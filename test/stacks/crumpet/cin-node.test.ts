import { describe, expect, it } from 'vitest';
import { loadEnvironment } from '../../../src/stacks/crumpet/index.ts';
import { matchesSelector, podSpecsOf, type KubeObject } from '../../_analysis/index.ts';
import { distObjects, ENVIRONMENTS, helmObjects } from './_output.ts';

/*
 * How CIN instances are placed, computed from the pod templates of every environment's dist/ and
 * of the cin-node chart rendered with that environment's values. Each instance is its own
 * single-replica StatefulSet `cin-node-<lang>-<n>` (README, "CIN instances"), so a spread
 * constraint spreads something only if it selects the other instances of the language too.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = KubeObject & Record<string, any>;

const TOPOLOGY_KEYS = ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'] as const;

describe.each(ENVIRONMENTS)('CinNode instances of %s |', async (env) => {
  const config = await loadEnvironment(env);
  const outputs = [
    { name: `dist/${env}`, objects: distObjects(env) },
    { name: `helm cin-node values-${env}.yaml`, objects: await helmObjects('cin-node', env) },
  ];
  /** The instances of each language, by the README's naming, from the model. */
  const languages = config.components.cinNode.languages.map((l) => ({
    code: l.code,
    instances: Array.from({ length: l.replicas }, (_, n) => `cin-node-${l.code}-${n}`),
  }));

  it.each(outputs.map((o) => [o.name, o] as const))(
    'GIVEN %s THEN the spread constraints of each instance, on nodes and on zones, select exactly the pod templates of its language\'s instances',
    (_name, output) => {
      const templates = output.objects.flatMap((o) => podSpecsOf(o).map((pod) => ({ name: `${o.kind}/${o.metadata?.name}`, labels: pod.labels })));
      const wrong: string[] = [];
      for (const { code, instances } of languages) {
        const expected = instances.map((i) => `StatefulSet/${i}`).sort();
        for (const instance of instances) {
          const set = output.objects.find((o) => o.kind === 'StatefulSet' && o.metadata?.name === instance) as Obj | undefined;
          if (!set) {
            wrong.push(`StatefulSet/${instance} is missing`);
            continue;
          }
          const constraints: Obj[] = set.spec.template.spec.topologySpreadConstraints ?? [];
          for (const key of TOPOLOGY_KEYS) {
            const on = constraints.filter((c) => c.topologyKey === key);
            if (on.length !== 1) {
              wrong.push(`StatefulSet/${instance} must have one topologySpreadConstraint on ${key}, has ${on.length}`);
              continue;
            }
            const selected = templates.filter((t) => matchesSelector(on[0]!.labelSelector ?? {}, t.labels)).map((t) => t.name).sort();
            if (JSON.stringify(selected) !== JSON.stringify(expected)) {
              wrong.push(`StatefulSet/${instance} topologySpreadConstraints[${key}].labelSelector must select exactly the ${code} instances ${expected.join(', ')}, selects ${selected.join(', ') || 'none'}`);
            }
            if (on[0]!.maxSkew !== 1) wrong.push(`StatefulSet/${instance} topologySpreadConstraints[${key}].maxSkew must be 1, got ${on[0]!.maxSkew}`);
          }
        }
      }
      expect(wrong).toEqual([]);
    },
  );
});
