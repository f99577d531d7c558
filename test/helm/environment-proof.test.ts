import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { buildComponents, ComponentRegistry, statelessComponent, type ComponentFeatures, type StatelessSettings } from '../../src/lib/index.ts';
import { componentChart, settingsValues, standardToggles, type ChartField, type ChartToggle, type Kube } from '../../src/render/helm/index.ts';
import { testChart } from '../_helpers.ts';
import { LABELS, NO_FEATURES, SETTINGS } from '../lib/_components.ts';

/*
 * Synth proves, without Helm, that a chart renders each environment's objects of dist/: where an
 * object reads a model field that differs between environments and that the chart has no value
 * for, the chart would install the first environment's value in every environment, so the chart
 * is refused, one line per field, naming the environment, the object, the field, both values and
 * the fix. A small stack of one stateless component, two environments, real constructs.
 */

interface Model {
  readonly name: string;
  readonly region: string;
  readonly hosts: readonly string[];
  readonly features: ComponentFeatures;
  readonly components: { readonly status: StatelessSettings };
}

/** A stateless component whose container reads the model's region and host names. */
function status(env: (model: Model) => { name: string; value: string }[]) {
  return statelessComponent<Model>({
    name: 'status',
    role: 'api',
    ports: { http: { port: 8080, healthPath: '/healthz' } },
    defaults: { replicas: 1, resources: SETTINGS.resources },
    container: { health: { path: '/healthz', port: 'http' }, env: (ctx) => env(ctx.model) },
  });
}

const prod: Model = { name: 'prod', region: 'eu-central-1', hosts: ['a.example.org', 'b.example.org', 'c.example.org', 'd.example.org'], features: NO_FEATURES, components: { status: { ...SETTINGS, replicas: 2 } } };
const staging: Model = { name: 'staging', region: 'eu-west-1', hosts: ['a.staging.example.org', 'b.staging.example.org', 'c.staging.example.org', 'd.staging.example.org'], features: NO_FEATURES, components: { status: SETTINGS } };

/** The stack's objects for a model, as synth renders them for dist/. */
function renderer(component: ReturnType<typeof status>): (model: Model) => Kube[] {
  const registry = ComponentRegistry.of<Model>([component]);
  return (model) => {
    const chart = testChart();
    buildComponents({ registry, model, labels: LABELS, features: model.features, scopeFor: (name) => new Construct(chart, name) });
    return chart.toJson() as Kube[];
  };
}

const REGION: ChartField = { value: 'region', path: ['region'], kind: 'string', schema: { type: 'string' } };

/** The chart of the component for `environments`, with `fields` as values beside its settings. */
function chartOf(env: (model: Model) => { name: string; value: string }[], fields: readonly ChartField[] = [], more: { environments?: readonly Model[]; toggles?: readonly ChartToggle[] } = {}) {
  const component = status(env);
  const render = renderer(component);
  const settings = settingsValues([component]);
  return componentChart<Model>({
    name: 'status',
    description: 'A status page',
    version: '1.0.0',
    appVersion: '1.0.0',
    environments: (more.environments ?? [prod, staging]).map((config) => ({ env: config.name, config, objects: render(config) })),
    render,
    fields: [...settings.fields, ...fields],
    toggles: more.toggles ?? [],
    images: settings.images,
  });
}

const container = 'Deployment/status spec.template.spec.containers[0]';
const NO_VALUE = 'the value comes from a model field the chart has no value for: make it a chart value (a ChartField of the chart, or a setting of the component, as statelessComponent ownSettings makes one) or the same in every environment';

describe('componentChart | the chart renders each environment\'s dist/ objects', () => {
  it('GIVEN an object reading a model field that differs between environments and is no chart value WHEN the chart is generated THEN it is refused, one line naming the environment, object, field, both values and the fix', () => {
    expect(() => chartOf((m) => [{ name: 'REGION', value: m.region }])).toThrow(
      new Error(`[staging] charts-out/status ${container}.env[0].value: the chart renders "eu-central-1" where dist/ has "eu-west-1": ${NO_VALUE}`),
    );
  });

  it('GIVEN that field as a chart value WHEN the chart is generated THEN it passes, and each environment\'s values carry its region', () => {
    const chart = chartOf((m) => [{ name: 'REGION', value: m.region }], [REGION]);
    expect(chart.values).toMatchObject({ region: 'eu-west-1' });
    expect(chart.overlays.get('prod')).toMatchObject({ region: 'eu-central-1' });
    expect(chart.templates.get('deployment.yaml')).toContain('value: {{ $.Values.region | quote }}');
  });

  it('GIVEN the host names joined into one variable, no chart value THEN the line shows both values, long ones cut', () => {
    expect(() => chartOf((m) => [{ name: 'HOSTS', value: m.hosts.join(',') }])).toThrow(
      new Error(`[staging] charts-out/status ${container}.env[0].value: the chart renders "a.example.org,b.example.org,c.example.org,d.exam…" where dist/ has "a.staging.example.org,b.staging.example.org,c.st…": ${NO_VALUE}`),
    );
  });

  it('GIVEN a model list that gives one item per element THEN a list of another length is refused with both lengths', () => {
    const five: Model = { ...staging, hosts: [...staging.hosts, 'e.staging.example.org'] };
    expect(() => chartOf((m) => m.hosts.map((h, i) => ({ name: `HOST_${i}`, value: h })), [], { environments: [prod, five] })).toThrow(
      new Error(`[staging] charts-out/status ${container}.env: the chart renders 4 items where dist/ has 5: ${NO_VALUE}`),
    );
  });

  it('GIVEN an object one environment has and the other not THEN a switch of the chart for it passes, and without one the chart is refused naming the object', () => {
    const budgetInProd: Model = { ...prod, features: { ...NO_FEATURES, podDisruptionBudget: true } };
    const chart = chartOf((m) => [{ name: 'REGION', value: m.region }], [REGION], { environments: [budgetInProd, staging], toggles: standardToggles(['features']) });
    expect(chart.overlays.get('prod')).toMatchObject({ podDisruptionBudget: { enabled: true } });
    expect(() => chartOf((m) => [{ name: 'REGION', value: m.region }], [REGION], { environments: [budgetInProd, staging] })).toThrow(
      new Error(
        '[staging] charts-out/status PodDisruptionBudget/status: the chart renders it but dist/ does not have it: whether it exists comes from a model field the chart has no switch for: make that field a switch (a ChartToggle of the chart) or the same in every environment',
      ),
    );
  });

  it('GIVEN a list value the constructs join into one string THEN it is refused: the chart would render an item per element, not what the model gives', () => {
    const hosts: ChartField = { value: 'hosts', path: ['hosts'], kind: 'list', schema: { type: 'array', items: { type: 'string' } } };
    expect(() => chartOf((m) => [{ name: 'HOSTS', value: m.hosts.join(',') }], [hosts])).toThrow(
      new Error(
        ['prod', 'staging']
          .map((env) => `[${env}] charts-out/status ${container}.env: the chart renders 4 items where dist/ has 1: the chart renders it from its values, which do not give what the model gives: make the chart carry the value as the constructs render it`)
          .join('\n'),
      ),
    );
  });
});
