import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CACHE, freshBundle, installPack, ROOT } from './_bundle.mjs';
import { installCodeCache } from './_code-cache.mjs';

/*
 * `npm run synth|check|diff`: runs the command from the bundled CLI (scripts/_bundle.mjs), built
 * on the first run and again whenever a file it was built from changes. Should the bundle not
 * build (a syntax error in a source file, a read-only node_modules), the command runs from the
 * sources through tsx instead, which reports the problem as it always did.
 */

const COMMANDS = { synth: 'runSynth', check: 'runCheck', diff: 'runDiff' };
const [command, ...args] = process.argv.slice(2);
const run = COMMANDS[command];
if (!run) {
  process.stderr.write(`usage: node scripts/cli.mjs ${Object.keys(COMMANDS).join('|')} [options]\n`);
  process.exit(2);
}

// The pack's cache lives in the pack's folder, and goes with it (scripts/_bundle.mjs removes old builds and packs).
installCodeCache(ROOT, join(CACHE, 'code-cache'), [CACHE]);

async function fromSource() {
  const { register } = await import('tsx/esm/api');
  register();
  return import(pathToFileURL(join(ROOT, 'src/cli/index.ts')).href);
}

async function cli() {
  let build;
  try {
    build = await freshBundle();
  } catch (err) {
    if (process.env.SYNTH_DEBUG === '1') process.stderr.write(`${command}: running from source, the bundle did not build: ${err.stack ?? err}\n`);
    return fromSource();
  }
  if (process.env.SYNTH_DEBUG === '1') process.setSourceMapsEnabled(true);
  installPack(build);
  return import(pathToFileURL(build.bundle).href);
}

process.exitCode = await (await cli())[run](args);
