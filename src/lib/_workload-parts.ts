import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import type { AppLabels } from './labels.ts';

/** A port a Service exposes, mapped onto a container port. */
export interface ServicePort {
  readonly name: string;
  readonly port: number;
  /** The container port traffic goes to. */
  readonly targetPort: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
}

/** Anything the network and disruption constructs can point at: a named set of pods. */
export interface Workload {
  readonly name: string;
  readonly labels: AppLabels;
  /**
   * The construct whose chart holds what belongs to the workload but is made elsewhere (its
   * NetworkPolicy), so the workload's file and Helm chart carry it.
   * @default - the chart of the construct that makes it
   */
  readonly home?: Construct;
}

/** The workload's own ServiceAccount; its token is mounted only for workloads that call the API. */
export function serviceAccount(scope: Construct, name: string, labels: AppLabels, automount: boolean): kplus.ServiceAccount {
  return new kplus.ServiceAccount(scope, 'ServiceAccount', { metadata: { name, labels: { ...labels.all } }, automountToken: automount });
}

export interface ServiceOptions {
  readonly id?: string;
  readonly type?: 'ClusterIP' | 'LoadBalancer';
  /** Headless (clusterIP None), for StatefulSet pod DNS. */
  readonly headless?: boolean;
  readonly loadBalancerSourceRanges?: readonly string[];
  /** Selector labels. @default - the workload's selector labels */
  readonly selector?: Readonly<Record<string, string>>;
}

/**
 * A kplus Service selecting the workload's pods by their standard selector labels. A
 * LoadBalancer keeps client addresses (`externalTrafficPolicy: Local`, which kplus has no prop for).
 */
export function service(scope: Construct, name: string, labels: AppLabels, ports: readonly ServicePort[], options: ServiceOptions = {}): kplus.Service {
  const svc = new kplus.Service(scope, options.id ?? 'Service', {
    metadata: { name, labels: { ...labels.all } },
    type: options.type === 'LoadBalancer' ? kplus.ServiceType.LOAD_BALANCER : kplus.ServiceType.CLUSTER_IP,
    ...(options.headless ? { clusterIP: 'None', publishNotReadyAddresses: false } : {}),
    ...(options.loadBalancerSourceRanges ? { loadBalancerSourceRanges: [...options.loadBalancerSourceRanges] } : {}),
    ports: ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort, protocol: p.protocol === 'UDP' ? kplus.Protocol.UDP : kplus.Protocol.TCP })),
  });
  for (const [key, value] of Object.entries(options.selector ?? labels.selector)) svc.selectLabel(key, value);
  if (options.type === 'LoadBalancer') ApiObject.of(svc).addJsonPatch(JsonPatch.add('/spec/externalTrafficPolicy', 'Local'));
  return svc;
}
