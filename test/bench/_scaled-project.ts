import { cpSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { settingsKey } from '../../src/lib/index.ts';
import { PROJECT_ROOT, tempDir } from '../_helpers.ts';

/*
 * A copy of the project whose Crumpet model has `n` times the components: each environment's
 * CIN languages `n` times over (new language codes, the same replicas and storage), and `n`
 * stateless backends made from the search API of README "Adding a component" (each with its
 * route, metrics, alert, runbook, dashboard and chart). The copy's own `npm run synth` renders
 * it, so nothing is written into the project's outputs.
 */

const FIXTURE = join(PROJECT_ROOT, 'test/stacks/crumpet/fixtures/search-api.ts');
const ENVIRONMENTS = 'src/stacks/crumpet/environments';
const DIGEST = `sha256:${'5'.repeat(64)}`;

/** The search API renamed `search-api-<k>`: its names, route, metrics, alert and dashboard. */
function backend(k: number): string {
  return readFileSync(FIXTURE, 'utf8')
    .replaceAll('search-api', `search-api-${k}`)
    .replaceAll('search_api_', `search_api_${k}_`)
    .replaceAll('SearchApi', `SearchApi${k}`)
    .replaceAll('/v2/search', `/v2/search-${k}`)
    .replaceAll("'search-v2'", `'search-v2-${k}'`)
    .replaceAll('Search API', `Search API ${k}`);
}

/** The environment `env` with its languages `n` times over and the backends' settings. */
function scaledEnvironment(env: string, n: number): string {
  const backends = Array.from({ length: n }, (_, i) => `    ${settingsKey(`search-api-${i + 1}`)}: { image: crumpetImage('search-api-${i + 1}', '${DIGEST}') },`);
  return `import { crumpetImage } from '../model/defaults.ts';
import type { PlatformConfig } from '../model/types.ts';
import base from './_${env}-base.ts';

const codes = Array.from({ length: 26 * 26 }, (_, i) => String.fromCharCode(97 + Math.floor(i / 26), 97 + (i % 26)));
const own = base.components.cinNode.languages;
const free = codes.filter((c) => !own.some((l) => l.code === c));
const languages = Array.from({ length: ${n} }, (_, copy) => own.map((l, i) => (copy === 0 ? l : { ...l, code: free[(copy - 1) * own.length + i]! }))).flat();

const scaled: PlatformConfig = {
  ...base,
  components: {
    ...base.components,
    cinNode: { ...base.components.cinNode, languages },
${backends.join('\n')}
  } as PlatformConfig['components'],
};
export default scaled;
`;
}

/** Writes the scaled copy and returns its root; node_modules is the project's, linked. */
export function scaledProject(n: number): string {
  const copy = tempDir(`scale-${n}`);
  for (const d of ['src', 'imports', 'scripts']) cpSync(join(PROJECT_ROOT, d), join(copy, d), { recursive: true });
  for (const f of ['package.json', 'tsconfig.json']) cpSync(join(PROJECT_ROOT, f), join(copy, f));
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(copy, 'node_modules'));
  for (let k = 1; k <= n; k++) writeFileSync(join(copy, 'src/stacks/crumpet/components', `search-api-${k}.ts`), backend(k));
  const dir = join(copy, ENVIRONMENTS);
  for (const file of readdirSync(dir).filter((f) => /^[a-z0-9-]+\.ts$/.test(f))) {
    const env = file.slice(0, -3);
    renameSync(join(dir, file), join(dir, `_${env}-base.ts`));
    writeFileSync(join(dir, file), scaledEnvironment(env, n));
  }
  return copy;
}
