import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadManifests, type KubeObject } from '../../_analysis/index.ts';
import { PROJECT_ROOT } from '../../_helpers.ts';

/* What the mirror's tests share: its environments and its committed outputs. */

export { loadEnvironment, MIRROR_MODEL } from '../../../src/stacks/mirror/index.ts';

/** Where the model keeps the sync job's image. */
export const SYNC_SETTINGS_IMAGE_PATH = 'components.mirrorSync.image';

/** The mirror's environments. */
export const ENVIRONMENTS: readonly string[] = readdirSync(join(PROJECT_ROOT, 'src/stacks/mirror/environments'))
  .filter((f) => /^[a-z0-9-]+\.ts$/.test(f))
  .map((f) => f.slice(0, -3))
  .sort();

/** Every object of dist/mirror/<env>/, or of one file of it. */
export function distObjects(env: string, file?: string): KubeObject[] {
  const dir = join(PROJECT_ROOT, 'dist', 'mirror', env);
  return readdirSync(dir)
    .filter((f) => file === undefined || f === file)
    .sort()
    .flatMap((f) => loadManifests(readFileSync(join(dir, f), 'utf8')));
}
