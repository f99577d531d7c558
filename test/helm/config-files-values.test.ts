import { describe, expect, it } from 'vitest';
import { ConfigFilesAsValues, configFilesOf, monitoringToggle, Sentinels, standardToggles, toggleOf, type Kube } from '../../src/render/helm/index.ts';

/*
 * What a component chart carries as values and what it switches: the ConfigMaps its pods read are
 * `configFiles` values, any other ConfigMap (a dashboard) is a template as it is; an object of a
 * toggled component is switched by that component's toggle, whatever its kind.
 */

const configMap = (name: string, component = 'c'): Kube => ({
  kind: 'ConfigMap',
  metadata: { name, labels: { 'app.kubernetes.io/component': component } },
  data: { [`${name}.txt`]: name },
});
const pods = (spec: object): Kube => ({ kind: 'Deployment', metadata: { name: 'c' }, spec: { template: { spec } } });

const objects: Kube[] = [
  configMap('c-volume'),
  configMap('c-projected'),
  configMap('c-env-from'),
  configMap('c-key'),
  configMap('c-overview', 'monitoring'),
  pods({
    volumes: [{ name: 'v', configMap: { name: 'c-volume' } }, { name: 'p', projected: { sources: [{ configMap: { name: 'c-projected' } }] } }],
    containers: [{ name: 'c', envFrom: [{ configMapRef: { name: 'c-env-from' } }], env: [{ name: 'K', valueFrom: { configMapKeyRef: { name: 'c-key', key: 'k' } } }] }],
  }),
];

describe('configFilesOf | which ConfigMaps are values', () => {
  it('GIVEN ConfigMaps read through a volume, a projected source, envFrom and an env key, and one no pod reads THEN the four read are configFiles, the other is not', () => {
    expect(Object.keys(configFilesOf(objects, 'c')).sort()).toEqual(['env-from', 'key', 'projected', 'volume']);
    expect(configFilesOf(objects, 'c')['volume']).toEqual({ 'c-volume.txt': 'c-volume' });
  });

  it('GIVEN the chart templated THEN the data of a ConfigMap its pods read comes from values, and the dashboard is left as it is', () => {
    const files = new ConfigFilesAsValues('c', objects, new Sentinels());
    expect(files.keys).toEqual(['env-from', 'key', 'projected', 'volume']);
    const dashboard = objects.find((o) => o.metadata.name === 'c-overview')!;
    expect(files.template(dashboard)).toBe(dashboard);
    expect(files.template(objects[0]!)['data']).not.toEqual(objects[0]!['data']);
    expect(Object.keys(files.schema()['configFiles'] as object)).toContain('required');
  });

  it("GIVEN a ConfigMap not named after the chart THEN it may be a template, but a pod reading it stops synth naming it", () => {
    expect(Object.keys(configFilesOf([...objects, configMap('grafana-dashboard', 'monitoring')], 'c')).sort()).toEqual(['env-from', 'key', 'projected', 'volume']);
    expect(() => configFilesOf([...objects, configMap('grafana-dashboard'), pods({ volumes: [{ name: 'd', configMap: { name: 'grafana-dashboard' } }] })], 'c')).toThrow(
      /chart c: ConfigMap "grafana-dashboard" must be named c-<files> to be carried in configFiles/,
    );
  });
});

describe('toggleOf | which switch an object answers to', () => {
  const toggles = [monitoringToggle('monitoring'), ...standardToggles(['features'])];

  it('GIVEN an object of the monitoring component THEN the monitoring toggle switches it, whatever its kind', () => {
    expect(toggleOf(configMap('c-overview', 'monitoring'), toggles)?.key).toBe('monitoring');
    const monitor: Kube = { kind: 'ServiceMonitor', metadata: { name: 'm', labels: { 'app.kubernetes.io/component': 'monitoring' } } };
    expect(toggleOf(monitor, toggles)?.key).toBe('monitoring');
  });

  it("GIVEN an object of another component THEN its kind's toggle switches it, and a kind no toggle names is not switched", () => {
    const monitor: Kube = { kind: 'PodMonitor', metadata: { name: 'm', labels: { 'app.kubernetes.io/component': 'gateway' } } };
    expect(toggleOf(monitor, toggles)?.key).toBe('serviceMonitor');
    expect(toggleOf(configMap('c-volume'), toggles)).toBeUndefined();
  });
});
