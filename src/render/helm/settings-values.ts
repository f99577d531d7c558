import { settingsKey, type ComponentDeclaration } from '../../lib/component/component.ts';
import type { ChartField } from './chart-fields.ts';
import type { ChartImage } from './component-chart.ts';

/** The JSON Schema of one setting, as far as the chart reads it. */
interface SettingSchema {
  readonly type?: string;
}

/** How the constructs use a setting of `schema`'s type: a marker of that shape stands for it. */
function kindOf(schema: SettingSchema): ChartField['kind'] {
  if (schema.type === 'string') return 'string';
  if (schema.type === 'integer' || schema.type === 'number') return 'number';
  if (schema.type === 'array') return 'list';
  return 'object';
}

/**
 * The chart values of `components`, components a stack's one chart holds beyond those it charts
 * by hand: each one's settings (`components.<key>` of the model, as its declaration's schema
 * describes them) under `<key>`, its `image` by the chart's image helper and every other setting
 * as a value of its schema, so that whatever an environment sets differently is a value of its
 * overlay rather than one environment's value built into the chart.
 */
export function settingsValues(components: readonly ComponentDeclaration<unknown, unknown>[]): { fields: ChartField[]; images: ChartImage[] } {
  const fields: ChartField[] = [];
  const images: ChartImage[] = [];
  for (const c of components) {
    const key = settingsKey(c.name);
    const properties = (c.settings as { properties?: Readonly<Record<string, SettingSchema>> }).properties ?? {};
    for (const [setting, schema] of Object.entries(properties)) {
      const path = ['components', key, setting];
      if (setting === 'image') images.push({ value: `${key}.image`, path });
      else fields.push({ value: `${key}.${setting}`, path, kind: kindOf(schema), schema });
    }
  }
  return { fields, images };
}
