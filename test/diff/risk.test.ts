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

  it('GIVEN a NetworkPolicy port opened THEN the flow it opens is reported, computed from the policies and pods', () => {
    const pod = (name: string, ...ports: number[]) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: 'n' },
      spec: { template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: pinned, ports: ports.map((containerPort) => ({ containerPort })) }] } } },
    });
    const rule = (port: number) => ({ from: [{ podSelector: { matchLabels: { app: 'edge' } } }], ports: [{ port, protocol: 'TCP' }] });
    const np = (...ingress: object[]) => ({ kind: 'NetworkPolicy', metadata: { name: 'web', namespace: 'n' }, spec: { podSelector: { matchLabels: { app: 'web' } }, ingress } });
    const pods = [pod('edge'), pod('web', 80, 9090)];
    expect(risksOf([...pods, np(rule(80))], [...pods, np(rule(80), rule(9090))])).toEqual(['network flow opened: n/edge -> n/web 9090/TCP: now allowed']);
    // A rule admitting every pod of every namespace opens the port to pods the policies never name.
    expect(risksOf([...pods, np(rule(80))], [...pods, np(rule(80), { ports: [{ port: 9090 }] })])).toEqual([
      'network flow opened: (other)/any pod -> n/web 9090/TCP: now allowed',
      'network flow opened: kube-system/kube-dns -> n/web 9090/TCP: now allowed',
      'network flow opened: n/edge -> n/web 9090/TCP: now allowed',
      'network flow opened: n/web -> n/web 9090/TCP: now allowed',
    ]);
    // The same rules in another order allow the same flows: nothing to report.
    expect(risksOf([...pods, np(rule(80), rule(9090))], [...pods, np(rule(9090), rule(80))])).toEqual([]);
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
  type Route = { name: string; cluster: string; prefix: string };
  const envoy = (...routes: Route[]): string =>
    dump({
      static_resources: {
        clusters: [{ name: 'web-3000' }, { name: 'web-4000' }, { name: 'api-8080' }],
        listeners: [
          {
            name: 'https',
            filter_chains: [
              {
                filters: [
                  {
                    name: 'hcm',
                    typed_config: { route_config: { virtual_hosts: [{ name: 'edge', routes: routes.map((r) => ({ name: r.name, match: { prefix: r.prefix }, route: { cluster: r.cluster } })) }] } },
                  },
                ],
              },
            ],
          },
        ],
      },
    });
  const FILE = 'ops/envoy/prod/envoy.yaml';
  const diffOf = (before: Route[], after: Route[]) => diffOutputs(new Map([[FILE, envoy(...before)]]), new Map([[FILE, envoy(...after)]]));
  const web: Route = { name: 'web', cluster: 'web-3000', prefix: '/' };
  const api: Route = { name: 'api', cluster: 'api-8080', prefix: '/api' };

  it('GIVEN a route sent to another cluster THEN that route is the changed unit and the risk names it', () => {
    const changes = diffOf([web], [{ ...web, cluster: 'web-4000' }]);
    expect(changes.map((c) => `${c.group} ${c.unit} ${c.change}`)).toEqual([`${FILE} route:https/edge/web changed`]);
    expect(assessRisks(changes).map((r) => `${r.rule}: ${r.unit}: ${r.detail}`)).toEqual(['route backend changed: route:https/edge/web: route.cluster: web-3000 → web-4000']);
  });

  it('GIVEN a route added after the others THEN it is reported as an added route and is no risk', () => {
    const changes = diffOf([api, web], [api, web, { name: 'docs', cluster: 'web-4000', prefix: '/docs' }]);
    expect(changes.filter((c) => c.unit.startsWith('route:')).map((c) => `${c.unit} ${c.change}`)).toEqual(['route:https/edge/docs added']);
    expect(assessRisks(changes)).toEqual([]);
  });

  it('GIVEN routes reordered or removed THEN each is a risk (the first match wins)', () => {
    expect(assessRisks(diffOf([api, web], [web, api])).map((r) => `${r.rule}: ${r.detail}`)).toEqual(['routes reordered: api, web → web, api']);
    expect(assessRisks(diffOf([api, web], [web])).map((r) => `${r.rule}: ${r.unit}: ${r.detail}`)).toEqual(['route removed: route:https/edge/api: was to api-8080']);
  });
});

describe('assessRisks | Alertmanager routing', () => {
  const FILE = 'ops/alertmanager/alertmanager.yaml';
  type Child = { matchers: string[]; receiver: string };
  const config = (routes: Child[], equal: string[] = ['service'], receivers = ['pager', 'chat']): string =>
    dump({
      route: { receiver: 'chat', routes },
      receivers: receivers.map((name) => ({ name })),
      inhibit_rules: [{ source_matchers: ['priority="P1"'], target_matchers: ['priority="P3"'], equal }],
    });
  const p1: Child = { matchers: ['priority="P1"'], receiver: 'pager' };
  const p3: Child = { matchers: ['priority="P3"'], receiver: 'chat' };
  const diffOf = (before: string, after: string) => diffOutputs(new Map([[FILE, before]]), new Map([[FILE, after]]));
  const risks = (before: string, after: string) => assessRisks(diffOf(before, after)).map((r) => `${r.rule}: ${r.unit}: ${r.detail}`);

  it('GIVEN a route sent to another receiver THEN that route alone changed and it is a risk', () => {
    const changes = diffOf(config([p1, p3]), config([{ ...p1, receiver: 'chat' }, p3]));
    expect(changes.map((c) => `${c.unit} ${c.change}`)).toEqual(['route:priority="P1" changed']);
    expect(risks(config([p1, p3]), config([{ ...p1, receiver: 'chat' }, p3]))).toEqual(['alert route changed: route:priority="P1": receiver: pager → chat']);
  });

  it('GIVEN a route or a receiver removed THEN each is a risk; a route added is not', () => {
    expect(risks(config([p1, p3]), config([p3]))).toEqual(['alert route removed: route:priority="P1": was to pager']);
    expect(risks(config([p3]), config([p1, p3]))).toEqual([]);
    expect(risks(config([p3]), config([p3], ['service'], ['chat']))).toEqual(['receiver removed: receiver:pager: alerts routed to it are dropped']);
  });

  it('GIVEN an inhibit rule with fewer equal labels THEN inhibition widened; with more THEN no risk', () => {
    expect(risks(config([p1], ['service', 'lang']), config([p1], ['service']))).toEqual([
      'inhibition widened: inhibit:priority="P1" -> priority="P3": equal no longer requires lang',
    ]);
    expect(risks(config([p1], ['service']), config([p1], ['service', 'lang']))).toEqual([]);
  });
});
