import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { canaryStepIssues, type CanaryStep } from '../../src/lib/delivery/index.ts';
import { crumpetChecks } from '../../src/stacks/crumpet/model/index.ts';
import { loadEnvironment } from '../../src/stacks/crumpet/index.ts';
import { CHARTS, HELMS } from './_helm.ts';

/*
 * A canary only grows until it is promoted: a step whose weight is not above the one before
 * takes traffic back from the new version mid-analysis, which Argo Rollouts does without a word.
 * The model refuses it (canaryStepIssues), and every chart with canary steps refuses the same
 * values at `helm template`, in the model's words. The charts are those whose values.yaml has
 * `canarySteps`; the steps are the model's prod steps with one weight lowered.
 */

const charts = readdirSync(CHARTS).filter((c) => existsSync(join(CHARTS, c, 'values.yaml')) && 'canarySteps' in ((yaml.load(readFileSync(join(CHARTS, c, 'values.yaml'), 'utf8')) as object | null) ?? {}));

/** `steps` with the last step's weight set to the first's. */
const lowered = (steps: readonly CanaryStep[]): CanaryStep[] => steps.map((s, i) => (i === steps.length - 1 ? { ...s, weight: steps[0]!.weight } : s));
const asSets = (steps: readonly CanaryStep[]): string => steps.map((s, i) => `canarySteps[${i}].weight=${s.weight}`).join(',');

describe('Canary steps | each weight above the one before', () => {
  it('GIVEN the model\'s steps THEN they grow; GIVEN the last lowered to the first\'s THEN the model names its weight', async () => {
    const config = await loadEnvironment('prod');
    const steps = config.delivery.canarySteps;
    expect(steps.length, 'prod has steps to lower').toBeGreaterThan(1);
    expect(canaryStepIssues(steps)).toEqual([]);
    const said = crumpetChecks('prod', { ...config, delivery: { ...config.delivery, canarySteps: lowered(steps) } }).map((i) => `${i.path}: ${i.message}`);
    expect(said).toEqual([
      `delivery.canarySteps[${steps.length - 1}].weight: must be above the step before's weight (${steps.at(-2)!.weight}): a canary only grows until it is promoted, got ${steps[0]!.weight}`,
    ]);
  });

  describe.each(HELMS)('Helm | $name', (h) => {
    it('GIVEN charts-out THEN charts with canary steps are found', () => {
      expect(charts.length).toBeGreaterThan(0);
    });

    it.each(charts)('GIVEN chart %s WHEN a step does not grow THEN Helm refuses it in the model\'s words; grown steps render', async (chart) => {
      const steps = (await loadEnvironment('prod')).delivery.canarySteps;
      const [issue] = canaryStepIssues(lowered(steps));
      const refused = await h.run('template', chart, join(CHARTS, chart), '--set', asSets(lowered(steps)));
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain(`canarySteps${issue!.path}: ${issue!.message}`);
      const rendered = await h.run('template', chart, join(CHARTS, chart), '--set', asSets(steps));
      expect(rendered.code, rendered.stderr).toBe(0);
    });
  });
});
