import { describe, expect, it } from 'vitest';
import { ConfigError, validateConfig, type ModelDefinition } from '../../src/config/index.ts';
import { resourceRequirementProblems, valueSchemas } from '../../src/lib/values/index.ts';

/*
 * Object formats: a check across the fields of one object of the model (a limit and its
 * request), found wherever a stack's schema places the object: a component's settings, a list's
 * items, a map's values. The stacks' schemas reuse valueSchemas.resources, so each container the
 * model sizes is checked, whoever declares it.
 */

const model: ModelDefinition<unknown> = {
  name: 'object-formats-test',
  environmentsDir: '/nonexistent',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      app: { type: 'object', additionalProperties: false, properties: { resources: valueSchemas.resources } },
      jobs: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { resources: valueSchemas.resources } } },
      sidecars: { type: 'object', additionalProperties: valueSchemas.resources },
    },
  },
  checks: () => [],
};

const sized = (request: string, limit: string) => ({ requests: { cpu: '100m', memory: request }, limits: { memory: limit } });

function problems(candidate: unknown): string[] {
  try {
    validateConfig(model, 'test', candidate);
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.issues.map((i) => `${i.path}: ${i.message}`);
  }
}

describe('Object formats | resource requirements', () => {
  it('GIVEN a limit below its request THEN the problem names the limit and both figures; equal or above is fine', () => {
    expect(resourceRequirementProblems(sized('512Mi', '256Mi'))).toEqual([{ path: ['limits', 'memory'], message: 'must be at least requests.memory (512Mi), got 256Mi' }]);
    expect(resourceRequirementProblems(sized('512Mi', '0.5Gi'))).toEqual([]);
    expect(resourceRequirementProblems(sized('1Gi', '1.5Gi'))).toEqual([]);
    expect(resourceRequirementProblems({ requests: { cpu: '2' }, limits: { cpu: '1500m' } })).toEqual([{ path: ['limits', 'cpu'], message: 'must be at least requests.cpu (2), got 1500m' }]);
  });

  it('GIVEN no limit for a resource, or a value that is not a quantity THEN it is not compared (the schema speaks for the value)', () => {
    expect(resourceRequirementProblems({ requests: { cpu: '2', memory: '1Gi' }, limits: { memory: '1Gi' } })).toEqual([]);
    expect(resourceRequirementProblems(sized('512MB', '1Mi'))).toEqual([]);
    expect(resourceRequirementProblems({ requests: { cpu: '1' } })).toEqual([]);
  });

  it('GIVEN resources in a component, in a list and in a map THEN each limit below its request is reported at its own path', () => {
    expect(
      problems({
        app: { resources: sized('512Mi', '128Mi') },
        jobs: [{ resources: sized('64Mi', '64Mi') }, { resources: sized('2Gi', '1Gi') }],
        sidecars: { exporter: sized('32Mi', '16Mi') },
      }),
    ).toEqual([
      'app.resources.limits.memory: must be at least requests.memory (512Mi), got 128Mi',
      'jobs[1].resources.limits.memory: must be at least requests.memory (2Gi), got 1Gi',
      'sidecars.exporter.limits.memory: must be at least requests.memory (32Mi), got 16Mi',
    ]);
  });

  it('GIVEN sound resources THEN the model is valid', () => {
    expect(problems({ app: { resources: sized('512Mi', '1Gi') }, jobs: [], sidecars: {} })).toEqual([]);
  });
});
