import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/analysis/kube-objects.ts';
import { FlowModel, formatFlows, type ExternalEndpoint, type KubeObject } from '../../src/analysis/network-flows.ts';

/* A small shop: web calls api (http 9090, grpc 9091), api calls db (5432), Prometheus scrapes. */

function workload(name: string, ports: readonly { name: string; containerPort: number; protocol?: string }[], kind = 'Deployment'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name, namespace: 'shop' },
    spec: { template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: `${name}:1`, ports }] } } },
  };
}

const NAMESPACE: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { team: 'shop' } } };
const WEB = workload('web', [{ name: 'http', containerPort: 8080 }]);
const API = workload('api', [
  { name: 'http', containerPort: 9090 },
  { name: 'grpc', containerPort: 9091 },
]);
const DB = workload('db', [{ name: 'pg', containerPort: 5432 }], 'StatefulSet');
const APP: readonly KubeObject[] = [NAMESPACE, WEB, API, DB];

const PROMETHEUS: ExternalEndpoint = { namespace: 'monitoring', name: 'prometheus', podLabels: { 'app.kubernetes.io/name': 'prometheus' } };
const GRAFANA: ExternalEndpoint = { namespace: 'monitoring', name: 'grafana', podLabels: { 'app.kubernetes.io/name': 'grafana' } };
const INTRUDER: ExternalEndpoint = { namespace: 'sandbox', name: 'prometheus', podLabels: { 'app.kubernetes.io/name': 'prometheus' } };
const EXTERNAL = [PROMETHEUS, GRAFANA, INTRUDER];

