import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/analysis/kube-objects.ts';
import { environmentPods, objectLabelRelations, scrapeTargets } from './scrape-targets.ts';

const MANIFESTS = `
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db, namespace: shop }
spec:
  replicas: 2
  selector: { matchLabels: { app.kubernetes.io/name: db } }
  template:
    metadata: { labels: { app.kubernetes.io/name: db } }
    spec: { containers: [{ name: db, ports: [{ name: http, containerPort: 8080 }] }] }
  volumeClaimTemplates: [{ metadata: { name: data } }]
---
apiVersion: v1
kind: Service
metadata: { name: db-api, namespace: shop, labels: { role: api } }
spec: { selector: { app.kubernetes.io/name: db }, ports: [{ name: http, port: 80, targetPort: 8080 }] }
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: { name: db, namespace: shop }
spec: { selector: { matchLabels: { role: api } }, endpoints: [{ port: http, interval: 15s }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector: { matchLabels: { app.kubernetes.io/name: web } }
  template:
    metadata: { labels: { app.kubernetes.io/name: web } }
    spec: { containers: [{ name: web }, { name: exporter, ports: [{ name: metrics, containerPort: 9113 }] }] }
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: web, namespace: shop }
spec: { scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }, minReplicas: 3, maxReplicas: 5 }
---
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata: { name: web, namespace: shop }
spec: { selector: { matchLabels: { app.kubernetes.io/name: web } }, podMetricsEndpoints: [{ port: metrics }] }
`;

describe('scrapeTargets |', () => {
  const objects = loadManifests(MANIFESTS);
  const pods = environmentPods(objects);
  const targets = scrapeTargets(objects, pods);

  it('GIVEN workloads THEN their pods: a StatefulSet by ordinal, a Deployment as many as its autoscaler floor', () => {
    expect(pods.filter((p) => p.name.startsWith('db-')).map((p) => p.name)).toEqual(['db-0', 'db-1']);
    expect(pods.filter((p) => p.name.startsWith('web-'))).toHaveLength(3);
  });

  it('GIVEN a ServiceMonitor THEN job is the Service name, with service, endpoint, container and instance on the target port', () => {
    const db = targets.filter((t) => t.monitor === 'ServiceMonitor/db');
    expect(db.map((t) => ({ ...t.labels, instance: t.labels['instance']!.replace(/^[\d.]+/, 'IP') }))).toEqual([
      { namespace: 'shop', service: 'db-api', pod: 'db-0', container: 'db', endpoint: 'http', job: 'db-api', instance: 'IP:8080' },
      { namespace: 'shop', service: 'db-api', pod: 'db-1', container: 'db', endpoint: 'http', job: 'db-api', instance: 'IP:8080' },
    ]);
    expect(db.map((t) => [t.interval, t.component])).toEqual([[15, 'db'], [15, 'db']]);
  });

  it('GIVEN a PodMonitor THEN job is <namespace>/<monitor> and the container is the one serving the port', () => {
    const web = targets.filter((t) => t.monitor === 'PodMonitor/web');
    expect(web).toHaveLength(3);
    for (const t of web) expect([t.labels['job'], t.labels['container'], t.labels['endpoint'], t.interval]).toEqual(['shop/web', 'exporter', 'metrics', 30]);
  });

  it('GIVEN the objects THEN claim names come from the claim templates of each StatefulSet pod', () => {
    expect(objectLabelRelations(objects, pods).get('persistentvolumeclaim')).toEqual([{ persistentvolumeclaim: 'data-db-0' }, { persistentvolumeclaim: 'data-db-1' }]);
  });

  it('GIVEN a monitor with relabelings THEN it is refused, not guessed', () => {
    const relabelled = loadManifests(MANIFESTS.replace('podMetricsEndpoints: [{ port: metrics }]', 'podMetricsEndpoints: [{ port: metrics, relabelings: [{ action: drop }] }]'));
    expect(() => scrapeTargets(relabelled, environmentPods(relabelled))).toThrow(/PodMonitor\/web: relabelings are not modelled/);
  });
});
