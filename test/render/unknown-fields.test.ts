import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubernetesFields } from '../../src/cli/import-kubernetes-fields-command.ts';
import { validateObjects, type KubeObject } from '../../src/render/index.ts';
import { KUBERNETES_FIELDS_PATH } from '../../src/render/_kubernetes-fields.ts';
import { BUILTIN_KINDS } from '../../src/render/_schemas.ts';
import { PROJECT_ROOT } from '../_helpers.ts';

/*
 * Built-in kinds are checked for fields Kubernetes does not declare: the kubernetes-models
 * validators accept them, the API server would drop them silently, `kubectl apply
 * --validate=strict` refuses them. Synth refuses them too, naming the field path.
 */

const labels = {
  'app.kubernetes.io/name': 'web',
  'app.kubernetes.io/instance': 'test',
  'app.kubernetes.io/component': 'frontend',
  'app.kubernetes.io/part-of': 'test',
  'app.kubernetes.io/version': 'v1',
  'app.kubernetes.io/managed-by': 'cdk8s',
};

function deployment(volume: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels },
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
      template: {
        metadata: { labels, annotations: { 'checksum/config': 'x' } },
        spec: { containers: [{ name: 'web', image: 'web:v1', resources: { limits: { cpu: '1' } } }], volumes: [{ name: 'data', ...volume }] },
      },
    },
  };
}

describe('Unknown fields of built-in kinds |', () => {
  it('GIVEN a well-formed Deployment (labels and annotations are free maps) THEN it passes', async () => {
    expect(await validateObjects([deployment({ persistentVolumeClaim: { claimName: 'data' } })])).toEqual([]);
  });

  it('GIVEN a misspelled pod volume source THEN synth names the object and the field path', async () => {
    expect(await validateObjects([deployment({ persistentPersistentClaim: { claimName: 'data' } })])).toEqual([
      'Deployment/web spec.template.spec.volumes[0].persistentPersistentClaim: unknown field',
    ]);
  });

  it('GIVEN a misspelled field deep in a container THEN synth names it', async () => {
    const d = deployment({ emptyDir: {} }) as KubeObject & { spec: { template: { spec: { containers: Record<string, unknown>[] } } } };
    d.spec.template.spec.containers[0]!['resources'] = { limit: { cpu: '1' } };
    expect(await validateObjects([d])).toEqual(['Deployment/web spec.template.spec.containers[0].resources.limit: unknown field']);
  });

  it('GIVEN kubernetes-models in node_modules THEN the committed field tree is what npm run import:fields writes now', () => {
    const committed = JSON.parse(readFileSync(join(PROJECT_ROOT, KUBERNETES_FIELDS_PATH), 'utf8'));
    expect(kubernetesFields(PROJECT_ROOT, BUILTIN_KINDS)).toEqual(committed);
    expect(Object.keys(committed.kinds).sort()).toEqual(Object.keys(BUILTIN_KINDS).sort());
  });
});
