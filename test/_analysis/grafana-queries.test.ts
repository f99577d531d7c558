import { describe, expect, it } from 'vitest';
import { dashboardQueries, type GrafanaEnvironment } from './grafana-queries.ts';

const NOW = 1_800_000_000;

/** Prometheus as the variables see it: two namespaces, `prod` the environment's. */
const ENV: GrafanaEnvironment = {
  now: NOW,
  scrapeInterval: 30,
  preferred: { namespace: 'prod' },
  labelValues: async (label, match) => (label === 'namespace' && match.join() === 'up' ? ['dev', 'prod'] : label === 'job' && match.join() === 'up{namespace="prod"}' ? ['prod/api'] : []),
  instantQuery: async () => [],
};

const dashboard = (expr: string, templating: object[] = [], panel: object = {}): object => ({
  title: 'Shop',
  time: { from: 'now-6h', to: 'now' },
  templating: { list: [{ name: 'datasource', type: 'datasource', query: 'prometheus' }, ...templating] },
  panels: [{ title: 'Rate', gridPos: { w: 12 }, targets: [{ refId: 'A', expr, range: true }], ...panel }],
});

describe('dashboardQueries |', () => {
  it('GIVEN $__rate_interval and $__interval THEN four scrape intervals and the rounded range per point, never below the scrape interval', async () => {
    const { queries, problems } = await dashboardQueries(dashboard('rate(x[$__rate_interval]) + y[$__interval]'), ENV);
    expect(problems).toEqual([]);
    expect(queries).toEqual([{ dashboard: 'Shop', panel: 'Rate', refId: 'A', source: 'rate(x[$__rate_interval]) + y[$__interval]', expr: 'rate(x[2m]) + y[30s]', instant: false, start: NOW - 21600, end: NOW, step: 30 }]);
  });

  it('GIVEN chained query variables THEN the environment namespace is chosen and feeds the next variable', async () => {
    const variables = [
      { name: 'namespace', type: 'query', query: { query: 'label_values(up, namespace)' }, current: { value: 'dev' } },
      { name: 'job', type: 'query', query: 'label_values(up{namespace="$namespace"}, job)' },
    ];
    const { queries } = await dashboardQueries(dashboard('sum(x{namespace="$namespace", job=~"${job:regex}"})', variables), ENV);
    expect(queries[0]!.expr).toBe('sum(x{namespace="prod", job=~"prod/api"})');
  });

  it('GIVEN a variable the dashboard does not define THEN it is reported, naming the panel', async () => {
    const { problems } = await dashboardQueries(dashboard('x{cluster="$cluster"}'), ENV);
    expect(problems).toEqual(['panel "Rate" target A: unknown variables $cluster']);
  });

  it('GIVEN collapsed rows, hidden targets and other data sources THEN only the Prometheus targets Grafana runs', async () => {
    const d = {
      title: 'Shop',
      panels: [
        { type: 'row', title: 'Row', panels: [{ title: 'Inner', targets: [{ refId: 'A', expr: 'a' }, { refId: 'B', expr: 'b', hide: true }] }] },
        { title: 'Logs', datasource: { type: 'loki' }, targets: [{ refId: 'A', expr: '{app="x"}' }] },
      ],
    };
    expect((await dashboardQueries(d, ENV)).queries.map((q) => `${q.panel} ${q.refId} ${q.expr}`)).toEqual(['Inner A a']);
  });
});
