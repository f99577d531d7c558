import { describe, expect, it } from 'vitest';
import { componentCharts, Sentinels, type ComponentChartSpec, type Kube } from '../../src/render/helm/index.ts';
import { combineMarkerModels, foreignMarkers, ownMarkers } from '../../src/render/helm/marker-models.ts';

/*
 * Several component charts rendered from one app (one marker model): each chart must read its
 * own values, whichever chart put a shared marker into the model first.
 */

interface Model {
  readonly namespace: string;
  readonly replicas: { readonly a: number; readonly b: number };
  readonly cidrs: readonly string[];
}
const base: Model = { namespace: 'prod', replicas: { a: 2, b: 3 }, cidrs: ['10.0.0.0/8'] };

/** The marker model of one chart: its own replicas, the release namespace and the shared CIDR list. */
function marked(s: Sentinels, own: 'a' | 'b'): Model {
  return { namespace: s.string('$.Release.Namespace'), replicas: { ...base.replicas, [own]: s.number('$.Values.replicaCount') }, cidrs: s.list('$.Values.cidrs') };
}

describe('combineMarkerModels | one model for several charts', () => {
  it('GIVEN two charts marking a shared field and one field each WHEN combined THEN each keeps its own field and reads the shared marker as its own', () => {
    const [sa, sb] = [new Sentinels(0), new Sentinels(1)];
    const [ma, mb] = [marked(sa, 'a'), marked(sb, 'b')];
    const { model, adopted } = combineMarkerModels(base, [ma, mb]);
    expect(model).toEqual({ namespace: ma.namespace, replicas: { a: ma.replicas.a, b: mb.replicas.b }, cidrs: ma.cidrs });
    expect(adopted[0]!.size).toBe(0);
    expect(new Map(adopted[1])).toEqual(new Map<string | number, string | number>([[ma.namespace, mb.namespace], [ma.cidrs[0]!, mb.cidrs[0]!]]));
    const objectOfB = { metadata: { namespace: model.namespace, name: `${model.namespace}-x` }, spec: { replicas: model.replicas.b, cidrs: model.cidrs } };
    expect(ownMarkers(objectOfB, adopted[1]!)).toEqual({ metadata: { namespace: mb.namespace, name: `${mb.namespace}-x` }, spec: { replicas: mb.replicas.b, cidrs: mb.cidrs } });
    expect(foreignMarkers(ownMarkers(objectOfB, adopted[1]!), sb, [sa])).toEqual([]);
  });

  it("GIVEN one chart switching a feature on that another keeps off WHEN combined THEN it throws: the other's objects would change unseen", () => {
    const withFeature = { ...base, feature: false };
    expect(() => combineMarkerModels(withFeature, [{ ...withFeature, feature: true }, withFeature])).toThrow(/two charts render the model at feature differently \(true in one, false in another\)/);
  });

  it('GIVEN two charts setting different plain values at one place WHEN combined THEN it throws naming the place', () => {
    expect(() => combineMarkerModels(base, [{ ...base, namespace: 'x' }, { ...base, namespace: 'y' }])).toThrow(/model at namespace differently/);
  });

  it("GIVEN a chart whose object reads another chart's value WHEN checked THEN the object path and the other chart's expression are named", () => {
    const [sa, sb] = [new Sentinels(0), new Sentinels(1)];
    const { model } = combineMarkerModels(base, [marked(sa, 'a'), marked(sb, 'b')]);
    expect(foreignMarkers({ spec: { replicas: model.replicas.a } }, sb, [sa])).toEqual(['spec.replicas: reads $.Values.replicaCount of another chart']);
    // A number of the model's own that falls where markers are numbered is no chart's marker.
    expect(foreignMarkers({ spec: { bytes: 987_000_050 } }, sb, [sa])).toEqual([]);
  });
});

describe('componentCharts | charts from one render', () => {
  const deployment = (name: string, replicas: number): Kube => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { replicas } }) as Kube;
  const spec = (name: string, own: 'a' | 'b'): ComponentChartSpec<Model> => ({
    name,
    description: `chart ${name}`,
    version: '1.0.0',
    appVersion: '1.0.0',
    environments: [{ env: 'prod', config: base, objects: [deployment(name, base.replicas[own])] }],
    fields: [{ value: 'replicaCount', path: ['replicas', own], kind: 'number', schema: { type: 'integer' } }],
    toggles: [],
  });

  it('GIVEN two charts rendered by one app WHEN templated THEN each templates its own replicas from its own values', () => {
    let renders = 0;
    const charts = componentCharts([spec('a', 'a'), spec('b', 'b')], (m) => {
      renders++;
      return new Map([['a', [deployment('a', m.replicas.a)]], ['b', [deployment('b', m.replicas.b)]]]);
    });
    expect(renders).toBe(1);
    for (const chart of charts) {
      expect(chart.templates.get('deployment.yaml')).toMatch(/replicas: \{\{ \$\.Values\.replicaCount \}\}/);
      expect(chart.values).toMatchObject({ replicaCount: base.replicas[chart.name as 'a' | 'b'] });
    }
  });

  it("GIVEN a chart whose objects read another chart's value WHEN templated THEN it throws naming the object and field", () => {
    expect(() => componentCharts([spec('a', 'a'), spec('b', 'b')], (m) => new Map([['a', [deployment('a', m.replicas.a)]], ['b', [deployment('b', m.replicas.a)]]]))).toThrow(
      /chart b cannot be templated from its own values:\n {2}Deployment\/b spec\.replicas: reads \$\.Values\.replicaCount of another chart/,
    );
  });
});
