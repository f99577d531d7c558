import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEnvironment, STEMEDB_COMPONENTS } from '../../../src/stacks/stemedb/model/index.ts';
import { STEMEDB } from '../../../src/stacks/stemedb/names.ts';
import { ADDED_OBJECTS, oursFor, SEED_DIFFERENCES, SEED_PAIRS, SEED_RENAMES, type SeedDifference } from '../../../src/stacks/stemedb/seed-differences.ts';
import { StemedbApp } from '../../../src/stacks/stemedb/stemedb-app.ts';
import { stemedbObservability } from '../../../src/stacks/stemedb/monitoring.ts';
import { pascal } from '../../../src/observability/index.ts';
import { PROJECT_ROOT } from '../../_helpers.ts';
import { compareObjects, parseSeed, under, type LeafDifference, type Obj } from './_seed-compare.ts';

/*
 * Seed 003's manifests (copied into fixtures/seed-003.yaml) against the synthesized prod
 * environment, field by field: every difference must be one listed, with its reason, in
 * src/stacks/stemedb/seed-differences.ts, and that list is the README's table.
 */

const id = (o: Obj): string => `${o['kind']}/${o['metadata']['name']}`;
const seed = parseSeed(readFileSync(join(import.meta.dirname, 'fixtures', 'seed-003.yaml'), 'utf8'));
const covers = (d: SeedDifference, l: LeafDifference): boolean => d.object === l.object && under(l.path, d.path);
const show = (l: LeafDifference): string => `${l.object} ${l.path}: seed ${JSON.stringify(l.seed)}, ours ${JSON.stringify(l.ours)}`;

/*
 * The seed has the database only. What a component declared beside it adds is that component's:
 * its objects (by their name label), its dashboard's ConfigMap, and its rules in the shared
 * PrometheusRule (its alerts, and the missing-data alert of its metrics).
 */
const others = STEMEDB_COMPONENTS.components.filter((c) => c.name !== STEMEDB);
const othersRules = new Set(others.flatMap((c) => [...(c.alerts ?? []).map((a) => a.name), `${pascal(c.name)}DataMissing`]));
const othersDashboards = new Set(stemedbObservability().dashboards.filter((d) => d.component !== undefined && d.component !== STEMEDB).map((d) => `ConfigMap/${d.uid}`));
const ofOthers = (o: Obj): boolean => others.some((c) => c.name === o['metadata']['labels']?.['app.kubernetes.io/name']) || othersDashboards.has(id(o));
const aboutOthers = (l: LeafDifference): boolean => [...othersRules].some((r) => l.path.includes(`rules[${r}]`));

describe('StemeDB | the seed 003 manifests', async () => {
  const ours = new StemedbApp(await loadEnvironment('prod')).charts.flatMap((c) => c.toJson() as Obj[]);
  const leafDiffs = seed.flatMap((s) => compareObjects(id(s), s, oursFor(id(s), ours), SEED_RENAMES)).filter((l) => !aboutOthers(l));

  it('GIVEN every seed object THEN one synthesized object stands for it', () => {
    for (const s of seed) expect(oursFor(id(s), ours), `${id(s)} -> ${SEED_PAIRS[id(s)]}`).toBeDefined();
  });

  it('GIVEN the field-by-field comparison THEN every difference is a listed, deliberate one', () => {
    expect(leafDiffs.filter((l) => !SEED_DIFFERENCES.some((d) => covers(d, l))).map(show)).toEqual([]);
  });

  it('GIVEN the list of differences THEN each entry still matches a difference (no stale entries)', () => {
    expect(SEED_DIFFERENCES.filter((d) => !leafDiffs.some((l) => covers(d, l))).map((d) => `${d.object} ${d.path}`)).toEqual([]);
  });

  it('GIVEN the fields the seed and we share THEN the seed\'s intent holds: env, resources, probes\' paths, startup window, schedule, rate limit, secret', () => {
    const shared = leafDiffs.filter((l) => l.seed !== undefined && l.ours !== undefined).map((l) => `${l.object} ${l.path}`);
    for (const path of [
      'Deployment/stemedb-api spec.template.spec.containers[stemedb].env',
      'Deployment/stemedb-api spec.template.spec.containers[stemedb].resources',
      'Deployment/stemedb-api spec.template.spec.containers[stemedb].startupProbe.failureThreshold',
      'CronJob/stemedb-backup spec.schedule',
      'Middleware/ratelimit spec',
      'ExternalSecret/stemedb-secrets spec.data',
    ]) expect(shared.filter((s) => s.startsWith(path))).toEqual([]);
  });

  it('GIVEN our objects THEN those without a seed counterpart are listed with a reason', () => {
    const paired = new Set(Object.values(SEED_PAIRS).map((p) => p.split(' ')[0]));
    const ofSeed = ours.filter((o) => !ofOthers(o));
    const extra = ofSeed.map(id).filter((o) => !paired.has(o) && o !== 'Namespace/stemedb');
    expect(extra.sort()).toEqual(Object.keys(ADDED_OBJECTS).sort());
  });

  it('GIVEN the README THEN its table lists every difference with its reason', () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'src/stacks/stemedb/README.md'), 'utf8');
    for (const d of SEED_DIFFERENCES) expect(readme, `${d.object} ${d.path}`).toContain(`| ${d.object} | \`${d.path}\` | ${d.reason} | ${d.why} |`);
    for (const r of SEED_RENAMES) expect(readme).toContain(`| \`${r.from}\` | \`${r.to}\` | ${r.why} |`);
    for (const [o, why] of Object.entries(ADDED_OBJECTS)) expect(readme).toContain(`| ${o} | ${why} |`);
  });
});
