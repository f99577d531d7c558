import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import { ProgressiveRollout } from '../delivery/progressive-rollout.ts';
import { DisruptionBudget } from '../disruption-budget.ts';
import { HorizontalAutoscaler, type ScalingMetric } from '../horizontal-autoscaler.ts';
import { StatelessService } from '../stateless-service.ts';
import { ImageReference, valueSchemas, type ImageSpec, type ResourcesSpec } from '../values/index.ts';
import type { HealthCheck, VolumeMount } from '../_pod-template.ts';
import type { ComponentContext, ComponentDeclaration } from './component.ts';
import type { MountedCertificate } from './mesh-certificates.ts';

/** The model's settings of a stateless component. */
export interface StatelessSettings {
  readonly image: ImageSpec;
  /** Replicas; the autoscaler's floor when it autoscales. */
  readonly replicas: number;
  readonly resources: ResourcesSpec;
  /** The autoscaler's ceiling, for a component that autoscales. */
  readonly maxReplicas?: number;
}

/** Props of {@link statelessComponent}: a declaration whose `build` and `settings` are made for it; `X` its own settings. */
export interface StatelessComponentProps<M, X extends object = Record<never, never>> extends Omit<ComponentDeclaration<StatelessSettings & X, M>, 'build' | 'settings'> {
  /** What environments need not state: replica count (and ceiling, when it autoscales) and resources. */
  readonly defaults: { readonly replicas: number; readonly maxReplicas?: number; readonly resources: ResourcesSpec };
  /**
   * The component's own settings beyond its image, replicas and resources, by name: the JSON
   * Schema of each (a `default` makes it optional in the environments). They are read in
   * `container.env` from `ctx.settings`, and each is a value of the component's Helm chart, so
   * that every environment's overlay renders its own (a value read from the stack's model
   * instead would be one environment's in every chart render).
   * @default - none
   */
  readonly ownSettings?: { readonly [K in keyof X]-?: object };
  /** What the autoscaler tracks; a component without it never autoscales. @default - no autoscaler */
  readonly autoscaling?: { readonly metrics: readonly ScalingMetric[] };
  /** The main container, beyond its image, ports and resources. */
  readonly container: {
    readonly health: HealthCheck;
    /** @default - none */
    readonly env?: readonly IEnvVar[] | ((ctx: ComponentContext<StatelessSettings & X, M>) => readonly IEnvVar[]);
    /** @default - none */
    readonly mounts?: readonly VolumeMount[];
    /** Paths the container writes to, each an emptyDir. @default - none */
    readonly writablePaths?: readonly string[];
  };
  /** Volumes the container mounts. @default - none */
  readonly volumes?: readonly IVolume[];
}

/**
 * The settings schema of a stateless component: an image to state, replicas and resources
 * defaulted, `maxReplicas` with them when it autoscales.
 */
export function statelessSettingsSchema(props: Pick<StatelessComponentProps<unknown>, 'defaults' | 'autoscaling'> & { readonly ownSettings?: Readonly<Record<string, object>> }): object {
  const { defaults } = props;
  const own = props.ownSettings ?? {};
  const reserved = Object.keys(own).filter((k) => ['image', 'replicas', 'resources', 'maxReplicas'].includes(k));
  if (reserved.length > 0) throw new Error(`ownSettings: ${reserved.join(', ')} are every stateless component's settings; name the component's own otherwise`);
  return {
    type: 'object',
    additionalProperties: false,
    required: ['image', ...Object.entries(own).filter(([, schema]) => !('default' in schema)).map(([k]) => k)],
    properties: {
      image: valueSchemas.image,
      replicas: { ...valueSchemas.replicas, default: defaults.replicas },
      resources: { ...valueSchemas.resources, default: defaults.resources },
      ...(props.autoscaling ? { maxReplicas: { ...valueSchemas.replicas, minimum: 1, default: defaults.maxReplicas ?? defaults.replicas } } : {}),
      ...own,
    },
  };
}

/** Where a port's mesh certificate is mounted: `/etc/mesh-tls/<port>`. */
export const MESH_TLS_DIR = '/etc/mesh-tls';

/** The prefix of the variables naming a port's certificate files: `GRPC_API` for `grpc-api`. */
const envPrefix = (port: string): string => port.toUpperCase().replace(/[^A-Z0-9]/g, '_');

