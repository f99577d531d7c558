import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { CrumpetApp, crumpetObservability, loadEnvironment, LOG_FORMAT } from '../../src/stacks/crumpet/index.ts';
import { promtailStages, RETENTION, type ClientIpPolicy, type PromtailStage } from '../../src/observability/index.ts';
import { renderApp, type KubeObject } from '../../src/render/index.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = KubeObject & Record<string, any>;

/** A sidecar config file of CIN as synthesized for prod. */
async function sidecarConfig(configMap: string, key: string): Promise<any> {
  const rendered = await renderApp(new CrumpetApp(await loadEnvironment('prod', { files: [], sets: [] })), 'prod');
  const cm = rendered.charts.flatMap((c) => c.objects as Obj[]).find((o) => o.kind === 'ConfigMap' && o.metadata.name === configMap)!;
  return yaml.load(cm.data[key]);
}

/**
 * Promtail's replace stage on a log line: every capture group of every match of the (RE2)
 * expression is replaced by the replacement.
 */
function applyReplace(line: string, stage: { expression: string; replace: string }): string {
  const re = new RegExp(stage.expression, 'gd');
  let out = '';
  let last = 0;
  for (const m of line.matchAll(re)) {
    for (const [start, end] of m.indices!.slice(1).filter((i): i is [number, number] => i !== undefined)) {
      out += line.slice(last, start) + stage.replace;
      last = end;
    }
  }
  return out + line.slice(last);
}

function redact(line: string, policy: ClientIpPolicy, stages: PromtailStage[] = promtailStages(policy, LOG_FORMAT)): string {
  return stages.reduce((l, s) => ('replace' in s ? applyReplace(l, s.replace) : l), line);
}

const LINE = '{"level":"info","x-req-id":"r-42","client_ip":"203.0.113.7","path":"/v1/search"}';

describe('Telemetry | Promtail pipeline (spec sections 7.2 and 15)', () => {
  it('GIVEN the synthesized CIN sidecar THEN client IPs are redacted by default before the JSON stage', async () => {
    const config = await sidecarConfig('cin-node-promtail', 'promtail.yaml');
    const stages: PromtailStage[] = config.scrape_configs[0].pipeline_stages;
    expect(Object.keys(stages[0]!)).toEqual(['replace']);
    expect(redact(LINE, 'redact', stages)).toBe('{"level":"info","x-req-id":"r-42","client_ip":"redacted","path":"/v1/search"}');
  });

  it.each([
    ['redact', '{"client_ip": "198.51.100.23"}', '{"client_ip": "redacted"}'],
    ['redact', '{"client_ip":"2001:db8::1"}', '{"client_ip":"redacted"}'],
    ['keep-last-two-octets', LINE, LINE.replace('203.0.113.7', 'x.x.113.7')],
    ['keep-last-two-octets', '{"client_ip":"2001:db8::1","a":1}', '{"client_ip":"redacted","a":1}'],
    ['keep-last-two-octets', '{"msg":"no address here"}', '{"msg":"no address here"}'],
  ] as const)('GIVEN policy %s and %s THEN the line becomes %s', (policy, line, expected) => {
    expect(redact(line, policy)).toBe(expected);
  });

  it('GIVEN the pipeline THEN x-req-id is extracted as structured metadata and only the level is a label', () => {
    const stages = promtailStages('redact', LOG_FORMAT);
    expect(stages).toContainEqual({ json: { expressions: { level: 'level', req_id: '"x-req-id"' } } });
    expect(stages).toContainEqual({ structured_metadata: { req_id: '' } });
    expect(stages.filter((s) => 'labels' in s)).toEqual([{ labels: { level: '' } }]);
  });
});

describe('Telemetry | OpenTelemetry Collector (spec section 7.3)', () => {
  it('GIVEN the synthesized CIN sidecar THEN tail sampling keeps 1% of traces, every error and every trace over 1 s', async () => {
    const config = await sidecarConfig('cin-node-otel-collector', 'config.yaml');
    expect(config.processors.tail_sampling.policies).toEqual([
      { name: 'errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } },
      { name: 'slow-requests', type: 'latency', latency: { threshold_ms: 1000 } },
      { name: 'baseline', type: 'probabilistic', probabilistic: { sampling_percentage: 1 } },
    ]);
    expect(config.service.pipelines.traces.processors).toEqual(['memory_limiter', 'tail_sampling', 'batch']);
  });
});

describe('Telemetry | retention (spec sections 7.2 and 15)', () => {
  const files = crumpetObservability().files();
  const load = (path: string): any => yaml.load(files.get(path)!);

  it('GIVEN the model THEN logs are kept 14 days hot and 90 in all, traces 14 days, metrics 13 months', () => {
    expect(RETENTION.logs.hot.days).toBe(14);
    expect(RETENTION.logs.total.days).toBe(90);
    expect(RETENTION.traces.days).toBe(14);
    // 13 calendar months are at most 397 days and at least 394.
    expect(RETENTION.metrics.oneHour.days).toBe(397);
  });

  it('GIVEN ops/loki THEN the compactor enforces 90 days and the bucket turns cold after 14', () => {
    const loki = load('ops/loki/loki.yaml');
    expect(loki.compactor.retention_enabled).toBe(true);
    expect(loki.limits_config.retention_period).toBe('2160h');
    expect(loki.limits_config.allow_structured_metadata).toBe(true);
    const lifecycle = JSON.parse(files.get('ops/loki/bucket-lifecycle.json')!);
    expect(lifecycle.Rules[0].Transitions).toEqual([{ Days: 14, StorageClass: 'GLACIER_IR' }]);
    expect(lifecycle.Rules[0].Expiration.Days).toBeGreaterThan(90);
  });

  it('GIVEN ops/tempo and ops/prometheus THEN traces are kept 14 days and the 1-hour roll-up 13 months', () => {
    expect(load('ops/tempo/tempo.yaml').compactor.compaction.block_retention).toBe('336h');
    const doc = files.get('ops/prometheus/retention.md')!;
    expect(doc).toContain('--retention.resolution-1h=397d');
    expect(doc).toContain('--retention.resolution-raw=30d');
  });
});
