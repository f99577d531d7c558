import { describe, expect, it } from 'vitest';
import { loadEnvironment, type PlatformConfig } from '../../../src/stacks/crumpet/index.ts';
import { crumpetChecks } from '../../../src/stacks/crumpet/model/checks.ts';

/*
 * Where an environment pins images by digest (prod), every component's image must name one,
 * whether its settings hold the image as the model's map or, like a job added later, as one
 * reference string.
 */

const withJob = (config: PlatformConfig, image: string): PlatformConfig => ({ ...config, components: { ...config.components, reindex: { image } } as PlatformConfig['components'] });

describe('Crumpet model | images pinned by digest', async () => {
  const prod = await loadEnvironment('prod');
  const staging = await loadEnvironment('staging');
  const issuesAt = (config: PlatformConfig, env: string) => crumpetChecks(env, config).filter((i) => i.path === 'components.reindex.image');

  it('GIVEN prod and a component whose image is a reference with a digest THEN it passes', () => {
    expect(prod.pinDigests).toBe(true);
    expect(issuesAt(withJob(prod, `ghcr.io/crumpet/reindex:1.0.0@sha256:${'a'.repeat(64)}`), 'prod')).toEqual([]);
  });

  it('GIVEN prod and a reference without a digest THEN the image path is refused, naming the reference', () => {
    expect(issuesAt(withJob(prod, 'ghcr.io/crumpet/reindex:1.0.0'), 'prod')).toEqual([
      { path: 'components.reindex.image', message: 'must name a digest: this environment pins images by digest (pinDigests), but "ghcr.io/crumpet/reindex:1.0.0" has none' },
    ]);
  });

  it('GIVEN prod and text that is no image reference THEN it is refused as such, not a crash', () => {
    expect(issuesAt(withJob(prod, 'justaname'), 'prod')).toEqual([
      { path: 'components.reindex.image', message: expect.stringMatching(/^is not an image reference: must be repository:tag, repository@digest or repository:tag@digest, got "justaname"$/) },
    ]);
  });

  it('GIVEN staging, which does not pin, THEN a tag is enough', () => {
    expect(staging.pinDigests).toBe(false);
    expect(issuesAt(withJob(staging, 'ghcr.io/crumpet/reindex:1.0.0'), 'staging')).toEqual([]);
  });
});
