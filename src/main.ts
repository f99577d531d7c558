import { runSynth } from './cli/index.ts';

process.exitCode = await runSynth(process.argv.slice(2));
