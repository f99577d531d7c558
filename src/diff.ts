import { runDiff } from './cli/index.ts';

process.exitCode = await runDiff(process.argv.slice(2));
