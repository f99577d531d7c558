import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { statelessComponent, statelessSettingsSchema, type ImageSpec, type ResourcesSpec } from '../../src/lib/index.ts';
import { chartFiles, componentChart, settingsValues, type Kube } from '../../src/render/helm/index.ts';
import { writtenTree } from '../_helpers.ts';
import { HELMS } from './_helm.ts';

/*
 * A stack's one chart holding a component declared beside its own (StemeDB's, the mirror's): the
 * component's settings are chart values (settingsValues), so each environment's overlay renders
 * that environment's image, digest or none, and replicas, not one environment's built in.
 * Rendered by real Helm for each environment.
 */

interface Settings {
  readonly image: ImageSpec;
  readonly replicas: number;
  readonly resources: ResourcesSpec;
  /** The console's own setting (ownSettings), which differs by environment. */
  readonly upstream: string;
}
interface Model {
  readonly name: string;
  readonly components: { readonly db: { readonly image: ImageSpec }; readonly console: Settings };
}

const resources: ResourcesSpec = { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '50m', memory: '64Mi' } };
const console_ = statelessComponent<Model, { upstream: string }>({
  name: 'console',
  role: 'frontend',
  ports: { http: { port: 8080, healthPath: '/healthz' } },
  defaults: { replicas: 1, resources },
  ownSettings: { upstream: { type: 'string', description: 'the database URL the console calls' } },
  container: { health: { path: '/healthz', port: 'http' }, env: (ctx) => [{ name: 'UPSTREAM', value: ctx.settings.upstream }] },
});
const db: ImageSpec = { repository: 'registry.example.org/db', tag: '1.0.0' };
const environments: Model[] = [
  { name: 'prod', components: { db: { image: db }, console: { image: { repository: 'registry.example.org/console', tag: '2.0.0', digest: `sha256:${'a'.repeat(64)}` }, replicas: 3, resources, upstream: 'https://db.example.org' } } },
  { name: 'staging', components: { db: { image: db }, console: { image: { repository: 'registry.example.org/console', tag: '2.1.0' }, replicas: 1, resources, upstream: 'https://db.staging.example.org' } } },
];

const image = (i: ImageSpec): string => `${i.repository}:${i.tag}${i.digest ? `@${i.digest}` : ''}`;
/** What the stack renders of a model: the database's Deployment and the console's. */
const render = (m: Model): Kube[] =>
  [
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'db' }, spec: { replicas: 1, template: { spec: { containers: [{ name: 'db', image: image(m.components.db.image) }] } } } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'console' },
      spec: {
        replicas: m.components.console.replicas,
        template: { spec: { containers: [{ name: 'console', image: image(m.components.console.image), resources: m.components.console.resources, env: [{ name: 'UPSTREAM', value: m.components.console.upstream }] }] } },
      },
    },
  ] as unknown as Kube[];

function writeChart(): string {
  const others = settingsValues([console_]);
  const chart = componentChart<Model>({
    name: 'db',
    description: 'A database and its console',
    version: '1.0.0',
    appVersion: '1.0.0',
    environments: environments.map((config) => ({ env: config.name, config, objects: render(config) })),
    render,
    fields: others.fields,
    toggles: [],
    image: ['components', 'db', 'image'],
    images: others.images,
  });
  return writtenTree('chart-settings', chartFiles(chart, { partOf: 'db', home: 'https://example.org', maintainers: [{ name: 'db' }] }));
}

describe('settingsValues | a component beside the chart\'s own', () => {
  it('GIVEN a stateless declaration THEN its image is an image value and each other setting a value of its schema, under its settings key', () => {
    const { fields, images } = settingsValues([console_]);
    expect(images).toEqual([{ value: 'console.image', path: ['components', 'console', 'image'] }]);
    expect(fields.map((f) => [f.value, f.kind])).toEqual([
      ['console.replicas', 'number'],
      ['console.resources', 'object'],
      ['console.upstream', 'string'],
    ]);
    // An own setting without a default is required of every environment.
    expect((console_.settings as { required: string[] }).required).toEqual(['image', 'upstream']);
  });

  it('GIVEN an own setting named as a stateless setting THEN the declaration is refused, not left to override it', () => {
    expect(() => statelessSettingsSchema({ defaults: { replicas: 1, resources }, ownSettings: { replicas: { type: 'string' } } })).toThrow(
      'ownSettings: replicas are every stateless component\'s settings; name the component\'s own otherwise',
    );
  });

  describe.each(HELMS)('with $name', (h) => {
    it.each(environments.map((e) => [e.name, e] as const))('GIVEN values-%s.yaml THEN the console runs that environment\'s image, replicas and own setting', async (env, model) => {
      const dir = writeChart();
      const out = await h.run('template', 'db', dir, '-f', join(dir, `values-${env}.yaml`));
      expect(out.code, out.stderr).toBe(0);
      const rendered = (yaml.loadAll(out.stdout) as Kube[]).filter((o) => o?.kind === 'Deployment' && o.metadata.name === 'console')[0] as unknown as {
        spec: { replicas: number; template: { spec: { containers: { image: string; resources: unknown; env: { name: string; value: string }[] }[] } } };
      };
      expect(rendered.spec.replicas).toBe(model.components.console.replicas);
      expect(rendered.spec.template.spec.containers[0]!.image).toBe(image(model.components.console.image));
      expect(rendered.spec.template.spec.containers[0]!.resources).toEqual(resources);
      expect(rendered.spec.template.spec.containers[0]!.env).toEqual([{ name: 'UPSTREAM', value: model.components.console.upstream }]);
    });
  });
});
