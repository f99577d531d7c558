import { Construct } from 'constructs';
import yaml from 'js-yaml';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { PlatformConfig } from './model/index.ts';
import { ImageReference, type AppLabels, type ContainerSpec } from '../../lib/index.ts';
import { promtailStages, tailSamplingProcessor, type ClientIpPolicy } from '../../observability/index.ts';
import { combinedChecksum, configFiles } from '../../lib/index.ts';
import { LOG_FORMAT } from './observability/index.ts';
import { PORTS } from './ports.ts';

/** Props of {@link TelemetrySidecars}. */
export interface TelemetrySidecarsProps {
  /** Name of the component the sidecars run beside; prefixes the ConfigMap names. */
  readonly component: string;
  readonly labels: AppLabels;
  readonly config: PlatformConfig;
  /** Directory the main container writes its JSON log files to. */
  readonly logDir: string;
  /**
   * What Promtail does with client addresses in log lines (spec section 15).
   * @default 'redact'
   */
  readonly clientIp?: ClientIpPolicy;
}

/** Volume shared by the main container (writes logs) and Promtail (reads them). */
export const LOG_VOLUME = 'logs';

/**
 * The OpenTelemetry Collector and Promtail sidecars of a component (spec section 2): the service
 * sends OTLP to the collector on localhost, which tail-samples the traces (spec section 7.3) and
 * forwards them to Tempo; Promtail redacts client addresses from the JSON log files and ships
 * them to Loki. Each gets a ConfigMap; `checksum` changes when either config does.
 */
export class TelemetrySidecars extends Construct {
  public readonly containers: readonly ContainerSpec[];
  public readonly volumes: readonly IVolume[];
  public readonly checksum: string;
  public readonly clientIp: ClientIpPolicy;

  public constructor(scope: Construct, id: string, props: TelemetrySidecarsProps) {
    super(scope, id);
    const { config, component, labels } = props;
    this.clientIp = props.clientIp ?? 'redact';
    const monitoring = config.network.monitoringNamespace;
    const traces = `${config.telemetry.traces.service}.${monitoring}.svc:${config.telemetry.traces.port}`;
    const logs = `http://${config.telemetry.logs.service}.${monitoring}.svc:${config.telemetry.logs.port}/loki/api/v1/push`;

    const otel = configFiles(this, 'OtelConfig', `${component}-otel-collector`, labels, {
      'config.yaml': yaml.dump(
        {
          receivers: { otlp: { protocols: { grpc: { endpoint: `127.0.0.1:${PORTS.otlp.port}` } } } },
          processors: {
            batch: {},
            memory_limiter: { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 20 },
            tail_sampling: tailSamplingProcessor(),
          },
          exporters: { otlp: { endpoint: traces, tls: { insecure: true } } },
          service: {
            pipelines: { traces: { receivers: ['otlp'], processors: ['memory_limiter', 'tail_sampling', 'batch'], exporters: ['otlp'] } },
            telemetry: { metrics: { level: 'basic' } },
          },
        },
        { sortKeys: true, lineWidth: -1 },
      ),
    });
    const promtail = configFiles(this, 'PromtailConfig', `${component}-promtail`, labels, {
      'promtail.yaml': yaml.dump(
        {
          server: { http_listen_port: 0, grpc_listen_port: 0 },
          positions: { filename: '/tmp/positions.yaml' },
          clients: [{ url: logs }],
          scrape_configs: [
            {
              job_name: component,
              static_configs: [{ targets: ['localhost'], labels: { job: component, namespace: config.namespace, __path__: `${props.logDir}/*.log` } }],
              pipeline_stages: promtailStages(this.clientIp, LOG_FORMAT),
            },
          ],
        },
        { sortKeys: true, lineWidth: -1 },
      ),
    });
    this.checksum = combinedChecksum({ [otel.name]: otel.checksum, [promtail.name]: promtail.checksum });
    this.volumes = [
      { name: 'otel-collector-config', configMap: { name: otel.name } },
      { name: 'promtail-config', configMap: { name: promtail.name } },
      { name: LOG_VOLUME, emptyDir: { sizeLimit: '1Gi' } },
    ];
    this.containers = [
      {
        name: 'otel-collector',
        image: ImageReference.of(config.components.otelCollector.image),
        args: ['--config=/etc/otelcol/config.yaml'],
        resources: config.components.otelCollector.resources,
        mounts: [{ volume: 'otel-collector-config', path: '/etc/otelcol' }],
      },
      {
        name: 'promtail',
        image: ImageReference.of(config.components.promtail.image),
        args: ['-config.file=/etc/promtail/promtail.yaml'],
        resources: config.components.promtail.resources,
        mounts: [
          { volume: 'promtail-config', path: '/etc/promtail' },
          { volume: LOG_VOLUME, path: props.logDir },
        ],
      },
    ];
  }
}
