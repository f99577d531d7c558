import { Construct } from 'constructs';
import { Duration, type ComponentDeclaration } from '../../lib/index.ts';
import { k6LoadTest, type ObservabilityModel, type SloDefinition } from '../../observability/index.ts';
import { GeneratedFile } from '../../render/index.ts';
import type { CinLanguage } from './cin-node.ts';
import { LANGUAGE_QUERY_PARAMETER } from './edge-routes.ts';

/** The load of spec section 14: `GET /v1/search` ramped from 0 to 300 requests per second. */
export const SEARCH_LOAD = {
  /** The route of the CIN declaration the test loads, by name. */
  route: 'search',
  targetRate: 300,
  stages: { rampUp: '5m', hold: '10m', rampDown: '1m' },
  /** Spec section 8 states the read latency SLO for `size <= 20`. */
  query: { q: { env: 'QUERY', default: 'ipfs' }, size: '20' },
  /** The SLOs whose figures become the thresholds. */
  latencySlo: 'read-latency',
  availabilitySlo: 'availability',
} as const;

/** Props of {@link SearchLoadTest}. */
export interface SearchLoadTestProps {
  /** The environment, which names the file's folder. */
  readonly environment: string;
  /** The CIN component as declared: the route loaded, its path and timeout. */
  readonly cin: ComponentDeclaration<unknown, unknown>;
  /** The environment's languages, which the requests take in turn (`?lang=`). */
  readonly languages: readonly CinLanguage[];
  /** The observability model whose SLOs give the thresholds. */
  readonly model: ObservabilityModel;
}

/**
 * The k6 load test of the search, `ops/k6/<env>/search-load.js`: the path and timeout of the CIN
 * declaration's search route, the environment's languages, thresholds from the model's read
 * latency and availability SLOs.
 */
export class SearchLoadTest extends Construct {
  public readonly path: string;

  public constructor(scope: Construct, id: string, props: SearchLoadTestProps) {
    super(scope, id);
    const route = (props.cin.routes ?? []).find((r) => r.name === SEARCH_LOAD.route);
    if (!route?.path) throw new Error(`[${this.node.path}] component ${props.cin.name} has no route "${SEARCH_LOAD.route}" with a path`);
    const slo = (name: string): SloDefinition => {
      const found = props.model.rules.slos.find((s) => s.name === name);
      if (!found) throw new Error(`[${this.node.path}] the observability model has no SLO "${name}"`);
      return found;
    };
    const latency = slo(SEARCH_LOAD.latencySlo);
    const availability = slo(SEARCH_LOAD.availabilitySlo);
    const requestPath = route.path;
    this.path = `${props.model.opsRoot}/k6/${props.environment}/search-load.js`;
    const path = this.path;
    new GeneratedFile(this, 'Script', {
      path,
      render: () =>
        k6LoadTest({
          name: props.environment,
          path,
          source: 'src/stacks/crumpet/search-load-test.ts',
          requestPath,
          query: SEARCH_LOAD.query,
          variants: { parameter: LANGUAGE_QUERY_PARAMETER, values: props.languages.map((l) => l.code) },
          targetRate: SEARCH_LOAD.targetRate,
          stages: SEARCH_LOAD.stages,
          timeoutSeconds: Duration.parse(route.timeout).milliseconds / 1000,
          latency,
          availability,
        }),
    });
  }
}
