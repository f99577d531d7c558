import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/*
 * Work that test files share within one `vitest run` (a synthesized output, a Helm render): the
 * first worker to ask for an entry produces it into a folder of the run's cache, the others wait
 * for that folder and read it. test/setup/global-setup.ts creates the cache before the first test
 * file and removes it after the last, so an entry never outlives the run that produced it.
 */

/** The environment variable naming the run's cache folder, set by the global setup for every worker. */
export const RUN_CACHE_ENV = 'CRUMPET_TEST_RUN_CACHE';

/** How often a worker waiting for another's entry looks again. */
const POLL_MS = 20;

let ownCache: string | undefined;

/** The run's cache folder; a process started without the global setup (a script) keeps one of its own. */
function cacheRoot(): string {
  const root = process.env[RUN_CACHE_ENV];
  if (root) return root;
  ownCache ??= mkdtempSync(join(tmpdir(), 'crumpet-test-cache-'));
  return ownCache;
}

const entries = new Map<string, Promise<string>>();

/**
 * The folder of the entry named `key`, produced once per run by `produce(folder)`: the first caller
 * (of any worker) produces it, every other caller gets the same folder once it is complete. A
 * failure is every caller's failure, with the producer's message. The first caller's `produce`
 * is called before `shared` returns, so a caller asking for many entries knows at once which it
 * produces (test/_analysis/promtool.ts tests those in one batch).
 */
export function shared(key: string, produce: (dir: string) => Promise<void> | void): Promise<string> {
  const id = createHash('sha256').update(key).digest('hex').slice(0, 40);
  let entry = entries.get(id);
  if (!entry) {
    entry = claim(join(cacheRoot(), id), key, produce);
    entries.set(id, entry);
  }
  return entry;
}

async function claim(dir: string, key: string, produce: (dir: string) => Promise<void> | void): Promise<string> {
  const failed = `${dir}.failed`;
  try {
    // mkdir is atomic: exactly one caller of the run creates the lock.
    mkdirSync(`${dir}.lock`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    for (;;) {
      if (existsSync(dir)) return dir;
      if (existsSync(failed)) throw new Error(`${key}: ${readFileSync(failed, 'utf8')}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
  const partial = `${dir}.partial`;
  try {
    mkdirSync(partial);
    await produce(partial);
    renameSync(partial, dir);
    return dir;
  } catch (err) {
    writeFileSync(failed, err instanceof Error ? err.message : String(err));
    throw err;
  }
}
