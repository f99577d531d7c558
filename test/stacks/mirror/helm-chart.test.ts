import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { MIRROR_CHART, MIRROR_CHARTED, MIRROR_MONITORING_CHART, overlayOf } from '../../../src/stacks/mirror/index.ts';
import { CHARTS, HELMS, normalize, schemaError, type Helm } from '../../helm/_helm.ts';
import { expectMonitoringSwitches } from '../../helm/_monitoring-switches.ts';
import { distObjects, ENVIRONMENTS, loadEnvironment } from './_mirror.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

/*
 * charts-out/mirror by every real Helm binary (a current Helm 3 and Helm 4): lint --strict, and each environment's overlay
 * (prod's is the seed's values-mirror.yaml) renders exactly the files of dist/mirror/<env>/ the chart holds (all but the Namespace).
 */

const chart = join(CHARTS, MIRROR_CHART);
const key = (o: Obj): string => `${o.kind}/${o.metadata.name}`;


/** The objects `h`'s `helm template` renders of the chart, without test hooks. */
function templater(h: Helm) {
  return async (...args: string[]): Promise<Obj[]> => {
    const out = await h.run('template', 'mirror', chart, ...args);
    expect(out.code, out.stderr).toBe(0);
    return (yaml.loadAll(out.stdout) as Obj[]).filter((o) => o && !o.metadata?.annotations?.['helm.sh/hook']);
  };
}

describe.each(HELMS)('Mirror chart with $name |', (h) => {
  const helm = h.run;
  const template = templater(h);
  it('GIVEN the chart THEN prod\'s overlay is the seed\'s values-mirror.yaml profile', () => {
    expect(overlayOf('prod')).toBe('values-mirror.yaml');
  });

  it.each(['', ...ENVIRONMENTS])('GIVEN %s values THEN helm lint --strict passes', async (env) => {
    const out = await helm('lint', '--strict', chart, ...(env ? ['-f', join(chart, overlayOf(env))] : []));
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toContain('0 chart(s) failed');
  });

  it.each(ENVIRONMENTS)('GIVEN the overlay of %s WHEN helm template runs THEN it renders exactly its dist/ objects but for Helm-only labels', async (env) => {
    const { namespace } = await loadEnvironment(env);
    const rendered = await template('-f', join(chart, overlayOf(env)), '-n', namespace);
    const dist = MIRROR_CHARTED.flatMap((c) => distObjects(env, `${c}.k8s.yaml`)) as Obj[];
    expect(dist.length).toBeGreaterThan(0);
    expect(distObjects(env).filter((o) => !dist.some((d) => key(d) === key(o))).map(key)).toEqual([`Namespace/${namespace}`]);
    expect(rendered.map(key).sort()).toEqual(dist.map(key).sort());
    for (const d of dist) expect(normalize(rendered.find((r) => key(r) === key(d))), key(d)).toEqual(normalize(d));
  });

  it.each(ENVIRONMENTS)('GIVEN the overlay of %s and monitoring.enabled=false THEN exactly the objects of dist\'s monitoring file leave; global.observability.enabled=false takes the PodMonitor too', async (env) => {
    const { namespace } = await loadEnvironment(env);
    const render = async (...flags: string[]) => (await template('-f', join(chart, overlayOf(env)), '-n', namespace, ...flags)).map(key);
    await expectMonitoringSwitches(render, distObjects(env, `${MIRROR_MONITORING_CHART}.k8s.yaml`).map((o) => key(o as Obj)));
  });

  it('GIVEN another release namespace THEN the rules look for the mirror\'s series in it, and the objects are all in it', async () => {
    const { namespace } = await loadEnvironment('prod');
    const objects = await template('-f', join(chart, overlayOf('prod')), '-n', 'mirror-elsewhere');
    expect(objects.map((o) => o.metadata.namespace)).toEqual(objects.map(() => 'mirror-elsewhere'));
    const rules = objects.find((o) => o.kind === 'PrometheusRule')!.spec.groups.flatMap((g: Obj) => g.rules.map((r: Obj) => r.expr as string));
    expect(rules.filter((e: string) => e.includes('namespace="mirror-elsewhere"')).length).toBeGreaterThan(0);
    expect(rules.join('\n')).not.toContain(`"${namespace}"`);
  });

  it('GIVEN values-mirror.yaml THEN the CronJob runs the sync image pinned by digest, from the model', async () => {
    const config = await loadEnvironment('prod');
    const cronJob = (await template('-f', join(chart, overlayOf('prod')), '-n', config.namespace)).find((o) => o.kind === 'CronJob')!;
    const image = cronJob.spec.jobTemplate.spec.template.spec.containers[0].image;
    expect(image).toBe(config.components.mirrorSync.image);
    expect(image).toMatch(/@sha256:[a-f0-9]{64}$/);
  });

  it('GIVEN --set sync.image with a tag only THEN Helm rejects it through values.schema.json naming the key', async () => {
    const out = await helm('template', 'mirror', chart, '--set', 'sync.image=public.ecr.aws/aws-cli/aws-cli:2.17.0');
    expect(out.code).not.toBe(0);
    expect(out.stderr).toMatch(schemaError(h, 'sync.image', 'Does not match pattern', "'public.ecr.aws/aws-cli/aws-cli:2.17.0' does not match pattern"));
  });

  it('GIVEN the rendered gateway config THEN it carries the model\'s CDN cache headers and the checksum rolls the pods', async () => {
    const config = await loadEnvironment('prod');
    const objects = await template('-f', join(chart, overlayOf('prod')), '-n', config.namespace);
    const conf = objects.find((o) => o.kind === 'ConfigMap')!.data['nginx.conf'] as string;
    expect(conf).toContain(`add_header Cache-Control "public, max-age=${config.cdn.indexMaxAgeSeconds}" always;`);
    expect(conf).toContain(`add_header Cache-Control "public, max-age=${config.cdn.payloadMaxAgeSeconds}, immutable" always;`);
    for (const d of config.domains) {
      expect(conf).toContain(`server_name ${d.host};`);
      expect(conf).toContain(`zone=${d.id}_download:1m rate=${d.maxDownloadRequestsPerHour / 60}r/m;`);
    }
    const changed = await template('-f', join(chart, overlayOf('prod')), '-n', config.namespace, '--set-string', 'configFiles.gateway-config.nf=x');
    const annotation = (objs: Obj[]) => objs.find((o) => o.kind === 'Deployment')!.spec.template.metadata.annotations['checksum/config'];
    expect(annotation(changed)).not.toBe(annotation(objects));
  });

  it('GIVEN the chart THEN no Secret value is in it: the Secrets are ExternalSecrets', async () => {
    const objects = await template('-f', join(chart, overlayOf('prod')));
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    const secrets = objects.filter((o) => o.kind === 'ExternalSecret').map((o) => o.spec.target.name).sort();
    expect(secrets).toEqual(['mirror-gateway-htpasswd', 'mirror-gateway-tls', 'mirror-sync-aws']);
    const values = readFileSync(join(chart, 'values.yaml'), 'utf8');
    expect(values).not.toMatch(/BEGIN (CERTIFICATE|PRIVATE KEY)|\$2y\$/);
  });
});
