import { describe, expect, it } from 'vitest';
import { PlatformError, synthesize } from '../../src/render/index.ts';
import { sharedObjects } from '../../src/render/_object-identity.ts';
import { environmentLabel } from '../../src/render/stack.ts';
import { STACKS } from '../../src/stacks/index.ts';

/*
 * Every environment owns what it renders: its namespace and any object outside it. Two
 * environments in one namespace (a `--set namespace=...` given to several, a copied environment
 * file) would overwrite each other's objects, and their Argo CD Applications would both claim
 * them: synth refuses it, one line per environment, naming the environment that rendered it first.
 */

const object = (kind: string, name: string, namespace?: string) => ({ apiVersion: 'v1', kind, metadata: { name, ...(namespace ? { namespace } : {}) } });

describe('synthesize | what environments share', () => {
  it('GIVEN the selected environments of every stack in one namespace THEN synth refuses each after the first, naming the namespace and the first', async () => {
    // GIVEN
    const request = { environments: ['staging'], overrides: { files: [], sets: ['namespace=shared-ns'] } };
    // WHEN
    const err = await synthesize(STACKS, request).catch((e: unknown) => e);
    // THEN
    expect(err).toBeInstanceOf(PlatformError);
    const [first, ...others] = STACKS.map((s) => environmentLabel(s, 'staging'));
    expect((err as Error).message.split('\n')).toEqual(
      others.map((env) => expect.stringMatching(new RegExp(`^\\[${env}\\] Namespace/shared-ns metadata\\.name: environment ${first} renders this namespace too: `))),
    );
  });

  it('GIVEN two environments sharing a namespace, a cluster-scoped object, and an object in a third namespace THEN one line each, nothing for what is inside the shared namespace', () => {
    const shared = sharedObjects([
      { owner: 'prod', objects: [object('Namespace', 'shop'), object('Service', 'api', 'shop'), object('ClusterRole', 'reader'), object('ConfigMap', 'dashboards', 'monitoring')] },
      { owner: 'staging', objects: [object('Namespace', 'shop'), object('Service', 'api', 'shop'), object('ClusterRole', 'reader'), object('ConfigMap', 'dashboards', 'monitoring')] },
      { owner: 'qa', objects: [object('Namespace', 'shop-qa'), object('Service', 'api', 'shop-qa'), object('ClusterRole', 'qa-reader')] },
    ]);
    expect([...shared.keys()]).toEqual(['staging']);
    expect(shared.get('staging')!.map((line) => line.replace(/: environment prod renders this (namespace|object) too: .*/, ''))).toEqual([
      'Namespace/shop metadata.name',
      'ClusterRole/reader metadata.name',
      'ConfigMap/dashboards metadata.name in namespace monitoring',
    ]);
  });
});
