import { existsSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { cachedValidatorPath, modelValidator, VALIDATOR_CACHE, VALIDATOR_OPTIONS } from '../../src/config/_config-validator.ts';
import { CRUMPET_MODEL, loadEnvironment } from '../../src/stacks/crumpet/index.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

const require = createRequire(import.meta.url);
const PROBE = 'config-validator-probe';
const probe = (type: string) => ({ name: PROBE, schema: { type: 'object', required: ['x'], properties: { x: { type } } } });
const probeFiles = (): string[] => (existsSync(VALIDATOR_CACHE) ? readdirSync(VALIDATOR_CACHE).filter((f) => f.startsWith(`${PROBE}-`)) : []);

afterAll(() => {
  for (const f of probeFiles()) rmSync(`${VALIDATOR_CACHE}${f}`, { force: true });
});

describe('model validator cache |', () => {
  it('GIVEN a schema THEN its validator is cached under the schema hash, and a changed schema never uses the old file', () => {
    const asString = probe('string');
    expect(modelValidator(asString)({ x: 'a' })).toBe(true);
    expect(probeFiles()).toEqual([cachedValidatorPath(asString).slice(VALIDATOR_CACHE.length)]);
    // The cached file is a working validator of that schema, as the next process loads it.
    const loaded = require(cachedValidatorPath(asString)) as ValidateFunction;
    expect([loaded({ x: 'a' }), loaded({ x: 1 })]).toEqual([true, false]);

    const asNumber = probe('number');
    expect(cachedValidatorPath(asNumber)).not.toBe(cachedValidatorPath(asString));
    const validate = modelValidator(asNumber);
    expect([validate({ x: 1 }), validate({ x: 'a' })]).toEqual([true, false]);
    // Both files stay (another checkout sharing node_modules may use either schema), each with its own rules.
    expect(probeFiles().sort()).toEqual([cachedValidatorPath(asString), cachedValidatorPath(asNumber)].map((p) => p.slice(VALIDATOR_CACHE.length)).sort());
    expect(modelValidator(asString)({ x: 1 })).toBe(false);
  });

  it('GIVEN bad configurations THEN the cached validator reports exactly what a fresh compile does', async () => {
    modelValidator(CRUMPET_MODEL);
    const cached = require(cachedValidatorPath(CRUMPET_MODEL)) as ValidateFunction;
    const good = JSON.parse(JSON.stringify(await loadEnvironment('prod'))) as Record<string, any>;
    const fresh = new Ajv(VALIDATOR_OPTIONS).compile(CRUMPET_MODEL.schema);
    const bad = [
      { ...good, replicas: 3 },
      { ...good, hostnames: ['Not_A_Host'] },
      { ...good, components: { ...good.components, web: { ...good.components.web, replicas: -1, resources: { requests: { cpu: '1x' } } } } },
      { ...good, edge: { ...good.edge, routes: [{ name: 'x', backend: 'nowhere', timeout: 'soon' }] } },
    ];
    for (const config of bad) {
      expect(cached(config)).toBe(false);
      expect(fresh(config)).toBe(false);
      const strip = (errors: typeof fresh.errors) => (errors ?? []).map(({ schemaPath, instancePath, keyword, params, message, data, parentSchema }) => ({ schemaPath, instancePath, keyword, params, message, data, parentSchema }));
      expect(strip(cached.errors)).toEqual(strip(fresh.errors));
    }
  });
});
