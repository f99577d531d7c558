import { describe, expect, it } from 'vitest';
import { assessRisks, diffOutputs, thresholdMove } from '../../src/diff/index.ts';
import { dump } from 'js-yaml';

const file = (...objects: object[]): string => objects.map((o) => dump(o)).join('---\n');
const risksOf = (before: object[], after: object[]) =>
  assessRisks(diffOutputs(new Map([['dist/prod/x.k8s.yaml', file(...before)]]), new Map([['dist/prod/x.k8s.yaml', file(...after)]]))).map(
    (r) => `${r.rule}: ${r.unit}: ${r.detail}`,
  );

const deployment = (replicas: number, image: string) => ({
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'n' },
  spec: { replicas, template: { spec: { containers: [{ name: 'web', image }] } } },
});
const pinned = 'r/web:1@sha256:aa';

describe('assessRisks |', () => {
  it('GIVEN replicas lowered THEN it is a risk; raised THEN it is not', () => {
    expect(risksOf([deployment(3, pinned)], [deployment(2, pinned)])).toEqual(['replicas lowered: Deployment/n/web: spec.replicas: 3 → 2']);
    expect(risksOf([deployment(2, pinned)], [deployment(3, pinned)])).toEqual([]);
    // An autoscaler's floor is the replicas it keeps: lowering it is the same risk.
    const hpa = (min: number) => ({ kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'n' }, spec: { minReplicas: min, maxReplicas: 9 } });
    expect(risksOf([hpa(3)], [hpa(1)])).toEqual(['replicas lowered: HorizontalPodAutoscaler/n/web: spec.minReplicas: 3 → 1']);
    expect(risksOf([hpa(1)], [hpa(3)])).toEqual([]);
  });

  it('GIVEN an image changed to an unpinned tag THEN the risk says so', () => {
    expect(risksOf([deployment(2, pinned)], [deployment(2, 'r/web:2')])).toEqual([
      'image changed: Deployment/n/web: spec.template.spec.containers[name=web].image: r/web:1@sha256:aa → r/web:2 (unpinned: no @sha256)',
    ]);
  });

  it('GIVEN PDB budgets THEN minAvailable lowered and maxUnavailable raised are risks', () => {
    const pdb = (spec: object) => ({ kind: 'PodDisruptionBudget', metadata: { name: 'p', namespace: 'n' }, spec });
    expect(risksOf([pdb({ minAvailable: 2 })], [pdb({ minAvailable: 1 })])).toEqual(['disruption budget loosened: PodDisruptionBudget/n/p: spec.minAvailable: 2 → 1']);
    expect(risksOf([pdb({ maxUnavailable: '10%' })], [pdb({ maxUnavailable: '25%' })])).toHaveLength(1);
    expect(risksOf([pdb({ maxUnavailable: 2 })], [pdb({ maxUnavailable: 1 })])).toEqual([]);
  });

  it('GIVEN a NetworkPolicy port opened THEN the new ingress rule is reported', () => {
    const rule = (port: number) => ({ from: [{ podSelector: { matchLabels: { app: 'edge' } } }], ports: [{ port, protocol: 'TCP' }] });
    const np = (...ingress: object[]) => ({ kind: 'NetworkPolicy', metadata: { name: 'web', namespace: 'n' }, spec: { ingress } });
    expect(risksOf([np(rule(80))], [np(rule(80), rule(9090))])).toEqual([
      'network policy widened: NetworkPolicy/n/web: ingress rule added: {"from":[{"podSelector":{"matchLabels":{"app":"edge"}}}],"ports":[{"port":9090,"protocol":"TCP"}]}',
    ]);
  });

  it('GIVEN a Role rule added THEN RBAC widened is reported', () => {
    const role = (...rules: object[]) => ({ kind: 'Role', metadata: { name: 'r', namespace: 'n' }, rules });
    const get = { apiGroups: [''], resources: ['pods'], verbs: ['get'] };
    const del = { apiGroups: [''], resources: ['pods'], verbs: ['delete'] };
    expect(risksOf([role(get)], [role(get, del)])).toEqual([`RBAC widened: Role/n/r: rule added: ${JSON.stringify(del)}`]);
  });

  it('GIVEN alert thresholds THEN loosened and tightened follow the operator', () => {
    expect(thresholdMove('x > 0.05', 'x > 0.1')).toEqual({ move: 'loosened', from: 0.05, to: 0.1 });
    expect(thresholdMove('x < 7', 'x < 3')).toEqual({ move: 'loosened', from: 7, to: 3 });
    expect(thresholdMove('x < 3', 'x < 7')?.move).toBe('tightened');
    expect(thresholdMove('x > 1', 'y > 2')).toBeUndefined();
  });
});

describe('assessRisks | alerts and environments', () => {
  const rules = (...body: string[]): string => `groups:\n  - name: g\n    rules:\n${body.join('')}`;
  const alert = (name: string, expr: string): string => `      - alert: ${name}\n        expr: ${expr}\n`;

  it('GIVEN one alert loosened, one tightened and one removed THEN only the loosened and the removed are risks', () => {
    const base = new Map([['ops/stemedb/prometheus/alerts.yaml', rules(alert('A', 'x > 1'), alert('B', 'y < 5'), alert('C', 'up == 0'))]]);
    const head = new Map([['ops/stemedb/prometheus/alerts.yaml', rules(alert('A', 'x > 2'), alert('B', 'y < 9'))]]);
    expect(assessRisks(diffOutputs(base, head)).map((r) => `${r.rule}: ${r.unit}: ${r.detail}`)).toEqual([
      'alert threshold loosened: alert:A: threshold 1 → 2',
      'alert removed: alert:C: up == 0',
    ]);
  });

  it('GIVEN a base with an environment the head lacks and the reverse THEN both are reported, not an error', () => {
    const ns = (name: string): string => file({ kind: 'Namespace', metadata: { name } });
    const changes = diffOutputs(new Map([['dist/qa/00-cluster.k8s.yaml', ns('qa')]]), new Map([['dist/dev/00-cluster.k8s.yaml', ns('dev')]]));
    expect(changes.map((c) => `${c.group} ${c.unit} ${c.change}`)).toEqual(['dist/dev Namespace/-/dev added', 'dist/qa Namespace/-/qa removed']);
  });
});

describe('assessRisks | Envoy routes', () => {
  it('GIVEN a route sent to another cluster THEN its listener changes and the risk names the route', () => {
    const envoy = (cluster: string): string =>
      dump({
        static_resources: {
          clusters: [{ name: 'web-3000' }, { name: 'web-4000' }],
          listeners: [{ name: 'https', filter_chains: [{ filters: [{ name: 'hcm', typed_config: { route_config: { virtual_hosts: [{ name: 'edge', routes: [{ name: 'web', match: { prefix: '/' }, route: { cluster } }] }] } } }] }] }],
        },
      });
    const changes = diffOutputs(new Map([['ops/envoy/prod/envoy.yaml', envoy('web-3000')]]), new Map([['ops/envoy/prod/envoy.yaml', envoy('web-4000')]]));
    expect(changes.map((c) => `${c.group} ${c.unit} ${c.change}`)).toEqual(['ops/envoy/prod/envoy.yaml listener:https changed']);
    expect(assessRisks(changes).map((r) => `${r.rule}: ${r.detail}`)).toEqual([
      'route backend changed: filter_chains[0].filters[name=hcm].typed_config.route_config.virtual_hosts[name=edge].routes[name=web].route.cluster: web-3000 → web-4000',
    ]);
  });
});
