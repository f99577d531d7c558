import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CrumpetApp, DISASTER_RECOVERY, loadEnvironment, RUNBOOK_ANNOTATION } from '../../../src/stacks/crumpet/index.ts';
import type { KubeObject, StringMap } from '../../_analysis/index.ts';
import { PROJECT_ROOT } from '../../_helpers.ts';
import { distObjects, ENVIRONMENTS } from './_output.ts';

/*
 * The DR runbook of spec section 10, read back from ops/runbooks/ and checked against the
 * committed dist/ of the environment it restores: every backup CronJob, the bucket they write to
 * and every index volume are named, and every CronJob links to the runbook.
 */

const env = DISASTER_RECOVERY.environment;
const runbookFile = `ops/runbooks/${DISASTER_RECOVERY.runbook}.md`;

interface CronJob extends KubeObject {
  readonly metadata: { readonly name: string; readonly namespace: string; readonly annotations?: StringMap };
  readonly spec: { readonly jobTemplate: { readonly spec: { readonly template: { readonly spec: { readonly containers: readonly { readonly env?: readonly { name: string; value?: string }[]; readonly args?: readonly string[]; readonly command?: readonly string[] }[] } } } } };
}

function cronJobs(objects: readonly KubeObject[]): CronJob[] {
  return objects.filter((o) => o.kind === 'CronJob') as CronJob[];
}

/** The buckets a CronJob writes to, as its containers say (`S3_BUCKET`, or an `s3://` URL in its arguments). */
function bucketsOf(job: CronJob): string[] {
  return job.spec.jobTemplate.spec.template.spec.containers.flatMap((c) => [
    ...(c.env ?? []).filter((e) => e.name === 'S3_BUCKET' && e.value).map((e) => e.value!),
    ...[...(c.args ?? []), ...(c.command ?? [])].flatMap((a) => [...a.matchAll(/s3:\/\/([a-z0-9.-]+)\//g)].map((m) => m[1]!)),
  ]);
}

/** The PersistentVolumeClaims of every StatefulSet with replicas: `<template>-<set>-<ordinal>`. */
function claims(objects: readonly KubeObject[]): string[] {
  return objects
    .filter((o) => o.kind === 'StatefulSet')
    .flatMap((o) => {
      const spec = o['spec'] as { replicas?: number; volumeClaimTemplates?: { metadata: { name: string } }[] };
      return (spec.volumeClaimTemplates ?? []).flatMap((t) => Array.from({ length: spec.replicas ?? 1 }, (_, n) => `${t.metadata.name}-${o.metadata!.name}-${n}`));
    });
}

describe('Disaster recovery |', () => {
  const text = readFileSync(join(PROJECT_ROOT, runbookFile), 'utf8');
  const objects = distObjects(env);

  it('GIVEN the backup CronJobs of dist/<env> WHEN the runbook is read THEN it names each, the bucket each writes to and the namespace', () => {
    const jobs = cronJobs(objects);
    expect(jobs.length).toBeGreaterThan(0);
    for (const job of jobs) {
      expect(text).toContain(`\`${job.metadata.name}\``);
      expect(text).toContain(`--from=cronjob/${job.metadata.name} `);
      for (const bucket of bucketsOf(job)) expect(text).toContain(`s3://${bucket}/`);
    }
    expect(jobs.flatMap(bucketsOf).length).toBeGreaterThan(0);
    expect(text).toContain(`--namespace ${jobs[0]!.metadata.namespace}`);
  });

  it('GIVEN the backup CronJobs of dist/<env> WHEN their annotations are read THEN each links to the DR runbook, which exists', () => {
    for (const job of cronJobs(objects)) expect(job.metadata.annotations?.[RUNBOOK_ANNOTATION], job.metadata.name).toBe(runbookFile);
    expect(existsSync(join(PROJECT_ROOT, runbookFile))).toBe(true);
  });

  it('GIVEN the StatefulSets of dist/<env> WHEN the runbook is read THEN every claim to restore is named, before the manifests that create the StatefulSets are applied', () => {
    const names = claims(objects).filter((c) => c.startsWith('index-'));
    expect(names.length).toBeGreaterThan(0);
    for (const claim of names) expect(text).toContain(`\`${claim}\``);
    const restore = text.indexOf(`\`${names[0]}\``);
    expect(restore).toBeGreaterThan(-1);
    expect(restore).toBeLessThan(text.indexOf(`\`kubectl apply -f dist/${env}\``));
  });

  it('GIVEN the runbook WHEN read THEN it states the objectives and proves the restore in a Verification section', () => {
    expect(text).toContain(`RTO <= ${DISASTER_RECOVERY.rto}, RPO <= ${DISASTER_RECOVERY.rpo}`);
    const verification = text.slice(text.indexOf('## Verification'), text.indexOf('## Escalation'));
    expect(verification).toContain('kubectl wait');
    expect(verification).toContain('snapshot_age_seconds');
  });

  it('GIVEN the environment model WHEN the app is built THEN the runbook is a standalone runbook of its observability model, and the model has no problems', async () => {
    const app = new CrumpetApp(await loadEnvironment(env));
    expect(app.monitoring.model.runbooks.map((r) => r.name)).toContain(DISASTER_RECOVERY.runbook);
    expect(app.monitoring.model.check()).toEqual([]);
  });

  it.each(ENVIRONMENTS.filter((e) => e !== env))('GIVEN %s, which the DR runbook does not cover WHEN its CronJobs are read THEN none links to it', (other) => {
    for (const job of cronJobs(distObjects(other))) expect(job.metadata.annotations?.[RUNBOOK_ANNOTATION]).toBeUndefined();
  });
});
