import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { importModule } from '../_import-module.ts';
import { settingsKey, type ComponentDeclaration } from './component.ts';

const NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * A stack's components, found in a folder: every `<name>.ts` there (but `_helpers.ts` and
 * `index.ts`) default-exports one {@link ComponentDeclaration} named after its file. Adding a
 * component is adding its file: no list to edit.
 */
export class ComponentRegistry<M> {
  private constructor(public readonly components: readonly ComponentDeclaration<unknown, M>[]) {}

  /** Imports every component file of `folder`, in file name order. */
  public static async load<M>(folder: URL): Promise<ComponentRegistry<M>> {
    const dir = fileURLToPath(folder);
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && !f.startsWith('_') && f !== 'index.ts')
      .sort();
    const components: ComponentDeclaration<unknown, M>[] = [];
    for (const file of files) {
      const mod = (await importModule(pathToFileURL(`${dir}/${file}`).href)) as { default?: ComponentDeclaration<unknown, M> };
      components.push(ComponentRegistry.check(`${dir}/${file}`, file.slice(0, -3), mod.default));
    }
    return new ComponentRegistry(components);
  }

  /** A registry of the given declarations (tests, and stacks that list theirs). */
  public static of<M>(components: readonly ComponentDeclaration<unknown, M>[]): ComponentRegistry<M> {
    const names = new Set<string>();
    for (const c of components) {
      ComponentRegistry.check(c.name, c.name, c);
      if (names.has(c.name)) throw new Error(`component "${c.name}" is declared twice`);
      names.add(c.name);
    }
    return new ComponentRegistry(components);
  }

  private static check<M>(where: string, name: string, c: ComponentDeclaration<unknown, M> | undefined): ComponentDeclaration<unknown, M> {
    if (typeof c !== 'object' || c === null || typeof c.build !== 'function') {
      throw new Error(`${where}: must default-export a component declaration (defineComponent({ ... }))`);
    }
    if (c.name !== name || !NAME.test(c.name)) throw new Error(`${where}: component name must be a DNS-1123 label equal to the file name "${name}", got "${c.name}"`);
    for (const route of c.routes ?? []) {
      if (!c.ports[route.port]) throw new Error(`${where}: routes.${route.name}.port names no port of the component (${Object.keys(c.ports).join(', ')}), got "${route.port}"`);
    }
    if (c.metrics && !c.ports[c.metrics.port]) {
      throw new Error(`${where}: metrics.port names no port of the component (${Object.keys(c.ports).join(', ')}), got "${c.metrics.port}"`);
    }
    if (c.chart && !c.ports[c.chart.smokeTest.port]) {
      throw new Error(`${where}: chart.smokeTest.port names no port of the component (${Object.keys(c.ports).join(', ')}), got "${c.chart.smokeTest.port}"`);
    }
    return c;
  }

  /** The component named `name`. */
  public get(name: string): ComponentDeclaration<unknown, M> {
    const found = this.components.find((c) => c.name === name);
    if (!found) throw new Error(`no component "${name}"; known: ${this.components.map((c) => c.name).join(', ')}`);
    return found;
  }

  /** The components that do not run in `model` (an optional one whose `enabled` says so), by name. */
  public notRunningIn(model: M): ReadonlySet<string> {
    return new Set(this.components.filter((c) => c.enabled && !c.enabled(model)).map((c) => c.name));
  }

  /** The JSON Schema of the model's `components` map: one entry per component, each its declaration's settings. */
  public settingsSchema(): object {
    const properties = Object.fromEntries(this.components.map((c) => [settingsKey(c.name), c.settings]));
    return { type: 'object', additionalProperties: false, required: Object.keys(properties), properties };
  }
}
