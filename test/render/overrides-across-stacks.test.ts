import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PlatformError, synthesize } from '../../src/render/index.ts';
import { STACKS } from '../../src/stacks/index.ts';
import { PROJECT_ROOT } from '../_helpers.ts';

/*
 * `--env staging --set ...` selects every stack's staging: an override goes to the stacks whose
 * model has its path (the README's `npm run synth -- --env staging --set
 * components.pinOrchestrator.replicas=3` is Crumpet's), and a path no stack has is refused by each.
 */

const committed = (path: string): string => readFileSync(join(PROJECT_ROOT, path), 'utf8');

describe('synthesize | overrides with several stacks', () => {
  it("GIVEN every stack's staging and a Crumpet field set THEN Crumpet's staging changes, and the other stacks' staging is exactly as committed", async () => {
    const { environments, output } = await synthesize(STACKS, { environments: ['staging'], overrides: { files: [], sets: ['components.pinOrchestrator.replicas=3'] } });
    expect(environments.map((e) => e.folder).sort()).toEqual(['dist/mirror/staging', 'dist/staging', 'dist/stemedb/staging']);
    const changed = [...output.files].filter(([path, text]) => text !== committed(path)).map(([path]) => path);
    expect(changed).toEqual(['dist/staging/pin-orchestrator.k8s.yaml']);
  });

  it('GIVEN a field no stack has THEN each stack refuses it, naming its environment and the field', async () => {
    const run = synthesize(STACKS, { environments: ['staging'], overrides: { files: [], sets: ['components.pinOrchestrater.replicas=3'] } });
    await expect(run).rejects.toThrow(PlatformError);
    const lines = ((await run.catch((e: Error) => e)) as Error).message.split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^\[staging\] config components\.pinOrchestrater: unknown field/),
      expect.stringMatching(/^\[stemedb\/staging\] config components\.pinOrchestrater: unknown field/),
      expect.stringMatching(/^\[mirror\/staging\] config components\.pinOrchestrater: unknown field/),
    ]);
  });
});