/** A NetworkPolicy in `shop` from its spec, written as YAML like the synthesized files. */
function policy(name: string, specYaml: string): KubeObject {
  const indented = specYaml.trim().split('\n').map((l) => `  ${l}`).join('\n');
  const [obj] = loadManifests(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: ${name}, namespace: shop }\nspec:\n${indented}\n`);
  return obj!;
}

const DENY_ALL = policy('deny-all', `
podSelector: {}
policyTypes: [Ingress, Egress]
`);

const model = (...policies: KubeObject[]): FlowModel => new FlowModel([...APP, ...policies], EXTERNAL);

describe('FlowModel |', () => {
  describe('isolation', () => {
    it('GIVEN no policy THEN every pod reaches every other on any port', () => {
      const m = model();

      expect(m.allows('shop/web', 'shop/db', 5432)).toBe(true);
      expect(m.allows('sandbox/prometheus', 'shop/api', 12345, 'UDP')).toBe(true);
      expect(m.allowsDns('shop/web')).toBe(true);
    });

    it('GIVEN a default-deny policy THEN nothing flows, not even DNS', () => {
      const m = model(DENY_ALL);

      expect(m.matrix()).toEqual([]);
      expect(m.allowsDns('shop/web')).toBe(false);
      expect(m.allows('monitoring/prometheus', 'shop/api', 9090)).toBe(false);
      expect(m.explain('shop/web', 'shop/api', 9090)).toBe(
        [
          'shop/web -> shop/api 9090/TCP: DENIED',
          '  egress of shop/web: isolated by shop/deny-all; no rule allows it',
          '  ingress of shop/api: isolated by shop/deny-all; no rule allows it',
        ].join('\n'),
      );
    });

    it('GIVEN only egress isolation THEN the pod cannot send but can still receive', () => {
      const m = model(policy('web-no-egress', `
podSelector: { matchLabels: { app: web } }
policyTypes: [Egress]
`));

      expect(m.allows('shop/web', 'shop/api', 9090)).toBe(false);
      expect(m.allows('shop/api', 'shop/web', 8080)).toBe(true);
      expect(m.verdict('shop/api', 'shop/web', 8080).ingress.isolatedBy).toEqual([]);
    });

    it('GIVEN only ingress isolation THEN the pod can still send', () => {
      const m = model(policy('web-no-ingress', `
podSelector: { matchLabels: { app: web } }
policyTypes: [Ingress]
`));

      expect(m.allows('shop/web', 'shop/api', 9090)).toBe(true);
      expect(m.allows('shop/api', 'shop/web', 8080)).toBe(false);
    });

    it('GIVEN egress allowed by the source but ingress denied at the destination THEN the flow is denied', () => {
      const m = model(
        policy('web-egress', `
podSelector: { matchLabels: { app: web } }
policyTypes: [Egress]
egress: [{ to: [{ podSelector: { matchLabels: { app: db } } }] }]
`),
        policy('db-ingress', `
podSelector: { matchLabels: { app: db } }
ingress: [{ from: [{ podSelector: { matchLabels: { app: api } } }] }]
`),
      );

      const v = m.verdict('shop/web', 'shop/db', 5432);

      expect(v.egress).toMatchObject({ allowed: true, allowedBy: ['shop/web-egress egress[0]'] });
      expect(v.ingress).toMatchObject({ allowed: false, isolatedBy: ['shop/db-ingress'], allowedBy: [] });
      expect(v.allowed).toBe(false);
      expect(m.allows('shop/api', 'shop/db', 5432)).toBe(true);
    });
  });

  describe('policyTypes defaulting', () => {
    it('GIVEN no policyTypes and no egress THEN the policy isolates ingress only', () => {
      const m = model(policy('api', `
podSelector: { matchLabels: { app: api } }
ingress: []
`));

      expect(m.allows('shop/web', 'shop/api', 9090)).toBe(false);
      expect(m.allows('shop/api', 'shop/db', 5432)).toBe(true);
    });

    it('GIVEN no policyTypes and egress rules THEN it isolates egress too, allowing only those rules', () => {
      const m = model(policy('api', `
podSelector: { matchLabels: { app: api } }
egress: [{ ports: [{ port: 5432 }] }]
`));

      expect(m.allows('shop/api', 'shop/db', 5432)).toBe(true);
      expect(m.allows('shop/api', 'shop/web', 8080)).toBe(false);
      expect(m.allows('shop/web', 'shop/api', 9090)).toBe(false);
    });

    it('GIVEN no policyTypes and an empty egress list THEN egress is not isolated (the default counts rules)', () => {
      const m = model(policy('api', `
podSelector: { matchLabels: { app: api } }
egress: []
`));

      expect(m.allows('shop/api', 'shop/web', 8080)).toBe(true);
      expect(m.allows('shop/web', 'shop/api', 9090)).toBe(false);
    });

    it('GIVEN policyTypes [Egress] with ingress rules THEN the ingress rules are ignored', () => {
      const m = model(
        DENY_ALL,
        policy('api', `
podSelector: { matchLabels: { app: api } }
policyTypes: [Egress]
ingress: [{}]
`),
      );

      expect(m.verdict('shop/web', 'shop/api', 9090).ingress.allowedBy).toEqual([]);
    });
  });

  describe('rules and ports', () => {
    const WEB_TO_API_HTTP = [
      DENY_ALL,
      policy('api-from-web', `
podSelector: { matchLabels: { app: api } }
ingress: [{ from: [{ podSelector: { matchLabels: { app: web } } }], ports: [{ port: 9090 }] }]
`),
      policy('web-to-api', `
podSelector: { matchLabels: { app: web } }
policyTypes: [Egress]
egress: [{ to: [{ podSelector: { matchLabels: { app: api } } }], ports: [{ port: 9090, protocol: TCP }] }]
`),
    ];

    it('GIVEN default-deny and one allow pair THEN exactly that port opens, in that direction only', () => {
      const m = model(...WEB_TO_API_HTTP);

      expect(formatFlows(m.matrix())).toEqual(['shop/web -> shop/api 9090/TCP']);
      expect(m.allows('shop/web', 'shop/api', 9091)).toBe(false);
      expect(m.allows('shop/web', 'shop/api', 9090, 'UDP')).toBe(false);
      expect(m.allows('shop/api', 'shop/web', 8080)).toBe(false);
      expect(m.explain('shop/web', 'shop/api', 9090)).toContain('allowed by shop/api-from-web ingress[0]');
    });

    it('GIVEN a rule with a named port THEN it resolves against the destination containers', () => {
      const m = model(DENY_ALL, policy('api-grpc', `
podSelector: { matchLabels: { app: api } }
ingress: [{ ports: [{ port: grpc }] }]
`));

      expect(m.allows('monitoring/prometheus', 'shop/api', 9091)).toBe(true);
      expect(m.allows({ namespace: 'monitoring', name: 'prometheus' }, 'shop/api', 'grpc')).toBe(true);
      expect(m.allows('monitoring/prometheus', 'shop/api', 9090)).toBe(false);
      expect(m.allows('monitoring/prometheus', 'shop/api', 9091, 'UDP')).toBe(false);
    });

    it('GIVEN a query by a port name the destination does not declare THEN it throws naming the endpoint', () => {
      expect(() => model().allows('shop/web', 'shop/db', 'grpc')).toThrow(/shop\/db declares no TCP port named "grpc"/);
    });

    it('GIVEN an endPort range and UDP/SCTP rules THEN only that protocol and range match', () => {
      const m = model(DENY_ALL, policy('db', `
podSelector: { matchLabels: { app: db } }
ingress: [{ ports: [{ port: 7000, endPort: 7010, protocol: UDP }, { port: 3868, protocol: SCTP }] }]
`));

      expect([6999, 7000, 7010, 7011].map((p) => m.allows('monitoring/grafana', 'shop/db', p, 'UDP'))).toEqual([false, true, true, false]);
      expect(m.allows('monitoring/grafana', 'shop/db', 7005, 'TCP')).toBe(false);
      expect(m.allows('monitoring/grafana', 'shop/db', 3868, 'SCTP')).toBe(true);
    });

    it('GIVEN a rule without ports THEN every port and protocol of the allowed peers opens', () => {
      const m = model(DENY_ALL, policy('db', `
podSelector: { matchLabels: { app: db } }
ingress: [{ from: [{ podSelector: { matchLabels: { app: api } } }] }]
`));

      expect(m.allows('monitoring/grafana', 'shop/db', 5432)).toBe(false);
      expect(m.verdict('shop/api', 'shop/db', 1, 'UDP').ingress.allowed).toBe(true);
    });
  });

  describe('peers', () => {
    it('GIVEN a namespaceSelector for monitoring THEN every pod there may scrape, and no other namespace', () => {
      const m = model(DENY_ALL, policy('api-metrics', `
podSelector: { matchLabels: { app: api } }
ingress: [{ from: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: monitoring } } }], ports: [{ port: http }] }]
`));

      expect(m.allows('monitoring/prometheus', 'shop/api', 9090)).toBe(true);
      expect(m.allows('monitoring/grafana', 'shop/api', 9090)).toBe(true);
      expect(m.allows('sandbox/prometheus', 'shop/api', 9090)).toBe(false);
    });

    it('GIVEN podSelector and namespaceSelector in one peer THEN both must match (AND)', () => {
      const m = model(DENY_ALL, policy('api-metrics', `
