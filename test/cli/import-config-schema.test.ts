import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { modelValidator, precompiledValidatorPath, schemaHash, VALIDATOR_OPTIONS } from '../../src/config/_config-validator.ts';
import { STACKS } from '../../src/stacks/index.ts';
import { CRUMPET_MODEL, loadEnvironment } from '../../src/stacks/crumpet/index.ts';
import { precompiledValidatorSource } from '../../src/cli/import-config-schema-command.ts';
import { PROJECT_ROOT } from '../_helpers.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

describe('import-config-schema |', () => {
  it.each(STACKS.map((s) => s.model))('GIVEN the $name model THEN the committed precompiled validator is what npm run import:config writes now', (model) => {
    expect(readFileSync(join(PROJECT_ROOT, precompiledValidatorPath(model)), 'utf8')).toBe(precompiledValidatorSource(model));
  });

  it.each(STACKS.map((s) => s.model))('GIVEN the committed file of the $name model THEN synth validates with it instead of compiling the schema', (model) => {
    expect((modelValidator(model) as unknown as { schemaHash?: string }).schemaHash).toBe(schemaHash(model));
  });

  it('GIVEN bad configurations THEN the precompiled validator reports exactly what a fresh compile does', async () => {
    const good = JSON.parse(JSON.stringify(await loadEnvironment('prod'))) as Record<string, any>;
    const fresh = new Ajv(VALIDATOR_OPTIONS).compile(CRUMPET_MODEL.schema);
    const bad = [
      { ...good, replicas: 3 },
      { ...good, hostnames: ['Not_A_Host'] },
      { ...good, components: { ...good.components, web: { ...good.components.web, replicas: -1, resources: { requests: { cpu: '1x' } } } } },
      { ...good, edge: { ...good.edge, routes: [{ name: 'x', backend: 'nowhere', timeout: 'soon' }] } },
    ];
    for (const config of bad) {
      const precompiled = modelValidator(CRUMPET_MODEL);
      expect(precompiled(config)).toBe(false);
      expect(fresh(config)).toBe(false);
      const strip = (errors: typeof fresh.errors) => (errors ?? []).map(({ schemaPath, instancePath, keyword, params, message, data, parentSchema }) => ({ schemaPath, instancePath, keyword, params, message, data, parentSchema }));
      expect(strip(precompiled.errors)).toEqual(strip(fresh.errors));
    }
  });
});
