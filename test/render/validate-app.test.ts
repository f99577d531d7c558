import { App, ApiObject, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { chartsJson, renderApp, SynthError, validateApp } from '../../src/render/index.ts';
import { CrumpetApp, loadEnvironment } from '../../src/stacks/crumpet/index.ts';

/** An app of `charts` charts, one ConfigMap each, every chart counting how often its validation runs. */
function countingApp(charts: number, problem?: string): { app: App; runs: number[] } {
  const app = new App();
  const runs = Array.from({ length: charts }, () => 0);
  for (let i = 0; i < charts; i++) {
    const chart = new Chart(app, `c${i}`, { disableResourceNameHashes: true });
    new ApiObject(chart, 'Config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `config-${i}` } });
    chart.node.addValidation({
      validate: () => {
        runs[i]!++;
        return i === charts - 1 && problem ? [problem] : [];
      },
    });
  }
  return { app, runs };
}

describe('validateApp | every construct validated once per synth', () => {
  it('GIVEN an app of 6 charts WHEN every chart is rendered THEN each validation ran exactly once (rendered chart by chart, cdk8s runs it 6 times)', () => {
    const { app, runs } = countingApp(6);
    const objects = chartsJson(app);
    expect([...objects.keys()]).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5']);
    expect(runs).toEqual([1, 1, 1, 1, 1, 1]);
    const plain = countingApp(6);
    for (const chart of plain.app.charts) chart.toJson();
    expect(plain.runs).toEqual(Array.from({ length: 6 }, () => 6));
  });

  it('GIVEN a failing validation WHEN the charts are rendered THEN it is reported with its construct path, and again by every later toJson', () => {
    const { app } = countingApp(3, 'replicas below the floor');
    expect(validateApp(app)).toEqual(['c2: replicas below the floor']);
    expect(() => chartsJson(app)).toThrow(/c2: replicas below the floor/);
    expect(() => app.charts[0]!.toJson()).toThrow(/replicas below the floor/);
  });

  it('GIVEN a failing validation WHEN the app is rendered to an environment THEN synth fails naming the environment and path', async () => {
    const { app, runs } = countingApp(4, 'port 0 is not a port');
    const err = await renderApp(app, 'qa').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SynthError);
    expect((err as Error).message).toMatch(/^\[qa\] c3: port 0 is not a port$/m);
    expect(runs).toEqual([1, 1, 1, 1]);
  });

  it('GIVEN a whole environment WHEN its charts are rendered THEN every chart has exactly the objects, in the order, that cdk8s renders chart by chart', async () => {
    const config = await loadEnvironment('prod');
    const ours = chartsJson(new CrumpetApp(config));
    const plain = new CrumpetApp(config);
    const theirs = new Map(plain.charts.map((c) => [c.node.id, c.toJson() as unknown[]] as const));
    expect([...ours.keys()]).toEqual([...theirs.keys()]);
    for (const [chart, objects] of theirs) expect(ours.get(chart), chart).toEqual(objects);
    expect([...ours.values()].flat().length).toBeGreaterThan(ours.size);
  });
});
