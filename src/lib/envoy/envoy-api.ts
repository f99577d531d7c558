import { readFileSync } from 'node:fs';
import { ApiIndex, type BundleNode } from './_api-index.ts';
import { Validation } from './_validation.ts';

/** The descriptor bundle written by `npm run import:envoy`. */
const BUNDLE = new URL('../../../imports/envoy/envoy-api.json', import.meta.url);

/**
 * Envoy's v3 API, to validate configuration the way Envoy's strict YAML/JSON loading does:
 * unknown fields, wrong types, unknown enum values, malformed durations, two members of a
 * oneof, deprecated fields, every `typed_config` by its `@type`, and the simple
 * protoc-gen-validate rules (src/lib/envoy/_rules.ts says which).
 *
 * The descriptors come from imports/envoy/envoy-api.json, generated from Envoy's own protos.
 *
 * @see https://www.envoyproxy.io/docs/envoy/latest/api-v3/api
 */
export class EnvoyApi {
  private static loaded: EnvoyApi | undefined;

  /** Loads imports/envoy/envoy-api.json once per process (cached), lazily. */
  public static load(): EnvoyApi {
    EnvoyApi.loaded ??= new EnvoyApi(new ApiIndex(JSON.parse(readFileSync(BUNDLE, 'utf8')) as BundleNode));
    return EnvoyApi.loaded;
  }

  private constructor(private readonly index: ApiIndex) {}

  /**
   * Problems of `value` as a `typeName` message in proto3 JSON/YAML form, each "path: message".
   * Empty when valid. Throws when the API has no message `typeName`.
   *
   * @param typeName full name of the message: `envoy.config.bootstrap.v3.Bootstrap`
   * @param value the configuration as parsed from YAML or JSON, keys as Envoy reads them
   */
  public validate(typeName: string, value: unknown): string[] {
    if (!this.index.message(typeName)) throw new Error(`EnvoyApi: no message ${JSON.stringify(typeName)} in Envoy's v3 API (give its full name, such as envoy.config.bootstrap.v3.Bootstrap)`);
    const validation = new Validation(this.index);
    validation.message(typeName, value, '');
    return validation.problems;
  }
}
