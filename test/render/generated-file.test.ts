import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { GeneratedFile, renderApp } from '../../src/render/index.ts';

function appWith(...files: { path: string; render: () => string }[]): App {
  const app = new App();
  const chart = new Chart(app, 'files');
  files.forEach((f, i) => new GeneratedFile(chart, `File${i}`, f));
  return app;
}

describe('GeneratedFile |', () => {
  it('GIVEN a path outside ops/ and charts-out/ THEN it throws naming the construct', () => {
    expect(() => appWith({ path: 'dist/x.yaml', render: () => '' })).toThrow(/\[files\/File0\] path must lie under ops\/ or charts-out\/, got "dist\/x\.yaml"/);
    expect(() => appWith({ path: 'ops/../x', render: () => '' })).toThrow(/path must lie under/);
  });

  it('GIVEN files WHEN rendered THEN their content is produced late, with a trailing newline', async () => {
    let value = 'early';
    const app = appWith({ path: 'ops/a.txt', render: () => value });
    value = 'late';
    const rendered = await renderApp(app, 'test');
    expect(rendered.generated.get('ops/a.txt')).toBe('late\n');
  });

  it('GIVEN the same path twice in one environment THEN synth fails', async () => {
    const app = appWith({ path: 'ops/a.txt', render: () => 'x' }, { path: 'ops/a.txt', render: () => 'y' });
    await expect(renderApp(app, 'test')).rejects.toThrow(/\[test\] files\/File1: ops\/a\.txt is generated twice/);
  });

  it('GIVEN a render that throws THEN synth fails naming the construct', async () => {
    const app = appWith({ path: 'ops/a.txt', render: () => { throw new Error('expr does not parse'); } });
    await expect(renderApp(app, 'test')).rejects.toThrow(/\[test\] files\/File0: expr does not parse/);
  });
});
