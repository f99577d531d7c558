import { mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';
export default mergeConfig(base, { test: { poolOptions: { forks: { execArgv: ['--max-semi-space-size=32'] } } } });
