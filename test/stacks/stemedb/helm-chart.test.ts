import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { listEnvironments } from '../../../src/config/index.ts';
import { loadEnvironment, STEMEDB_MODEL } from '../../../src/stacks/stemedb/model/index.ts';
import { PROJECT_ROOT } from '../../_helpers.ts';
import { CHARTS, HELMS, normalize, schemaError } from '../../helm/_helm.ts';
import { expectMonitoringSwitches } from '../../helm/_monitoring-switches.ts';

/* charts-out/stemedb rendered and linted by every real Helm binary (a current Helm 3 and Helm 4). */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;
const CHART = join(CHARTS, 'stemedb');
const key = (o: Obj): string => `${o.kind}/${o.metadata.name}`;


describe.each(HELMS.flatMap((h) => listEnvironments(STEMEDB_MODEL.environmentsDir).map((env) => ({ h, helm: h.run, env }))))('StemeDB | Helm chart | $h.name | $env', async ({ helm, env }) => {
  const { namespace } = await loadEnvironment(env);
  const distDir = join(PROJECT_ROOT, 'dist', 'stemedb', env);

  it('GIVEN values-<env>.yaml WHEN helm template runs THEN it renders exactly the objects of dist/stemedb/<env> but the Namespace, Helm-only labels aside', async () => {
    const out = await helm('template', 'stemedb', CHART, '-f', join(CHART, `values-${env}.yaml`), '-n', namespace);
    expect(out.code, out.stderr).toBe(0);
    const rendered = (yaml.loadAll(out.stdout) as Obj[]).filter((o) => o && !o.metadata?.annotations?.['helm.sh/hook']);
    const dist = readdirSync(distDir)
      .flatMap((f) => yaml.loadAll(readFileSync(join(distDir, f), 'utf8')) as Obj[])
      .filter((o) => o.kind !== 'Namespace');
    expect(rendered.map(key).sort()).toEqual(dist.map(key).sort());
    for (const d of dist) expect(normalize(rendered.find((r) => key(r) === key(d))), key(d)).toEqual(normalize(d));
  });

  it('GIVEN values-<env>.yaml and monitoring.enabled=false THEN exactly the objects of dist\'s monitoring file leave; global.observability.enabled=false takes the ServiceMonitor too', async () => {
    const render = async (...flags: string[]): Promise<string[]> => {
      const out = await helm('template', 'stemedb', CHART, '-f', join(CHART, `values-${env}.yaml`), '-n', namespace, ...flags);
      expect(out.code, out.stderr).toBe(0);
      return (yaml.loadAll(out.stdout) as Obj[]).filter((o) => o && !o.metadata?.annotations?.['helm.sh/hook']).map(key);
    };
    await expectMonitoringSwitches(render, (yaml.loadAll(readFileSync(join(distDir, 'monitoring.k8s.yaml'), 'utf8')) as Obj[]).map(key));
  });

  it('GIVEN values-<env>.yaml THEN helm lint --strict passes', async () => {
    const out = await helm('lint', '--strict', CHART, '-f', join(CHART, `values-${env}.yaml`));
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toContain('0 chart(s) failed');
  });
});

describe.each(HELMS)('StemeDB | Helm chart | $name | values the model refuses', (h) => {
  it.each([
    ['an IP address as the ingress host (its certificate names hosts)', 'ingress.host=203.0.113.10', 'ingress.host', "'203.0.113.10' does not match pattern"],
    ['a network of every address for the backups (the policy would restrict nothing)', 'networkPolicy.objectStoreCidrs={0.0.0.0/0}', 'networkPolicy.objectStoreCidrs.0', "'0.0.0.0/0' does not match pattern"],
  ])('GIVEN %s THEN Helm refuses it naming the key', async (_, set, path, helm4) => {
    const out = await h.run('template', 'stemedb', CHART, '--set', set);
    expect(out.code).not.toBe(0);
    expect(out.stderr).toMatch(schemaError(h, path, 'Does not match pattern', helm4));
  });
});
