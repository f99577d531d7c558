import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPromql, type ObservabilityModel } from '../../src/observability/index.ts';
import { crumpetObservability } from '../../src/stacks/crumpet/index.ts';
import { loadEnvironment as loadMirror } from '../../src/stacks/mirror/model/index.ts';
import { mirrorObservability } from '../../src/stacks/mirror/observability.ts';
import { stemedbObservability } from '../../src/stacks/stemedb/monitoring.ts';
import { loadManifests, type KubeObject } from '../_analysis/index.ts';
import { commandProblems, runbookCommands, type RunbookCommand } from '../_analysis/runbook-commands.ts';
import { PROJECT_ROOT } from '../_helpers.ts';

/*
 * Acceptance 6 of issue 15: the runbooks' commands are copy-pasteable for each environment and
 * name only what its output has. Every kubectl command of a shell block names a namespace, and
 * each object (`<kind>/<name>`) or selector it names exists in the dist/ folder of that
 * namespace; a command of the prose written for any environment (`<namespace>`) names objects
 * every environment of its stack has. Every PromQL block parses and reads catalogued metrics,
 * and every panel link names a dashboard uid and panel id of ops/.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */

/** The objects of every dist/ folder, by the namespace its Namespace object names. */
function objectsByNamespace(): Map<string, KubeObject[]> {
  const root = join(PROJECT_ROOT, 'dist');
  const dirs = [...new Set(readdirSync(root, { recursive: true, withFileTypes: true }).filter((d) => d.isFile() && d.name.endsWith('.k8s.yaml')).map((d) => d.parentPath))];
  const out = new Map<string, KubeObject[]>();
  for (const dir of dirs) {
    const objects = readdirSync(dir).filter((f) => f.endsWith('.k8s.yaml')).flatMap((f) => loadManifests(readFileSync(join(dir, f), 'utf8')));
    const ns = objects.find((o) => o.kind === 'Namespace')?.metadata?.name;
    if (ns) out.set(ns, objects);
  }
  return out;
}

/** Every runbook of ops/, by path, grouped by its stack's ops root. */
function runbooks(): Map<string, Map<string, string>> {
  const ops = join(PROJECT_ROOT, 'ops');
  const files = readdirSync(ops, { recursive: true, withFileTypes: true }).filter((d) => d.isFile() && d.name.endsWith('.md') && d.parentPath.endsWith('runbooks'));
  const out = new Map<string, Map<string, string>>();
  for (const f of files) {
    const root = relative(PROJECT_ROOT, dirname(f.parentPath));
    const stack = out.get(root) ?? new Map<string, string>();
    stack.set(relative(PROJECT_ROOT, join(f.parentPath, f.name)), readFileSync(join(f.parentPath, f.name), 'utf8'));
    out.set(root, stack);
  }
  return out;
}

/** Every panel id of every dashboard of ops/, by uid. */
function dashboardPanels(): Map<string, Set<number>> {
  const ops = join(PROJECT_ROOT, 'ops');
  const out = new Map<string, Set<number>>();
  const flat = (ps: any[]): any[] => ps.flatMap((p) => [p, ...flat(p.panels ?? [])]);
  for (const d of readdirSync(ops, { recursive: true, withFileTypes: true }).filter((x) => x.isFile() && x.name.endsWith('.json') && x.parentPath.endsWith('grafana'))) {
    const json = JSON.parse(readFileSync(join(d.parentPath, d.name), 'utf8'));
    out.set(json.uid, new Set(flat(json.panels ?? []).map((p) => p.id)));
  }
  return out;
}

