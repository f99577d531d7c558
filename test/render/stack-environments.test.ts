import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { ModelDefinition } from '../../src/config/index.ts';
import { componentEnvironments, type ComponentRegistry } from '../../src/lib/index.ts';
import { PlatformError, synthesize, type Stack } from '../../src/render/index.ts';
import { CRUMPET_COMPONENTS, CRUMPET_MODEL, crumpetStack } from '../../src/stacks/crumpet/index.ts';
import { STEMEDB_COMPONENTS, STEMEDB_MODEL } from '../../src/stacks/stemedb/model/index.ts';
import { stemedbStack } from '../../src/stacks/stemedb/stack.ts';
import { PROJECT_ROOT, writtenTree } from '../_helpers.ts';

/*
 * The runbooks of a stack name every one of its environments, so a synth of one environment reads
 * all the stack's environment files: when it runs, for the stacks it renders alone. A bad file is
 * then bad input like any other, one line naming the environment and the field (or the file), the
 * line a synth of that environment itself prints, and a run of another stack never reads it.
 */

const committed = (stack: string, env: string): string => join(PROJECT_ROOT, 'src/stacks', stack, 'environments', `${env}.ts`);

/** `stack` with its environments read from a folder holding its committed prod and `files`. */
function withEnvironments<M>(stack: Stack<M>, model: ModelDefinition<M>, registry: ComponentRegistry<M>, files: Record<string, string>): Stack<unknown> {
  const dir = writtenTree('stack-environments', [['prod.ts', `export { default } from ${JSON.stringify(committed(stack.name, 'prod'))};\n`], ...Object.entries(files)]);
  const moved = { ...model, environmentsDir: dir };
  return { ...stack, model: moved, runbookEnvironments: componentEnvironments(moved, registry) } as Stack<unknown>;
}

/** Crumpet's staging as committed, its web component's settings replaced by `web`. */
const stagingWithWeb = (web: string): string =>
  `import staging from ${JSON.stringify(committed('crumpet', 'staging'))};\nexport default { ...staging, components: { ...staging.components, web: ${web} } };\n`;

const CASES: readonly { name: string; source: string; line: (file: string) => string }[] = [
  {
    name: 'a BigInt',
    source: stagingWithWeb('{ ...staging.components.web, replicas: 3n }'),
    line: () => '[staging] config components.web.replicas: must be data (text, number, boolean, list or map), got a bigint (3n; write a number)',
  },
  { name: 'NaN', source: stagingWithWeb('{ ...staging.components.web, replicas: NaN }'), line: () => '[staging] config components.web.replicas: must be a finite number, got NaN' },
  {
    name: 'a getter that throws',
    source: stagingWithWeb("{ ...staging.components.web, get replicas(): number { throw new Error('replicas unknown'); } }"),
    line: () => '[staging] config components.web.replicas: reading it failed: replicas unknown',
  },
  { name: 'a throw on import', source: "throw new Error('vault unreachable');\n", line: (file) => `[staging] ${file}: cannot be loaded: vault unreachable` },
  { name: 'a syntax error', source: "export default { name: 'staging',\n  namespace: ;\n};\n", line: (file) => `[staging] ${file}:2:13: Unexpected ";"` },
];

const failure = (run: Promise<unknown>): Promise<Error> =>
  run.then(
    () => expect.fail('the synth succeeded'),
    (err: Error) => err,
  );

describe('synthesize | the environment files of the stacks it renders', () => {
  it.each(CASES)('GIVEN Crumpet staging with $name WHEN prod alone or everything is synthesized THEN it stops with the one line a synth of staging prints', async (c) => {
    const crumpet = withEnvironments(crumpetStack, CRUMPET_MODEL, CRUMPET_COMPONENTS, { 'staging.ts': c.source });
    const line = c.line(join(crumpet.model.environmentsDir, 'staging.ts'));
    const alone = await failure(synthesize([crumpet], { environments: ['prod'] }));
    expect(alone).toBeInstanceOf(PlatformError);
    expect(alone.message).toBe(line);
    // Selected, staging is reported once, as loading it with overrides reports it.
    expect((await failure(synthesize([crumpet], {}))).message).toBe(line);
    expect((await failure(synthesize([crumpet], { environments: ['staging'] }))).message).toBe(line);
  });

  it('GIVEN two bad environment files WHEN the third environment is synthesized THEN each is one line, named as the stack names its environments', async () => {
    const stemedb = withEnvironments(stemedbStack, STEMEDB_MODEL, STEMEDB_COMPONENTS, {
      'qa.ts': "throw new Error('vault unreachable');\n",
      'staging.ts': `import prod from ${JSON.stringify(committed('stemedb', 'prod'))};\nexport default { ...prod, name: 'staging', namespace: 12n };\n`,
    });
    const err = await failure(synthesize([stemedb], { environments: ['prod'] }));
    expect(err.message.split('\n')).toEqual([
      `[stemedb/qa] ${join(stemedb.model.environmentsDir, 'qa.ts')}: cannot be loaded: vault unreachable`,
      '[stemedb/staging] config namespace: must be data (text, number, boolean, list or map), got a bigint (12n; write a number)',
    ]);
  });

  it('GIVEN Crumpet with a bad environment file WHEN StemeDB alone is synthesized THEN it renders, and Crumpet\'s files are never read', async () => {
    const crumpet = withEnvironments(crumpetStack, CRUMPET_MODEL, CRUMPET_COMPONENTS, { 'staging.ts': "throw new Error('vault unreachable');\n" });
    const load = vi.spyOn(crumpet.runbookEnvironments!, 'load');
    const { environments } = await synthesize([crumpet, stemedbStack as Stack<unknown>], { stacks: ['stemedb'], environments: ['prod'] });
    expect(environments.map((e) => e.environment)).toEqual(['stemedb/prod']);
    expect(load).not.toHaveBeenCalled();
  });
});
