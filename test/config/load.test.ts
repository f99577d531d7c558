import { describe, expect, it } from 'vitest';
import { ConfigError, listEnvironments, loadEnvironment } from '../../src/config/index.ts';

describe('loadEnvironment |', () => {
  it('GIVEN the environments folder THEN every file is an environment', () => {
    expect(listEnvironments()).toEqual(['prod', 'staging']);
  });

  it.each(['prod', 'staging'])('GIVEN %s as committed THEN it validates', async (env) => {
    const config = await loadEnvironment(env);
    expect(config.name).toBe(env);
  });

  it('GIVEN prod THEN every image is pinned by digest', async () => {
    const config = await loadEnvironment('prod');
    for (const c of Object.values(config.components)) expect(c.image.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
  });

  it('GIVEN a name that differs from the file THEN it is refused', async () => {
    await expect(loadEnvironment('staging', { files: [], sets: ['name=other'] })).rejects.toThrow(
      /\[staging\] config name: must equal the environment's file name "staging", got "other"/,
    );
  });

  it('GIVEN several problems THEN one ConfigError lists all of them', async () => {
    const err = await loadEnvironment('staging', {
      files: [],
      sets: ['features.kubo=yes', 'components.web.replicas=1.5', 'storage.size=1'],
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues.map((i) => i.path).sort()).toEqual([
      'components.web.replicas',
      'features.kubo',
      'storage.size',
    ]);
  });

  it('GIVEN a missing required field THEN its path is named', async () => {
    await expect(loadEnvironment('staging', { files: [], sets: ['components.web.image.tag=null'] })).rejects.toThrow(
      /\[staging\] config components\.web\.image\.tag: is required/,
    );
  });
});
