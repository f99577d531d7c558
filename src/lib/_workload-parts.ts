import type { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { AppLabels } from './labels.ts';
import { typedApiObject } from './_api-object.ts';

/** A port a Service exposes, mapped onto a named container port. */
export interface ServicePort {
  readonly name: string;
  readonly port: number;
  /** Name of the container port traffic goes to. */
  readonly targetPort: string;
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

export function serviceAccount(scope: Construct, name: string, labels: AppLabels, automount: boolean): ApiObject {
  return typedApiObject<IServiceAccount>(scope, 'ServiceAccount', {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name, labels: { ...labels.all } },
    automountServiceAccountToken: automount,
  });
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

export function service(scope: Construct, name: string, labels: AppLabels, ports: readonly ServicePort[], options: ServiceOptions = {}): ApiObject {
  return typedApiObject<IService>(scope, options.id ?? 'Service', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, labels: { ...labels.all } },
    spec: {
      type: options.type ?? 'ClusterIP',
      ...(options.headless ? { clusterIP: 'None', publishNotReadyAddresses: false } : {}),
      ...(options.loadBalancerSourceRanges ? { loadBalancerSourceRanges: [...options.loadBalancerSourceRanges] } : {}),
      ...(options.type === 'LoadBalancer' ? { externalTrafficPolicy: 'Local' } : {}),
      selector: { ...(options.selector ?? labels.selector) },
      ports: ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort, protocol: p.protocol ?? 'TCP' })),
    },
  });
}