podSelector: { matchLabels: { app: api } }
ingress:
  - from:
      - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: monitoring } }
        podSelector: { matchLabels: { app.kubernetes.io/name: prometheus } }
`));

      expect(m.allows('monitoring/prometheus', 'shop/api', 9090)).toBe(true);
      expect(m.allows('monitoring/grafana', 'shop/api', 9090)).toBe(false);
      expect(m.allows('sandbox/prometheus', 'shop/api', 9090)).toBe(false);
    });

    it('GIVEN the same selectors as two peers THEN either may match (OR), the podSelector in the policy namespace', () => {
      const m = model(DENY_ALL, policy('api-metrics', `
podSelector: { matchLabels: { app: api } }
ingress:
  - from:
      - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: monitoring } }
      - podSelector: { matchLabels: { app.kubernetes.io/name: prometheus } }
`));

      expect(m.allows('monitoring/prometheus', 'shop/api', 9090)).toBe(true);
      expect(m.allows('monitoring/grafana', 'shop/api', 9090)).toBe(true);
      expect(m.allows('sandbox/prometheus', 'shop/api', 9090)).toBe(false);
    });

    it('GIVEN a namespaceSelector on a label of the Namespace object THEN pods of that namespace match', () => {
      const m = model(DENY_ALL, policy('db', `
