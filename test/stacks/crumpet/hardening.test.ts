import { describe, expect, it } from 'vitest';
import { podSpecsOf, type KubeObject } from '../../_analysis/index.ts';
import { everyOutput, type Output } from './_output.ts';

/*
 * Hardening and resources of every container the platform runs, computed over every environment's
 * dist/ and every Helm chart rendered with each environment's values (`helm test` pods included).
 * The Pod Security Standard checker (test/_analysis/pod-security.ts) does not cover these: the
 * restricted profile requires neither a read-only root filesystem, nor size limits, nor resources.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Container = Record<string, any>;

/**
 * Spec section 12 (Capacity Planning), per main container, with requests equal to limits (README,
 * "The platform"). The spec's "GB" are binary here, as the README states them (4 GiB, ...).
 * Pinned from the spec, not read from the model, so that a change of the model's figures fails.
 */
const SPEC_SECTION_12 = [
  { component: 'cin-node', cpu: '2', memory: '4Gi', spec: 'CIN Node: CPU 2 vCPU; Mem 4 GB' },
  { component: 'pin-orchestrator', cpu: '1', memory: '512Mi', spec: 'Pin Orchestrator: CPU 1 vCPU; Mem 512 MB' },
  { component: 'watcher', cpu: '500m', memory: '256Mi', spec: 'Watcher: CPU 0.5 vCPU; Mem 256 MB' },
  { component: 'envoy-edge', cpu: '2', memory: '2Gi', spec: 'Edge (Envoy): Start 2 vCPU/2 GB' },
] as const;

const BINARY = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 } as const;
const DECIMAL = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12 } as const;

/** A Kubernetes quantity as a number (`500m` is 0.5, `4Gi` is 4 * 2^30), NaN when malformed. */
function quantity(value: unknown): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|m|k|M|G|T)?$/.exec(String(value));
  if (!m) return Number.NaN;
  const unit = m[2] as keyof typeof BINARY | keyof typeof DECIMAL | undefined;
  return Number(m[1]) * (unit === undefined ? 1 : unit in BINARY ? BINARY[unit as keyof typeof BINARY] : DECIMAL[unit as keyof typeof DECIMAL]);
}

/** Every container of every pod template of an output, named `<output> <Kind/name> <list>[<container>]`. */
function containersOf(output: Output): { where: string; object: KubeObject; container: Container }[] {
  return output.objects.flatMap((object) =>
    podSpecsOf(object).flatMap((pod) =>
      (['initContainers', 'containers'] as const).flatMap((list) =>
        ((pod.spec[list] ?? []) as Container[]).map((container) => ({
          where: `${output.name} ${object.kind}/${object.metadata?.name} ${pod.path}.${list}[${container.name}]`,
          object,
          container,
        })),
      ),
    ),
  );
}

describe('Hardening and resources of every container |', async () => {
  const outputs = await everyOutput();
  const containers = outputs.flatMap(containersOf);

  it('GIVEN every output THEN it has containers of every kind: main, sidecars, jobs and helm test pods', () => {
    const names = new Set(containers.map((c) => c.container.name));
    for (const expected of ['otel-collector', 'promtail', 'config-backup', 'smoke-test']) expect(names, expected).toContain(expected);
    for (const output of outputs) expect(containersOf(output).length, output.name).toBeGreaterThan(0);
  });

  it.each(SPEC_SECTION_12)(
    'GIVEN the $component main containers THEN resources.requests and resources.limits are the spec section 12 figures ($cpu CPU, $memory memory)',
    ({ component, cpu, memory, spec }) => {
      const main = containers.filter(
        (c) => podSpecsOf(c.object)[0]!.labels['app.kubernetes.io/name'] === component && c.container.name === c.object.metadata?.name,
      );
      expect(main.length, `no main container of ${component}`).toBeGreaterThan(0);
      const wrong = main.flatMap(({ where, container }) =>
        (['requests', 'limits'] as const).flatMap((kind) => [
          ...(quantity(container.resources?.[kind]?.cpu) === quantity(cpu) ? [] : [`${where}: resources.${kind}.cpu must be ${cpu} (spec section 12, "${spec}"), got ${container.resources?.[kind]?.cpu}`]),
          ...(quantity(container.resources?.[kind]?.memory) === quantity(memory) ? [] : [`${where}: resources.${kind}.memory must be ${memory} (spec section 12, "${spec}"), got ${container.resources?.[kind]?.memory}`]),
        ]),
      );
      expect(wrong).toEqual([]);
    },
  );

  it('GIVEN every container (init, sidecars, jobs, helm test pods) THEN it has resources.requests and resources.limits for CPU and memory, limits not below requests', () => {
    const wrong = containers.flatMap(({ where, container }) =>
      (['requests', 'limits'] as const).flatMap((kind) =>
        (['cpu', 'memory'] as const).flatMap((resource) => {
          const value = quantity(container.resources?.[kind]?.[resource]);
          return Number.isFinite(value) && value > 0 ? [] : [`${where}: resources.${kind}.${resource} must be set, got ${container.resources?.[kind]?.[resource]}`];
        }),
      ).concat(
        (['cpu', 'memory'] as const).flatMap((resource) =>
          quantity(container.resources?.limits?.[resource]) < quantity(container.resources?.requests?.[resource])
            ? [`${where}: resources.limits.${resource} must not be below resources.requests.${resource}`]
            : [],
        ),
      ),
    );
    expect(wrong).toEqual([]);
  });

  it('GIVEN every container (init, sidecars, jobs, helm test pods) THEN securityContext.readOnlyRootFilesystem is true', () => {
    const wrong = containers
      .filter(({ container }) => container.securityContext?.readOnlyRootFilesystem !== true)
      .map(({ where, container }) => `${where}: securityContext.readOnlyRootFilesystem must be true, got ${container.securityContext?.readOnlyRootFilesystem}`);
    expect(wrong).toEqual([]);
  });

  it('GIVEN every emptyDir volume of every pod template THEN it has an emptyDir.sizeLimit', () => {
    const emptyDirs = outputs.flatMap((output) =>
      output.objects.flatMap((object) =>
        podSpecsOf(object).flatMap((pod) =>
          (pod.spec.volumes ?? [])
            .filter((v) => v['emptyDir'] !== undefined)
            .map((v) => ({ where: `${output.name} ${object.kind}/${object.metadata?.name} ${pod.path}.volumes[${v.name}]`, emptyDir: v['emptyDir'] as Container })),
        ),
      ),
    );
    expect(emptyDirs.length).toBeGreaterThan(0);
    const wrong = emptyDirs
      .filter(({ emptyDir }) => !(quantity(emptyDir?.['sizeLimit']) > 0))
      .map(({ where, emptyDir }) => `${where}: emptyDir.sizeLimit must be set, got ${emptyDir?.['sizeLimit']}`);
    expect(wrong).toEqual([]);
  });
});
