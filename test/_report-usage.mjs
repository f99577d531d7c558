import { writeSync } from 'node:fs';

// Preloaded into the measured synth (plain JavaScript, so that it adds no loader): reports the
// process's peak RSS (KiB) on fd 3 as it exits.
process.on('exit', () => {
  writeSync(3, `${process.resourceUsage().maxRSS}\n`);
});
