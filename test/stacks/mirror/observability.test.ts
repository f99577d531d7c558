import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { freshnessAlert, mirrorObservability, SYNC_LAG_QUERY } from '../../../src/stacks/mirror/index.ts';
import { promtoolFailures, requireTool } from '../../_analysis/promtool.ts';
import { ENVIRONMENTS, loadEnvironment } from './_mirror.ts';
import { writtenTree } from '../../_helpers.ts';

/*
 * The mirror's observability (ops/mirror/): the model checks clean, the freshness alert's bound is
 * the model's, and the real promtool runs the generated tests (firing past the bound, silent just
 * before it) and a test written here at one minute either side of it.
 */

describe('Mirror observability |', async () => {
  const config = await loadEnvironment('prod');
  const model = mirrorObservability(config);
  const root = writtenTree('mirror-ops', model.files());

  it('GIVEN the model THEN it checks clean: every expression parses and reads catalogued metrics, every alert has its runbook', () => {
    expect(model.check()).toEqual([]);
    expect(model.filePaths()).toEqual(expect.arrayContaining(['ops/mirror/prometheus/alerts.yaml', 'ops/mirror/runbooks/mirror-bundles-stale.md', 'ops/mirror/grafana/mirror-overview.json']));
  });

  it.each(ENVIRONMENTS)('GIVEN %s THEN the freshness alert fires above the model\'s sync.maxLagMinutes', async (env) => {
    const c = await loadEnvironment(env);
    const alert = freshnessAlert(c);
    expect(alert.threshold).toBe(c.sync.maxLagMinutes * 60);
    expect(alert.op).toBe('>');
    expect(model.rules.alerts.find((a) => a.rule.alert === 'MirrorBundlesStale')!.rule.expr).toBe(`${SYNC_LAG_QUERY} > ${c.sync.maxLagMinutes * 60}`);
  });

  it('GIVEN the rule file THEN promtool check rules accepts it', () => {
    requireTool('promtool');
    const out = execFileSync('promtool', ['check', 'rules', join(root, 'ops/mirror/prometheus/alerts.yaml')], { encoding: 'utf8' });
    expect(out).toMatch(/SUCCESS/);
  });

  it('GIVEN the generated promtool tests THEN every alert fires past its threshold and stays silent just before it', async () => {
    expect(await promtoolFailures(model, join(root, 'ops/mirror/prometheus/tests'))).toEqual([]);
  });

  it('GIVEN a sync last successful one minute past the bound THEN it fires; one minute before the bound THEN it stays silent', () => {
    requireTool('promtool');
    const bound = config.sync.maxLagMinutes * 60;
    const evalMinutes = 60;
    const series = (lagSeconds: number) => [{ series: 'kube_cronjob_status_last_successful_time{namespace="stellaops-mirror",cronjob="mirror-sync"}', values: `${evalMinutes * 60 - lagSeconds}+0x${evalMinutes + 5}` }];
    const rule = model.rules.alerts.find((a) => a.rule.alert === 'MirrorBundlesStale')!.rule;
    const labels = { ...rule.labels, namespace: 'stellaops-mirror', cronjob: 'mirror-sync' };
    const annotations = Object.fromEntries(Object.entries(rule.annotations).map(([k, v]) => [k, v.replace('{{ $labels.namespace }}', labels.namespace)]));
    const test = (name: string, lag: number, fires: boolean) => ({
      name,
      interval: '1m',
      input_series: series(lag),
      alert_rule_test: [
        {
          alertname: 'MirrorBundlesStale',
          eval_time: `${evalMinutes}m`,
          exp_alerts: fires ? [{ exp_labels: labels, exp_annotations: annotations }] : [],
        },
      ],
    });
    const file = join(root, 'ops/mirror/prometheus/tests/freshness-either-side.yaml');
    writeFileSync(
      file,
      yaml.dump({ rule_files: ['../alerts.yaml'], evaluation_interval: '1m', tests: [test('just past the bound', bound + 60, true), test('just before the bound', bound - 60, false)] }),
    );
    const out = execFileSync('promtool', ['test', 'rules', 'freshness-either-side.yaml'], { cwd: dirname(file), encoding: 'utf8' });
    expect(out).toMatch(/SUCCESS/);
  });
});