podSelector: { matchLabels: { app: db } }
ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: shop } }, podSelector: { matchLabels: { app: api } } }] }]
`));

      expect(m.verdict('shop/api', 'shop/db', 5432).ingress.allowed).toBe(true);
      expect(m.verdict('shop/web', 'shop/db', 5432).ingress.allowed).toBe(false);
    });

    it('GIVEN matchExpressions THEN In, NotIn, Exists and DoesNotExist combine with matchLabels', () => {
      const m = model(DENY_ALL, policy('db', `
podSelector:
  matchExpressions: [{ key: app, operator: In, values: [db, cache] }]
ingress:
  - from:
      - podSelector:
          matchExpressions:
            - { key: app, operator: Exists }
            - { key: app, operator: NotIn, values: [web] }
            - { key: debug, operator: DoesNotExist }
`));

      expect(m.verdict('shop/api', 'shop/db', 5432).ingress.allowed).toBe(true);
      expect(m.verdict('shop/web', 'shop/db', 5432).ingress.allowed).toBe(false);
      expect(m.verdict('shop/web', 'shop/api', 9090).ingress.isolatedBy).toEqual(['shop/deny-all']);
    });

    it('GIVEN an unknown selector operator THEN evaluation throws rather than guessing', () => {
      const m = model(policy('bad', `
podSelector: { matchExpressions: [{ key: app, operator: Like, values: [a] }] }
`));

      expect(() => m.allows('shop/web', 'shop/api', 9090)).toThrow(/unknown label selector operator "Like"/);
    });

    it('GIVEN an ipBlock with except THEN the CIDR minus the exceptions is reachable', () => {
      const m = model(DENY_ALL, policy('web-out', `
podSelector: { matchLabels: { app: web } }
policyTypes: [Egress]
egress: [{ to: [{ ipBlock: { cidr: 10.0.0.0/8, except: [10.1.0.0/16, 10.2.3.4/32] } }], ports: [{ port: 443 }] }]
`));

      expect(m.allows('shop/web', { ip: '10.200.0.1' }, 443)).toBe(true);
      expect(m.allows('shop/web', { ip: '10.1.2.3' }, 443)).toBe(false);
      expect(m.allows('shop/web', { ip: '10.2.3.4' }, 443)).toBe(false);
      expect(m.allows('shop/web', { ip: '10.2.3.5' }, 443)).toBe(true);
      expect(m.allows('shop/web', { ip: '11.0.0.1' }, 443)).toBe(false);
      expect(m.allows('shop/web', { ip: '10.200.0.1' }, 80)).toBe(false);
      // ipBlock peers describe addresses, not pods.
      expect(m.verdict('shop/web', 'shop/api', 443).egress.allowed).toBe(false);
    });

    it('GIVEN an ingress ipBlock THEN a client address in it reaches the pod and one outside does not', () => {
      const m = model(DENY_ALL, policy('web-in', `
podSelector: { matchLabels: { app: web } }
ingress: [{ from: [{ ipBlock: { cidr: 203.0.113.0/24 } }], ports: [{ port: http }] }]
`));

      expect(m.allows({ ip: '203.0.113.7' }, 'shop/web', 8080)).toBe(true);
      expect(m.allows({ ip: '198.51.100.7' }, 'shop/web', 8080)).toBe(false);
      expect(m.explain({ ip: '203.0.113.7' }, 'shop/web', 8080)).toContain('egress of 203.0.113.7: not a pod, no policy applies');
      expect(m.allows({ ip: '2001:db8::1' }, 'shop/web', 8080)).toBe(false);
      expect(() => m.allows({ ip: '203.0.113' }, 'shop/web', 8080)).toThrow(/not an IPv4 or IPv6 address/);
    });

    it('GIVEN IPv4 and IPv6 blocks with excepts THEN each matches only addresses of its own family', () => {
      const m = model(DENY_ALL, policy('web-out', `
podSelector: { matchLabels: { app: web } }
policyTypes: [Egress]
egress:
  - to:
      - { ipBlock: { cidr: 0.0.0.0/0, except: [10.0.0.0/8] } }
      - { ipBlock: { cidr: "::/0", except: ["fc00::/7", "::ffff:0:0/96"] } }
    ports: [{ port: 443 }]