describe('Runbook commands |', () => {
  const byNamespace = objectsByNamespace();

  it('GIVEN a command naming an object or a selector the output lacks THEN each is reported, naming command, object and namespace', () => {
    const objects = byNamespace.get('crumpet')!;
    const cmd = (line: string): RunbookCommand => ({ line, namespace: 'crumpet', source: 'block' });
    expect(commandProblems(cmd('kubectl -n crumpet get prometheusrule/crumpet-rules -o yaml'), 'crumpet', objects)).toEqual([]);
    expect(commandProblems(cmd('kubectl -n crumpet rollout restart deployment/pin-orchestratr'), 'crumpet', objects)).toEqual([
      '"kubectl -n crumpet rollout restart deployment/pin-orchestratr": no deployment/pin-orchestratr in namespace crumpet',
    ]);
    expect(commandProblems(cmd('kubectl -n crumpet logs -l app.kubernetes.io/name=search-api'), 'crumpet', objects)).toEqual([
      '"kubectl -n crumpet logs -l app.kubernetes.io/name=search-api": selector app.kubernetes.io/name=search-api selects no pod in namespace crumpet',
    ]);
  });

  it('GIVEN every runbook of every stack THEN each shell command names a namespace of an environment and only objects of that environment\'s output', () => {
    const stacks = runbooks();
    expect([...stacks.keys()]).toEqual(expect.arrayContaining(['ops', 'ops/stemedb', 'ops/mirror']));
    let blocks = 0;
    let named = 0;
    for (const [root, files] of stacks) {
      const commands = [...files].flatMap(([path, md]) => runbookCommands(md).map((c) => ({ path, c })));
      const envs = [...new Set(commands.filter(({ c }) => c.source === 'block').map(({ c }) => c.namespace ?? ''))].sort();
      expect(envs.length, `${root}: environments with commands`).toBeGreaterThan(0);
      const problems: string[] = [];
      for (const { path, c } of commands) {
        if (c.source === 'block') {
          blocks++;
          const objects = c.namespace ? byNamespace.get(c.namespace) : undefined;
          if (!objects) problems.push(`${path}: "${c.line}" names no namespace of a dist/ folder`);
          else problems.push(...commandProblems(c, c.namespace!, objects).map((p) => `${path}: ${p}`));
        } else if (c.namespace === '<namespace>') {
          // Written for any environment: it must hold in each of the stack's.
          for (const ns of envs) problems.push(...commandProblems(c, ns, byNamespace.get(ns) ?? []).map((p) => `${path}: ${p}`));
        }
        named += c.line.split(/\s+/).filter((t) => /^(--[a-z-]+=)?[a-z]+\/[a-z0-9]/.test(t)).length;
      }
      expect(problems, root).toEqual([]);
      console.log(`${root}: ${files.size} runbooks, environments ${envs.join(', ')}`);
    }
    console.log(`${blocks} kubectl commands in shell blocks, ${named} <kind>/<name> references, all in the outputs`);
    expect(blocks).toBeGreaterThan(0);
  });

  it('GIVEN every runbook THEN every PromQL block parses and reads catalogued metrics, and every panel link names a dashboard uid and panel id of ops/', async () => {
    const models: ObservabilityModel[] = [crumpetObservability(), stemedbObservability(), mirrorObservability(await loadMirror('prod'))];
    for (const m of models) expect(m.check()).toEqual([]);
    const panels = dashboardPanels();
    let queries = 0;
    let links = 0;
    for (const [root, files] of runbooks()) {
      const model = models.find((m) => m.opsRoot === root)!;
      for (const [path, md] of files) {
        for (const q of md.matchAll(/```promql\n([\s\S]*?)\n```/g)) {
          queries++;
          expect(checkPromql(q[1]!, model.catalogue), `${path}: ${q[1]}`).toEqual([]);
        }
        for (const l of md.matchAll(/\]\(([^)]+\.json)\) in Grafana: `\/d\/([\w-]+)\?viewPanel=(\d+)`/g)) {
          links++;
          expect(existsSync(join(PROJECT_ROOT, dirname(path), l[1]!)), `${path}: ${l[1]}`).toBe(true);
          expect(panels.get(l[2]!)?.has(Number(l[3])), `${path}: dashboard ${l[2]} panel ${l[3]}`).toBe(true);
        }
      }
    }
    console.log(`${queries} PromQL blocks parsed, ${links} panel links resolved`);
    expect(queries).toBeGreaterThan(0);
    expect(links).toBeGreaterThan(0);
  });
});
