import { describe, expect, it } from 'vitest';
import { diffOutputs, formatMarkdown, formatText, assessRisks } from '../../src/diff/index.ts';

const secret = (value: string, sealed: string): string => `apiVersion: v1
kind: Secret
metadata:
  name: app
  namespace: crumpet
data:
  token: ${value}
---
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: sealed
  namespace: crumpet
spec:
  encryptedData:
    token: ${sealed}
`;

describe('diffOutputs |', () => {
  it('GIVEN objects added, removed and changed THEN each is keyed kind/namespace/name per folder', () => {
    const base = new Map([['dist/prod/a.k8s.yaml', 'kind: ConfigMap\nmetadata: {name: x, namespace: n}\ndata: {k: "1"}\n---\nkind: Namespace\nmetadata: {name: old}\n']]);
    const head = new Map([['dist/prod/a.k8s.yaml', 'kind: ConfigMap\nmetadata: {name: x, namespace: n}\ndata: {k: "2"}\n---\nkind: Namespace\nmetadata: {name: new}\n']]);
    const changes = diffOutputs(base, head);
    expect(changes.map((c) => [c.group, c.unit, c.change])).toEqual([
      ['dist/prod', 'ConfigMap/n/x', 'changed'],
      ['dist/prod', 'Namespace/-/new', 'added'],
      ['dist/prod', 'Namespace/-/old', 'removed'],
    ]);
    expect(changes[0]!.fields).toEqual([{ path: 'data.k', before: '1', after: '2' }]);
  });

  it('GIVEN a Secret and a SealedSecret changed THEN no value reaches the text or the markdown', () => {
    const base = new Map([['dist/prod/secrets.k8s.yaml', secret('c2VjcmV0LW9sZA==', 'AgBcipherOld')]]);
    const head = new Map([['dist/prod/secrets.k8s.yaml', secret('c2VjcmV0LW5ldw==', 'AgBcipherNew')]]);
    const changes = diffOutputs(base, head);
    const report = { base: 'HEAD', changes, risks: assessRisks(changes) };
    for (const out of [formatText(report), formatMarkdown(report)]) {
      expect(out).toContain('data.token: <redacted> → <redacted>');
      expect(out).toContain('spec.encryptedData.token: <redacted> → <redacted>');
      expect(out).not.toMatch(/c2VjcmV0|AgBcipher/);
    }
  });

  it('GIVEN an alert rule file THEN rules are compared by name, and other files by lines', () => {
    const rules = (threshold: number, extra = ''): string =>
      `groups:\n  - name: g\n    rules:\n      - alert: High\n        expr: rate(x[5m]) > ${threshold}\n        for: 5m\n${extra}`;
    const base = new Map([
      ['ops/prometheus/alerts.yaml', rules(0.05, '      - alert: Gone\n        expr: up == 0\n')],
      ['ops/runbooks/r.md', 'a\nb\nc\n'],
    ]);
    const head = new Map([
      ['ops/prometheus/alerts.yaml', rules(0.1)],
      ['ops/runbooks/r.md', 'a\nB\nc\nd\n'],
    ]);
    const changes = diffOutputs(base, head);
    expect(changes.map((c) => [c.group, c.unit, c.change, c.summary])).toEqual([
      ['ops/prometheus/alerts.yaml', 'alert:Gone', 'removed', undefined],
      ['ops/prometheus/alerts.yaml', 'alert:High', 'changed', undefined],
      ['ops/runbooks', 'r.md', 'changed', 'file changed: +2 -1 lines'],
    ]);
    expect(formatText({ base: 'HEAD', changes, risks: [] })).toContain('threshold loosened: 0.05 → 0.1');
  });
});

describe('diffOutputs | dashboards', () => {
  it('GIVEN a panel changed and one added THEN they are reported by title, the rest of the dashboard not', () => {
    const dashboard = (...panels: object[]): string => JSON.stringify({ title: 'Edge', uid: 'edge', panels }, null, 2);
    const p = (title: string, expr: string) => ({ title, type: 'timeseries', targets: [{ expr, refId: 'A' }] });
    const base = new Map([['ops/grafana/edge.json', dashboard(p('Latency', 'a'))]]);
    const head = new Map([['ops/grafana/edge.json', dashboard(p('Latency', 'b'), p('Errors', 'c'))]]);
    expect(diffOutputs(base, head).map((c) => [c.group, c.unit, c.change, c.fields.map((f) => f.path)])).toEqual([
      ['ops/grafana/edge.json', 'panel:Errors', 'added', []],
      ['ops/grafana/edge.json', 'panel:Latency', 'changed', ['targets[0].expr']],
    ]);
  });
});
