import { describe, expect, it } from 'vitest';
import { buildComponents, ComponentRegistry } from '../../src/lib/index.ts';
import { testChart } from '../_helpers.ts';
import { api, LABELS, NO_FEATURES, placeAll, SETTINGS, type TestModel } from './_components.ts';

/*
 * buildComponents gives each declared component the scope the stack names for it: a scope two
 * components share would have them clash on construct ids, so it is refused naming both.
 */

const registry = ComponentRegistry.of<TestModel>([api('first-api', { port: 8080 }), api('second-api', { port: 8080 })]);
const model: TestModel = { components: { firstApi: SETTINGS, secondApi: SETTINGS } };

describe('buildComponents | one scope per component', () => {
  it('GIVEN each component its own scope in one chart THEN both are built there, each under its own name', () => {
    const { chart, placed } = placeAll(registry, model);
    expect(placed.map((p) => p.declaration.name)).toEqual(['first-api', 'second-api']);
    const deployments = (chart.toJson() as { kind: string; metadata: { name: string } }[]).filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name);
    expect(deployments.sort()).toEqual(['first-api', 'second-api']);
  });

  it('GIVEN one scope for two components THEN it throws naming both and the scope', () => {
    const chart = testChart();
    expect(() => buildComponents({ registry, model, labels: LABELS, features: NO_FEATURES, scopeFor: () => chart })).toThrow(
      /^component "second-api": scopeFor gives it the scope of component "first-api" \(test\); each component needs a scope of its own/,
    );
  });
});
