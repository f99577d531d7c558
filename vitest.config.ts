import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // vitest's default is one worker per core less one: a single worker on the 2-core machine.
    // Two, as much of a worker's time is spent waiting for the tools and processes it starts.
    maxWorkers: 2,
    minWorkers: 2,
    // A worker keeps the modules it loaded for its next file: the model, cdk8s and the schema
    // validators load once per worker rather than once per file. No test changes a module's state
    // for the next (the one spy restores what it replaces).
    isolate: false,
    // The run's shared work (test/_run-cache.ts): a synthesized output, each distinct Helm render.
    globalSetup: ['test/setup/global-setup.ts'],
    // The stacks read their environment files when a synth needs them, not on import: read them
    // for the tests that build a stack's apps directly.
    setupFiles: ['test/setup/stack-environments.ts'],
  },
});
