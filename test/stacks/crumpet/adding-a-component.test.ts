import { execFile, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { listEnvironments } from '../../../src/config/index.ts';
import { CRUMPET_MODEL, loadEnvironment } from '../../../src/stacks/crumpet/index.ts';
import { FlowModel, loadManifests, type ExternalEndpoint, type KubeObject } from '../../_analysis/index.ts';
import { requireTool } from '../../_analysis/promtool.ts';
import { PROJECT_ROOT, tempDir } from '../../_helpers.ts';
import { typeCheckChange } from '../../_type-check.ts';
import { HELMS } from '../../helm/_helm.ts';

/*
 * README "Adding a component", proved: a copy of the project gains one file (the fixture
 * search-api.ts, a stateless service with an edge route, metrics, an alert with its runbook and
 * promtool test input, a dashboard and a chart) and one line per environment, and nothing else;
 * its synth derives every output of it.
 */

const FIXTURE = join(PROJECT_ROOT, 'test/stacks/crumpet/fixtures/search-api.ts');
const DIGEST = `sha256:${'5'.repeat(64)}`;

/** The one line an environment gains: the component's image (prod pins digests). */
const environmentLine = (env: string): string =>
  `    searchApi: { image: crumpetImage('search-api'${env === 'prod' ? `, '${DIGEST}'` : ''}) },`;

describe('Adding a component |', () => {
  const copy = tempDir('add-component');
  const out = tempDir('add-component-out');
  const envs = listEnvironments(CRUMPET_MODEL.environmentsDir);
  let synth: { status: number | null; stdout: string; stderr: string };

  beforeAll(async () => {
    for (const d of ['src', 'imports']) cpSync(join(PROJECT_ROOT, d), join(copy, d), { recursive: true });
    cpSync(join(PROJECT_ROOT, 'package.json'), join(copy, 'package.json'));
    symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(copy, 'node_modules'));
    const tsconfig = readFileSync(join(PROJECT_ROOT, 'tsconfig.json'), 'utf8').replace(/"include": \[[^\]]*\]/, '"include": ["src", "imports"]');
    writeFileSync(join(copy, 'tsconfig.json'), tsconfig);
    // The change: one file, one line per environment.
    cpSync(FIXTURE, join(copy, 'src/stacks/crumpet/components/search-api.ts'));
    for (const env of envs) {
      const file = join(copy, 'src/stacks/crumpet/environments', `${env}.ts`);
      const text = readFileSync(file, 'utf8');
      expect(text, `${env}.ts has a components map`).toMatch(/^ {2}components: \{$/m);
      writeFileSync(file, text.replace(/^ {2}components: \{$/m, `  components: {\n${environmentLine(env)}`));
    }
    // Awaited, not synchronous: the worker keeps answering vitest while the copy synthesizes.
    synth = await new Promise((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', 'src/main.ts', '--out', out], { cwd: copy, encoding: 'utf8', maxBuffer: 16 * 2 ** 20 }, (err, stdout, stderr) => {
        resolve({ status: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
      });
    });
  }, 120_000);

  it('GIVEN the fixture THEN it is one file of at most 60 lines, and each environment gains one line', () => {
    expect(readFileSync(FIXTURE, 'utf8').trimEnd().split('\n').length).toBeLessThanOrEqual(60);
    for (const env of envs) expect(environmentLine(env).split('\n')).toHaveLength(1);
  });

  it('GIVEN the change THEN the project still type-checks under strict TypeScript', () => {
    // The files the change touches, and those that import them (the rest is the project's own `tsc --noEmit`).
    const changed = [join(copy, 'src/stacks/crumpet/components/search-api.ts'), ...envs.map((env) => join(copy, 'src/stacks/crumpet/environments', `${env}.ts`))];
    const { diagnostics, checked } = typeCheckChange(copy, changed);
    expect(checked).toEqual(expect.arrayContaining(changed));
    expect(diagnostics).toEqual([]);
  }, 120_000);

  it('GIVEN the change THEN synth succeeds and writes the component\'s file in every environment', async () => {
    expect(synth.status, synth.stderr).toBe(0);
    for (const env of envs) {
      const objects = loadManifests(readFileSync(join(out, 'dist', env, 'search-api.k8s.yaml'), 'utf8'));
      const kinds = objects.map((o) => `${o.kind}/${o.metadata?.name}`).sort();
      // Delivered by a canary where the environment delivers by Argo Rollouts.
      const rollouts = (await loadEnvironment(env)).features.rollouts;
      expect(kinds).toEqual(
        [
          ...['Deployment', 'HorizontalPodAutoscaler', 'NetworkPolicy', 'PodDisruptionBudget', 'PodMonitor', 'Service', 'ServiceAccount', ...(rollouts ? ['Rollout'] : [])].map((k) => `${k}/search-api`),
          ...(rollouts ? ['AnalysisTemplate/search-api-slo-analysis'] : []),
        ].sort(),
      );
    }
  });

  it('GIVEN its route and its metrics THEN only the edge reaches its API port and Prometheus only its metrics port', () => {
    for (const env of envs) {
      const dir = join(out, 'dist', env);
      const objects: KubeObject[] = readdirSync(dir).filter((f) => f.endsWith('.yaml')).flatMap((f) => loadManifests(readFileSync(join(dir, f), 'utf8')));
      const prometheus: ExternalEndpoint = { namespace: 'monitoring', name: 'prometheus', podLabels: { 'app.kubernetes.io/name': 'prometheus' } };
      const model = new FlowModel(objects, [prometheus]);
      const ns = objects.find((o) => o.kind === 'Namespace')!.metadata!.name!;
      const api = { namespace: ns, name: 'search-api' };
      expect(model.allows({ namespace: ns, name: 'envoy-edge' }, api, 8090), model.explain({ namespace: ns, name: 'envoy-edge' }, api, 8090)).toBe(true);
      expect(model.allows({ namespace: 'monitoring', name: 'prometheus' }, api, 9464)).toBe(true);
      expect(model.allows({ namespace: 'monitoring', name: 'prometheus' }, api, 8090)).toBe(false);
      for (const other of ['web', 'watcher', 'pin-orchestrator']) expect(model.allows({ namespace: ns, name: other }, api, 8090), other).toBe(false);
      const envoy = yaml.load(readFileSync(join(out, 'ops/envoy', env, 'envoy.yaml'), 'utf8'));
      expect(JSON.stringify(envoy)).toContain('"name":"search-v2"');
      expect(JSON.stringify(envoy)).toContain(`"address":"search-api.${ns}.svc.cluster.local"`);
    }
  });

  it('GIVEN its alert THEN the rule, its runbook, its dashboard and a promtool test that fires past the threshold and not before exist', () => {
    requireTool('promtool');
    expect(readFileSync(join(out, 'ops/prometheus/alerts.yaml'), 'utf8')).toContain('alert: SearchApiErrors');
    expect(existsSync(join(out, 'ops/runbooks/search-api-errors.md'))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'ops/grafana/crumpet-search-api.json'), 'utf8')).title).toBe('Crumpet / Search API');
    const run = spawnSync('promtool', ['test', 'rules', 'search-api-errors.yaml'], { cwd: join(out, 'ops/prometheus/tests'), encoding: 'utf8' });
    expect(run.status, run.stdout + run.stderr).toBe(0);
  });

  it('GIVEN its chart THEN charts-out has it, the umbrella depends on it, and every Helm lints it strictly', async () => {
    const chart = join(out, 'charts-out/search-api');
    expect(existsSync(join(chart, 'Chart.yaml'))).toBe(true);
    expect(readFileSync(join(out, 'charts-out/crumpet/Chart.yaml'), 'utf8')).toContain('repository: file://../search-api');
    for (const h of HELMS) {
      for (const env of envs) {
        const lint = await h.run('lint', '--strict', chart, '-f', join(chart, `values-${env}.yaml`));
        expect(lint.code, `${h.name}: ${lint.stdout}${lint.stderr}`).toBe(0);
      }
    }
  });
});
