import { STACKS } from '../../src/stacks/index.ts';

/*
 * vitest's setup, before each test file: every stack's environment files read as a synth of the
 * stack reads them (src/render/synthesize.ts), for the tests that build a stack's apps or
 * observability models themselves, whose runbooks list every environment. Once per worker: the
 * modules stay loaded (isolate: false), and a later file finds the files read.
 */
for (const stack of STACKS) {
  const problems = (await stack.runbookEnvironments?.load()) ?? [];
  if (problems.length > 0) throw new Error(`the ${stack.name} stack's environment files are wrong:\n${problems.map((p) => p.message).join('\n')}`);
}