/**
 * A stateless component: a hardened Deployment with its Service and ServiceAccount, an autoscaler
 * (when it declares what to track and the environment autoscales) and a PodDisruptionBudget. The
 * Service publishes every port but a metrics-only one. Where the environment has a mesh
 * (`ctx.mesh`), each port declaring `meshTls` serves a server certificate of it, mounted at
 * `/etc/mesh-tls/<port>/` and named to the container by `<PORT>_TLS_CERT_FILE`,
 * `<PORT>_TLS_KEY_FILE` and `<PORT>_TLS_CLIENT_CA_FILE` (the CA its clients' certificates must
 * chain to).
 */
export function statelessComponent<M, X extends object = Record<never, never>>(props: StatelessComponentProps<M, X>): ComponentDeclaration<StatelessSettings & X, M> {
  const { defaults, autoscaling, container, volumes, ownSettings, ...declaration } = props;
  const metricsOnly = props.metrics && Object.keys(props.ports).length > 1 ? props.metrics.port : undefined;
  const servicePorts = Object.keys(props.ports).filter((p) => p !== metricsOnly);
  return {
    ...declaration,
    settings: statelessSettingsSchema({ defaults, ...(autoscaling ? { autoscaling } : {}), ...(ownSettings ? { ownSettings } : {}) }),
    build: (ctx) => {
      const { settings } = ctx;
      const ports = Object.entries(props.ports).map(([name, p]) => ({ name, port: p.port, ...(p.protocol ? { protocol: p.protocol } : {}) }));
      const mesh = ctx.mesh;
      const certificates: { port: string; mounted: MountedCertificate }[] = mesh
        ? Object.entries(props.ports)
            .filter(([, p]) => p.meshTls)
            .map(([port]) => ({
              port,
              mounted: mesh.server(ctx.scope, { name: `${props.name}-${port}-tls`, labels: ctx.labels, service: props.name, volume: `${port}-tls`, dir: `${MESH_TLS_DIR}/${port}` }),
            }))
        : [];
      const env = [
        ...(container.env ? (typeof container.env === 'function' ? container.env(ctx) : container.env) : []),
        ...certificates.flatMap(({ port, mounted }) => [
          { name: `${envPrefix(port)}_TLS_CERT_FILE`, value: mounted.certFile },
          { name: `${envPrefix(port)}_TLS_KEY_FILE`, value: mounted.keyFile },
          { name: `${envPrefix(port)}_TLS_CLIENT_CA_FILE`, value: mounted.caFile },
        ]),
      ];
      const mounts = [...(container.mounts ?? []), ...certificates.map((c) => c.mounted.mount)];
      const podVolumes = [...(volumes ?? []), ...certificates.map((c) => c.mounted.volume)];
      const workload = new StatelessService(ctx.scope, 'Workload', {
        name: props.name,
        labels: ctx.labels,
        replicas: settings.replicas,
        container: {
          image: ImageReference.of(settings.image),
          ports,
          resources: settings.resources,
          health: container.health,
          ...(env.length > 0 ? { env } : {}),
          ...(mounts.length > 0 ? { mounts } : {}),
          ...(container.writablePaths ? { writablePaths: container.writablePaths } : {}),
        },
        ...(podVolumes.length > 0 ? { volumes: podVolumes } : {}),
        ...(metricsOnly ? { servicePorts: ports.filter((p) => p.name !== metricsOnly).map((p) => ({ ...p, targetPort: p.port })) } : {}),
      });
      const plan = ctx.features.delivery;
      const rollout =
        plan && (props.delivery ?? 'canary') === 'canary'
          ? new ProgressiveRollout(ctx.scope, 'Rollout', {
              target: workload,
              strategy: { kind: 'canary', steps: plan.canarySteps },
              analysis: plan.analysis,
            })
          : undefined;
      if (autoscaling && ctx.features.autoscaling) {
        new HorizontalAutoscaler(ctx.scope, 'Autoscaler', {
          target: rollout ?? workload,
          minReplicas: settings.replicas,
          maxReplicas: settings.maxReplicas ?? settings.replicas,
          metrics: autoscaling.metrics,
        });
      }
      if (ctx.features.podDisruptionBudget) new DisruptionBudget(ctx.scope, 'Budget', { target: workload });
      return { workload, servicePorts };
    },
  };
}
