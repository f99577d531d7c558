import { isMap } from './is-map.ts';
import { Quantity } from './quantity.ts';

/** A problem of a container's resources: the field below the resources object, and what is wrong. */
export interface ResourceProblem {
  /** e.g. `['limits', 'memory']`. */
  readonly path: readonly string[];
  readonly message: string;
}

function quantity(value: unknown): Quantity | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return Quantity.parse(value);
  } catch {
    return undefined;
  }
}

/**
 * What the API server refuses of a container's `resources` (`{ requests, limits }`): a limit
 * below the request of the same resource ("must be less than or equal to cpu limit"), which would
 * make `kubectl apply` fail on the whole workload. Values that are not quantities are left to the
 * schema that shapes them.
 */
export function resourceRequirementProblems(resources: unknown): ResourceProblem[] {
  if (!isMap(resources) || !isMap(resources['requests']) || !isMap(resources['limits'])) return [];
  const { requests, limits } = resources;
  return Object.keys(limits).flatMap((name) => {
    const [request, limit] = [quantity(requests[name]), quantity(limits[name])];
    if (request === undefined || limit === undefined || limit.value >= request.value) return [];
    return [{ path: ['limits', name], message: `must be at least requests.${name} (${request.text}), got ${limit.text}` }];
  });
}
