import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { configValidator, PRECOMPILED_VALIDATOR, schemaHash, VALIDATOR_OPTIONS } from '../../src/config/_config-validator.ts';
import { loadEnvironment } from '../../src/config/index.ts';
import { platformConfigSchema } from '../../src/config/schema.ts';
import { precompiledValidatorSource } from '../../src/cli/import-config-schema-command.ts';
import { PROJECT_ROOT } from '../_helpers.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

describe('import-config-schema |', () => {
  it('GIVEN src/config/schema.ts THEN the committed precompiled validator is what npm run import:config writes now', () => {
    expect(readFileSync(join(PROJECT_ROOT, PRECOMPILED_VALIDATOR), 'utf8')).toBe(precompiledValidatorSource());
  });

  it('GIVEN the committed file THEN synth validates with it instead of compiling the schema', () => {
    expect((configValidator() as unknown as { schemaHash?: string }).schemaHash).toBe(schemaHash());
  });

  it('GIVEN bad configurations THEN the precompiled validator reports exactly what a fresh compile does', async () => {
    const good = JSON.parse(JSON.stringify(await loadEnvironment('prod'))) as Record<string, any>;
    const fresh = new Ajv(VALIDATOR_OPTIONS).compile(platformConfigSchema);
    const bad = [
      { ...good, replicas: 3 },
      { ...good, hostnames: ['Not_A_Host'] },
      { ...good, components: { ...good.components, web: { ...good.components.web, replicas: -1, resources: { requests: { cpu: '1x' } } } } },
      { ...good, edge: { ...good.edge, routes: [{ name: 'x', backend: 'nowhere', timeout: 'soon' }] } },
    ];
    for (const config of bad) {
      const precompiled = configValidator();
      expect(precompiled(config)).toBe(false);
      expect(fresh(config)).toBe(false);
      const strip = (errors: typeof fresh.errors) => (errors ?? []).map(({ schemaPath, instancePath, keyword, params, message, data, parentSchema }) => ({ schemaPath, instancePath, keyword, params, message, data, parentSchema }));
      expect(strip(precompiled.errors)).toEqual(strip(fresh.errors));
    }
  });
});
