import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { PLATFORM_FILES_URL } from '../../../src/stacks/repository.ts';
import { describe, expect, it } from 'vitest';
import { loadTestThresholds, ObservabilityModel, type SloDefinition } from '../../../src/observability/index.ts';
import { GeneratedFile } from '../../../src/render/index.ts';
import cinNode from '../../../src/stacks/crumpet/components/cin-node.ts';
import {
  BURN_RATE_RUNBOOK_TEXT,
  CrumpetApp,
  crumpetObservability,
  LANGUAGE_QUERY_PARAMETER,
  loadEnvironment,
  SEARCH_LOAD,
  SearchLoadTest,
  SPEC_SLOS,
} from '../../../src/stacks/crumpet/index.ts';
import { PROJECT_ROOT, testChart } from '../../_helpers.ts';
import { ENVIRONMENTS } from './_output.ts';

const run = promisify(execFile);

interface K6Options {
  readonly scenarios: Record<string, { readonly executor: string; readonly startRate: number; readonly stages: readonly { target: number }[] }>;
  readonly thresholds: Record<string, readonly string[]>;
}

/** The `options` object of a generated script (written as JSON). */
function optionsOf(script: string): K6Options {
  const match = /^export const options = (\{[\s\S]*?\n\});$/m.exec(script);
  expect(match, 'export const options = {...};').not.toBeNull();
  return JSON.parse(match![1]!) as K6Options;
}

function slo(slos: readonly SloDefinition[], name: string): SloDefinition {
  return slos.find((s) => s.name === name)!;
}

/** The thresholds the SLOs give, written out from their figures. */
function expectedThresholds(slos: readonly SloDefinition[], languages: readonly string[]): Record<string, string[]> {
  const latency = slo(slos, SEARCH_LOAD.latencySlo);
  const quantile = `p(${Number((latency.objective * 100).toFixed(6))})<${latency.latencyBoundMs}`;
  return {
    http_req_duration: [quantile],
    http_req_failed: [`rate<${Number((1 - slo(slos, SEARCH_LOAD.availabilitySlo).objective).toFixed(6))}`],
    ...Object.fromEntries(languages.map((l) => [`http_req_duration{${LANGUAGE_QUERY_PARAMETER}:${l}}`, [quantile]])),
  };
}

/** The script SearchLoadTest renders for `env` against an observability model with `slos`. */
async function scriptWith(env: string, slos: readonly SloDefinition[]): Promise<string> {
  const app = new CrumpetApp(await loadEnvironment(env));
  const model = new ObservabilityModel({ name: 'crumpet', opsRoot: 'ops', runbookBaseUrl: PLATFORM_FILES_URL, metrics: [], alerts: [], slos, burnRateRunbooks: BURN_RATE_RUNBOOK_TEXT, runbooks: [] });
  const test = new SearchLoadTest(testChart(), 'LoadTest', { environment: env, cin: cinNode, languages: app.cinNode.languages, model });
  return test.node.findAll().find((c): c is GeneratedFile => c instanceof GeneratedFile)!.render();
}

describe('SearchLoadTest |', () => {
  describe.each(ENVIRONMENTS)('ops/k6/%s/search-load.js', (env) => {
    const file = join(PROJECT_ROOT, 'ops/k6', env, 'search-load.js');

    it('GIVEN the committed script WHEN node --check parses it THEN it is valid JavaScript', async () => {
      await expect(run(process.execPath, ['--check', file])).resolves.toBeDefined();
    });

    it('GIVEN the committed script WHEN its options are read THEN it ramps 0 -> the target rate over the languages of the environment, with the SLOs as thresholds', async () => {
      // GIVEN
      const script = readFileSync(file, 'utf8');
      const languages = (await loadEnvironment(env)).components.cinNode.languages.map((l) => l.code);
      // WHEN
      const options = optionsOf(script);
      // THEN
      const load = Object.values(options.scenarios)[0]!;
      expect(load.executor).toBe('ramping-arrival-rate');
      expect(load.startRate).toBe(0);
      expect(Math.max(...load.stages.map((s) => s.target))).toBe(SEARCH_LOAD.targetRate);
      expect(options.thresholds).toEqual(expectedThresholds(crumpetObservability().rules.slos, languages));
      expect(script).toContain(`const VARIANTS = ${JSON.stringify(languages, null, 2)};`);
      expect(script).toContain(`\${BASE_URL}${cinNode.routes!.find((r) => r.name === SEARCH_LOAD.route)!.path}?`);
    });
  });

  it('GIVEN SLOs with another objective and latency bound WHEN the script is rendered THEN its thresholds follow them', async () => {
    // GIVEN
    const changed = SPEC_SLOS.map((s) =>
      s.name === SEARCH_LOAD.latencySlo ? { ...s, objective: 0.99, latencyBoundMs: 250 } : s.name === SEARCH_LOAD.availabilitySlo ? { ...s, objective: 0.995 } : s,
    );
    // WHEN
    const before = optionsOf(await scriptWith('prod', SPEC_SLOS)).thresholds;
    const after = optionsOf(await scriptWith('prod', changed)).thresholds;
    // THEN
    const languages = (await loadEnvironment('prod')).components.cinNode.languages.map((l) => l.code);
    expect(after).toEqual(expectedThresholds(changed, languages));
    expect(after['http_req_duration']).not.toEqual(before['http_req_duration']);
    expect(after['http_req_failed']).not.toEqual(before['http_req_failed']);
  });

  it('GIVEN a latency SLO without a bound WHEN thresholds are derived THEN it throws naming the SLO', () => {
    const { latencyBoundMs: _none, ...latency } = slo(SPEC_SLOS, SEARCH_LOAD.latencySlo);
    expect(() => loadTestThresholds({ latency, availability: slo(SPEC_SLOS, 'availability'), variants: { parameter: 'lang', values: ['en'] } })).toThrow(
      'load test: SLO read-latency has no latencyBoundMs, so it gives no latency threshold',
    );
  });

  it('GIVEN a CIN declaration without the search route, or a model without the SLOs WHEN the load test is built THEN it throws naming what is missing', async () => {
    const app = new CrumpetApp(await loadEnvironment('staging'));
    const model = crumpetObservability();
    const noRoute = () =>
      new SearchLoadTest(testChart(), 'LoadTest', { environment: 'staging', cin: { ...cinNode, routes: [] }, languages: app.cinNode.languages, model });
    expect(noRoute).toThrow('[test/LoadTest] component cin-node has no route "search" with a path');
    const noSlo = new ObservabilityModel({ name: 'crumpet', opsRoot: 'ops', runbookBaseUrl: PLATFORM_FILES_URL, metrics: [], alerts: [], runbooks: [] });
    const build = () => new SearchLoadTest(testChart(), 'LoadTest', { environment: 'staging', cin: cinNode, languages: app.cinNode.languages, model: noSlo });
    expect(build).toThrow('[test/LoadTest] the observability model has no SLO "read-latency"');
  });
});
