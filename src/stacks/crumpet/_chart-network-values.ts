import { modelSchemas, type PlatformConfig } from './model/index.ts';
import type { Sentinels } from '../../render/helm/index.ts';
import type { Kube } from './_chart-config-files.ts';

/*
 * NetworkPolicies in the Helm charts: the model fields their peers and ports come from become
 * values under `networkPolicy`, next to its `enabled` switch. A chart carries only the fields
 * its own policies read.
 */

type NetworkModel = Pick<PlatformConfig, 'network' | 'telemetry'>;

/** One model field a NetworkPolicy may read, as a chart value. */
interface NetworkField {
  /** Key under `networkPolicy`. */
  readonly key: string;
  readonly schema: object;
  /** The field's value in a model: an environment's, or a marker (a list's: its one item) in the chart's. */
  readonly of: (model: NetworkModel) => unknown;
}

const network = modelSchemas.platformConfigSchema.properties.network.properties;
const port = { type: 'integer', minimum: 1, maximum: 65535 };

const FIELDS: readonly NetworkField[] = [
  { key: 'monitoringNamespace', schema: network.monitoringNamespace, of: (c) => c.network.monitoringNamespace },
  { key: 'rpcEndpointCidrs', schema: network.rpcEndpointCidrs, of: (c) => [...c.network.rpcEndpointCidrs] },
  { key: 'ipfsGatewayCidrs', schema: network.ipfsGatewayCidrs, of: (c) => [...c.network.ipfsGatewayCidrs] },
  { key: 'pinningServiceCidrs', schema: network.pinningServiceCidrs, of: (c) => [...c.network.pinningServiceCidrs] },
  // The edge's: its NetworkPolicy's sources, and its LoadBalancer's source ranges.
  { key: 'cdnCidrs', schema: network.cdnCidrs, of: (c) => [...c.network.cdnCidrs] },
  { key: 'tracesPort', schema: port, of: (c) => c.telemetry.traces.port },
  { key: 'logsPort', schema: port, of: (c) => c.telemetry.logs.port },
];

const at = (key: string): string => `$.Values.networkPolicy.${key}`;

/**
 * The network and telemetry parts of `base` with the fields of {@link FIELDS} as markers. Other
 * fields (the CIN chart's `peerCidrs`) are the caller's.
 */
export function networkSentinelModel(base: PlatformConfig, s: Sentinels): NetworkModel {
  return {
    network: {
      ...base.network,
      monitoringNamespace: s.string(at('monitoringNamespace')),
      rpcEndpointCidrs: s.list(at('rpcEndpointCidrs')),
      ipfsGatewayCidrs: s.list(at('ipfsGatewayCidrs')),
      pinningServiceCidrs: s.list(at('pinningServiceCidrs')),
      cdnCidrs: s.list(at('cdnCidrs')),
    },
    telemetry: {
      traces: { ...base.telemetry.traces, port: s.number(at('tracesPort')) },
      logs: { ...base.telemetry.logs, port: s.number(at('logsPort')) },
    },
  };
}

/** The `networkPolicy` value of one chart: its switch and the fields its rendered objects read. */
export class NetworkPolicyValues {
  private readonly fields: readonly NetworkField[];

  /** `objects`: the chart rendered from `model`, a {@link networkSentinelModel}. */
  public constructor(objects: readonly Kube[], model: NetworkModel) {
    const text = JSON.stringify(objects);
    this.fields = FIELDS.filter((f) => {
      const marker = f.of(model);
      return text.includes(String(Array.isArray(marker) ? marker[0] : marker));
    });
  }

  /** The value for one environment. */
  public values(config: PlatformConfig): Record<string, unknown> {
    return { enabled: config.features.networkPolicy, ...Object.fromEntries(this.fields.map((f) => [f.key, f.of(config)])) };
  }

  /** Its schema. */
  public schema(): object {
    return {
      type: 'object',
      additionalProperties: false,
      required: ['enabled', ...this.fields.map((f) => f.key)],
      properties: { enabled: { type: 'boolean' }, ...Object.fromEntries(this.fields.map((f) => [f.key, f.schema])) },
    };
  }
}
