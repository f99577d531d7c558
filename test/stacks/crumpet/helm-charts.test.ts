import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { NO_OVERRIDES } from '../../../src/config/index.ts';
import { CHART_TOGGLES, CrumpetApp, helmChartFiles, loadEnvironment } from '../../../src/stacks/crumpet/index.ts';
import { renderApp, type KubeObject } from '../../../src/render/index.ts';
import { globalSwitches, OBSERVABILITY_PART } from '../../../src/render/helm/index.ts';
import { CHARTS, ENVIRONMENTS } from './_output.ts';

/* The chart generator's own checks, on the objects synth renders for dist/. */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = KubeObject & Record<string, any>;
type Rendered = ReadonlyMap<string, ReadonlyMap<string, readonly Obj[]>>;

describe('helmChartFiles | optional parts', async () => {
  const config = await loadEnvironment('prod', NO_OVERRIDES);
  const charted = CHARTS;
  const objectsOf = (app: CrumpetApp): string[] =>
    app.charts.filter((c) => charted.includes(c.node.id)).flatMap((c) => (c.toJson() as Obj[]).map((o) => `${c.node.id} ${o.kind}/${o.metadata.name}`));

  it.each(CHART_TOGGLES.map((t) => [t.path[t.path.length - 1]!, t] as const))(
    'GIVEN features.%s off THEN exactly the objects of its kinds leave the charted components, which the chart switches by kind',
    (feature, toggle) => {
      const on = objectsOf(new CrumpetApp({ ...config, features: { ...config.features, [feature]: true } }));
      const off = objectsOf(new CrumpetApp({ ...config, features: { ...config.features, [feature]: false } }));
      const gone = on.filter((o) => !off.includes(o));
      const ofKinds = (o: string) => (toggle.kinds as readonly string[]).includes(o.split(' ')[1]!.split('/')[0]!);
      expect(gone.length).toBeGreaterThan(0);
      expect(gone).toEqual(on.filter(ofKinds));
      expect(off.filter(ofKinds)).toEqual([]);
    },
  );
});

describe('helmChartFiles |', async () => {
  const configs = await Promise.all(ENVIRONMENTS.map((env) => loadEnvironment(env, NO_OVERRIDES)));
  const rendered: Rendered = new Map(
    await Promise.all(configs.map(async (c) => [c.name, new Map((await renderApp(new CrumpetApp(c), c.name)).charts.map((ch) => [ch.chart, ch.objects as Obj[]]))] as const)),
  );
  /** `rendered` with one chart's prod objects changed by `change`. */
  const tampered = (chart: string, change: (objs: Obj[]) => Obj[]): Rendered =>
    new Map([...rendered].map(([env, charts]) => [env, new Map([...charts].map(([c, objs]) => [c, env === 'prod' && c === chart ? change(structuredClone([...objs])) : objs]))]));
  const find = (objs: Obj[], kind: string): Obj => objs.find((o) => o.kind === kind)!;

  it('GIVEN the synthesized objects THEN the envoy-edge chart carries the ConfigMap data as configFiles and pins the dist/ names per environment', () => {
    const files = helmChartFiles(configs, rendered);
    const values = yaml.load(files.get('charts-out/envoy-edge/values.yaml')!) as Obj;
    // The edge's own values, a switch per optional part (every one of them the edge has), and the umbrella's switches they answer to.
    expect(Object.keys(values).sort()).toEqual(
      ['configFiles', 'fullnameOverride', 'hosts', 'image', 'nameOverride', 'replicaCount', 'resources', 'test', 'tls', ...CHART_TOGGLES.map((t) => t.key), ...Object.keys(globalSwitches(CHART_TOGGLES))].sort(),
    );
    expect(values.global).toEqual({ [OBSERVABILITY_PART]: { enabled: true } });
    expect(values.configFiles).toEqual({ config: find([...rendered.get('staging')!.get('envoy-edge')!], 'ConfigMap').data });
    expect(values.tls.secretName).toBe('');
    const prod = yaml.load(files.get('charts-out/envoy-edge/values-prod.yaml')!) as Obj;
    expect(prod).toMatchObject({ fullnameOverride: 'envoy-edge', hosts: ['crumpet.example.org', 'api.crumpet.example.org'], tls: { issuerName: 'letsencrypt-prod', secretName: 'edge-tls' } });
    const umbrella = yaml.load(files.get('charts-out/crumpet/Chart.yaml')!) as Obj;
    expect(umbrella.dependencies.map((d: Obj) => d.name)).toContain('envoy-edge');
  });

  it('GIVEN a pod checksum the chart would not recompute THEN it throws naming environment, chart, object and annotation', () => {
    const edge = tampered('envoy-edge', (objs) => {
      find(objs, 'Deployment').spec.template.metadata.annotations['checksum/config'] = 'f00';
      return objs;
    });
    expect(() => helmChartFiles(configs, edge)).toThrow(
      /^\[prod\] chart envoy-edge: Deployment\/envoy-edge checksum\/config is f00, but the chart computes [0-9a-f]{64} from its ConfigMaps \(config\)/,
    );
  });

  it('GIVEN a CIN ConfigMap changed without its checksum THEN the proof over several ConfigMaps fails too', () => {
    const cin = tampered('cin-node', (objs) => {
      const promtail = objs.find((o) => o.metadata.name === 'cin-node-promtail')!;
      promtail.data = { 'promtail.yaml': 'server: {}\n' };
      return objs;
    });
    expect(() => helmChartFiles(configs, cin)).toThrow(/\[prod\] chart cin-node: StatefulSet\/cin-node-en-0 checksum\/telemetry-config is [0-9a-f]{64}, but .* \(otel-collector, promtail\)/);
  });

  it('GIVEN a ConfigMap the pods read not named after the chart THEN it throws naming the ConfigMap', () => {
    const edge = tampered('envoy-edge', (objs) => JSON.parse(JSON.stringify(objs).replaceAll('"envoy-edge-config"', '"edge-config"')));
    expect(() => helmChartFiles(configs, edge)).toThrow(/chart envoy-edge: ConfigMap "edge-config" must be named envoy-edge-<files> to be carried in configFiles/);
  });

  it('GIVEN a component with a chart that does not run in prod THEN it throws naming the component and the environment', () => {
    expect(() => helmChartFiles(configs, tampered('watcher', () => []))).toThrow(/component "watcher" declares a chart but does not run in prod: /);
  });

  it('GIVEN environments that disagree on mesh TLS THEN it throws naming the feature and each environment\'s value, as the charts cannot switch it', () => {
    const [first, ...others] = configs;
    const mixed = [{ ...first!, features: { ...first!.features, mtls: !first!.features.mtls } }, ...others];
    expect(() => helmChartFiles(mixed, rendered)).toThrow(new RegExp(`^features\\.mtls differs between environments \\(${mixed.map((c) => `${c.name} ${c.features.mtls}`).join(', ')}\\): the component charts have no value to switch it`));
    expect(() => helmChartFiles(configs.map((c) => ({ ...c, features: { ...c.features, mtls: false } })), rendered)).not.toThrow(/features\.mtls/);
  });

  it('GIVEN edge objects without a Certificate THEN it throws', () => {
    const edge = tampered('envoy-edge', (objs) => objs.filter((o) => o.kind !== 'Certificate'));
    expect(() => helmChartFiles(configs, edge)).toThrow(/chart envoy-edge serves the public host names but renders no Certificate/);
  });
});