`));

      expect(m.allows('shop/web', { ip: '2606:4700:4700::1111' }, 443)).toBe(true);
      expect(m.allows('shop/web', { ip: '2606:4700:4700:0:0:0:0:1111' }, 443)).toBe(true);
      expect(m.allows('shop/web', { ip: 'fd00:ec2::254' }, 443)).toBe(false);
      expect(m.allows('shop/web', { ip: '::ffff:a00:1' }, 443)).toBe(false);
      expect(m.allows('shop/web', { ip: '10.0.0.1' }, 443)).toBe(false);
      expect(m.allows('shop/web', { ip: '8.8.8.8' }, 443)).toBe(true);
      expect(() => m.allows('shop/web', { ip: '1::2::3' }, 443)).toThrow(/not an IPv4 or IPv6 address/);
    });
  });

  describe('DNS', () => {
    const ALLOW_DNS = policy('allow-dns', `
podSelector: {}
policyTypes: [Egress]
egress:
  - to:
      - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } }
        podSelector: { matchLabels: { k8s-app: kube-dns } }
    ports: [{ port: 53, protocol: UDP }, { port: 53, protocol: TCP }]
`);

    it('GIVEN egress to kube-dns on UDP and TCP 53 THEN every pod resolves names', () => {
      const m = model(DENY_ALL, ALLOW_DNS);

      expect(m.workloads().map((w) => m.allowsDns(w.id))).toEqual([true, true, true]);
    });

    it('GIVEN only UDP 53 THEN DNS is not fully allowed (TCP is needed for large answers)', () => {
      const udpOnly = policy('dns-udp', `
podSelector: {}
policyTypes: [Egress]
egress: [{ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { k8s-app: kube-dns } } }], ports: [{ port: dns, protocol: UDP }] }]
`);

      expect(model(DENY_ALL, udpOnly).allowsDns('shop/web')).toBe(false);
    });
  });

  describe('endpoints', () => {
    it('GIVEN every workload kind THEN each template is one workload in its namespace with its template labels', () => {
      const [cron, job, rollout, pod] = loadManifests(`
apiVersion: batch/v1
kind: CronJob
metadata: { name: backup, namespace: ops }
spec: { schedule: '@daily', jobTemplate: { spec: { template: { metadata: { labels: { app: backup } }, spec: { containers: [] } } } } }
---
apiVersion: batch/v1
kind: Job
metadata: { name: migrate, namespace: ops }
spec: { template: { metadata: { labels: { app: migrate } }, spec: { containers: [] } } }
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: { name: canary, namespace: ops }
spec: { template: { metadata: { labels: { app: canary } }, spec: { containers: [] } } }
---
apiVersion: v1
kind: Pod
metadata: { name: debug, labels: { app: debug } }
spec: { containers: [] }
`);
      const m = new FlowModel([cron!, job!, rollout!, pod!, DB]);

      expect(m.workloads().map((w) => `${w.kind} ${w.id} ${JSON.stringify(w.podLabels)}`)).toEqual([
        'CronJob ops/backup {"app":"backup"}',
        'Job ops/migrate {"app":"migrate"}',
        'Rollout ops/canary {"app":"canary"}',
        'Pod default/debug {"app":"debug"}',
        'StatefulSet shop/db {"app":"db"}',
      ]);
      expect(m.endpoint('shop/db').ports).toEqual([{ name: 'pg', containerPort: 5432, protocol: 'TCP' }]);
      expect(m.endpoint('kube-system/kube-dns').namespaceLabels).toEqual({ 'kubernetes.io/metadata.name': 'kube-system' });
    });

    it('GIVEN an unknown reference THEN it throws listing the known endpoints', () => {
      expect(() => model().allows('shop/nope', 'shop/web', 80)).toThrow(/no endpoint shop\/nope; known: Deployment shop\/web/);
    });

    it('GIVEN two workloads sharing a name THEN a reference needs the kind', () => {
      const m = new FlowModel([WEB, workload('web', [], 'StatefulSet')]);

      expect(() => m.endpoint('shop/web')).toThrow(/shop\/web is ambiguous \(Deployment, StatefulSet\); pass a kind/);
      expect(m.endpoint({ namespace: 'shop', name: 'web', kind: 'StatefulSet' }).kind).toBe('StatefulSet');
    });
  });
});
