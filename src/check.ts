import { runCheck } from './cli/index.ts';

process.exitCode = await runCheck(process.argv.slice(2));
