import { describe, expect, it } from 'vitest';
import { alertQueries, recordingLevels, ruleQueries, selectedValues, selectors } from './rule-queries.ts';

describe('alertQueries |', () => {
  it.each([
    ['a threshold on the right', 'sum(rate(x_total[5m])) / sum(rate(y_total[5m])) > 0.05', ['sum(rate(x_total[5m])) / sum(rate(y_total[5m]))']],
    ['a threshold on the left', '0.8 > avg(x)', ['avg(x)']],
    ['two windows joined by and', 'r:rate1h{slo="a"} > 0.0144 and r:rate5m{slo="a"} > 0.0144', ['r:rate1h{slo="a"}', 'r:rate5m{slo="a"}']],
    ['a constant fallback', '(sum(up{job="api"}) or vector(0)) < 1', ['sum(up{job="api"})']],
    ['an exclusion', 'x > 1 unless y', ['x']],
    ['absent', 'absent(up{job="api"})', ['up{job="api"}']],
    ['absent_over_time', 'absent_over_time(up{job="api"}[10m]) == 1', ['last_over_time(up{job="api"}[10m])']],
    ['two queries compared', 'x > y', ['x', 'y']],
    ['a bool comparison, a value', 'avg(x > bool 900)', ['avg(x > bool 900)']],
    ['arithmetic before the threshold', '(x - time()) / 86400 < 7', ['(x - time()) / 86400']],
  ])('GIVEN %s THEN it judges the compared queries', (_, expr, judged) => {
    expect(alertQueries(expr)).toEqual(judged);
  });
});

describe('selectors |', () => {
  it('GIVEN an expression THEN every selector with its matchers, and the literal values they select', () => {
    const found = selectors('sum(rate(a_total{code=~"500|503",job="x"}[5m])) / sum(rate(a_total{code=~"5.."}[5m]))');
    expect(found.map((s) => s.metric)).toEqual(['a_total', 'a_total']);
    expect(found.flatMap((s) => s.matchers.flatMap(selectedValues))).toEqual(['500', '503', 'x']);
  });
});

describe('recordingLevels |', () => {
  it('GIVEN a rule reading another rule THEN it is backfilled in a later level', () => {
    const rules = ruleQueries(`groups:
  - name: g
    rules:
      - record: b:avg
        expr: avg_over_time(a:ratio[5m])
      - record: a:ratio
        expr: avg(x > bool 1)
      - alert: A
        expr: b:avg > 0.1
`);
    expect(recordingLevels(rules).map((level) => level.map((r) => r.name))).toEqual([['a:ratio'], ['b:avg']]);
    expect(() => recordingLevels(ruleQueries('groups: [{name: g, rules: [{record: "a:x", expr: "b:x"}, {record: "b:x", expr: "a:x"}]}]'))).toThrow(
      /recording rules read each other in a cycle: a:x, b:x/,
    );
  });
});
