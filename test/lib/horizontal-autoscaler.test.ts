import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AppLabels, HorizontalAutoscaler, ImageReference, StatelessService } from '../../src/lib/index.ts';
import { testChart } from '../_helpers.ts';

const labels = new AppLabels({ name: 'svc', instance: 'i', component: 'c', partOf: 'p', version: 'v1' });

function service() {
  const chart = testChart();
  const svc = new StatelessService(chart, 'Svc', {
    name: 'svc',
    labels,
    replicas: 3,
    container: {
      image: ImageReference.of({ repository: 'ghcr.io/x/svc', tag: 'v1' }),
      ports: [{ name: 'http', port: 8080 }],
      resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } },
    },
  });
  return { chart, svc };
}

const scale = (scope: ReturnType<typeof service>['chart'], id: string, target: StatelessService) =>
  new HorizontalAutoscaler(scope, id, { target, minReplicas: 3, maxReplicas: 6, metrics: [{ kind: 'cpu', utilization: 70 }] });

describe('HorizontalAutoscaler |', () => {
  it('GIVEN a Deployment WHEN an autoscaler scales it THEN the Deployment sets no replicas and the autoscaler floor is its replicas', () => {
    const { chart, svc } = service();
    expect(Testing.synth(chart).find((o) => o.kind === 'Deployment').spec.replicas).toBe(3);
    scale(chart, 'Autoscaler', svc);
    const objs = Testing.synth(chart);
    expect(objs.find((o) => o.kind === 'Deployment').spec).not.toHaveProperty('replicas');
    expect(objs.find((o) => o.kind === 'HorizontalPodAutoscaler').spec).toMatchObject({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'svc' },
      minReplicas: 3,
    });
  });

  it('GIVEN a Deployment already scaled WHEN a second autoscaler targets it THEN it throws naming both', () => {
    const { chart, svc } = service();
    scale(chart, 'First', svc);
    expect(() => scale(chart, 'Second', svc)).toThrow(/^\[test\/Second\] test\/Svc is already scaled by test\/First; two owners of one Deployment's replicas fight$/);
  });
});
