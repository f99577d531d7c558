import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { describe, expect, it } from 'vitest';
import { listEnvironments, loadEnvironment } from '../../src/config/index.ts';
import { STACKS } from '../../src/stacks/index.ts';

/*
 * The library builds its workloads on cdk8s-plus-28: every Deployment, StatefulSet, Service,
 * CronJob and HorizontalPodAutoscaler of every stack and environment is the API object of a kplus
 * construct, so no parallel L2 of those kinds can come back unnoticed.
 */

const KPLUS_KINDS: Readonly<Record<string, abstract new (...args: never[]) => object>> = {
  Deployment: kplus.Deployment,
  StatefulSet: kplus.StatefulSet,
  Service: kplus.Service,
  CronJob: kplus.CronJob,
  HorizontalPodAutoscaler: kplus.HorizontalPodAutoscaler,
};

const cases = STACKS.flatMap((stack) => listEnvironments(stack.model.environmentsDir).map((env) => [stack.name, env, stack] as const));

describe('Workloads on cdk8s-plus-28 |', () => {
  it.each(cases)('GIVEN %s %s THEN every object of a workload kind is made by the kplus construct of that kind', async (_name, env, stack) => {
    const app = stack.app(await loadEnvironment(stack.model, env));
    const objects = app.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && c.kind in KPLUS_KINDS);
    expect(objects.length, 'the stack must have workloads').toBeGreaterThan(0);
    const outside = objects.filter((o) => !(o.node.scope instanceof KPLUS_KINDS[o.kind]!)).map((o) => `${o.kind} ${o.node.path}`);
    expect(outside, 'made without cdk8s-plus-28').toEqual([]);
  });
});
