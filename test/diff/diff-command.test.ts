import { execFile } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { runDiff, type Io } from '../../src/cli/index.ts';
import { parseEnvoy, readCommittedOutputs } from '../../src/diff/index.ts';
import { GENERATED_ROOTS } from '../../src/render/index.ts';
import { loadEnvironment } from '../../src/stacks/crumpet/index.ts';
import { commitAll, PROJECT_ROOT, tempDir } from '../_helpers.ts';

const parseEnvoyUnits = (text: string): string[] => [...parseEnvoy(text).keys()];

/**
 * A git repository whose HEAD holds the project's outputs as they are on disk, committed or not:
 * the diffs below compare a change with what the model synthesizes now (npm run check proves the
 * two equal), so they hold in a working tree whose fresh outputs are not committed yet, such as
 * one a new component was just added to.
 */
const OUTPUTS = ((): string => {
  const repo = tempDir('diff-outputs');
  for (const d of ['dist', ...GENERATED_ROOTS]) cpSync(join(PROJECT_ROOT, d), join(repo, d), { recursive: true });
  commitAll(repo, 'the outputs on disk');
  return repo;
})();

/** Runs the diff command in-process against OUTPUTS, capturing what it prints. */
async function diff(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l) };
  const code = await runDiff(['--out', OUTPUTS, ...argv], io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('diff CLI | against the outputs on disk', () => {
  it('GIVEN prod watcher replicas lowered by one THEN exactly spec.replicas of the objects carrying them is reported, and the risk', async () => {
    const current = (await loadEnvironment('prod')).components.watcher.replicas;
    const lowered = current - 1;
    // The objects that carry the model's replicas, read from the committed manifests.
    const committed = readCommittedOutputs(OUTPUTS, 'HEAD', ['dist']);
    const carriers = [...committed]
      .filter(([path]) => path.startsWith('dist/prod/'))
      .flatMap(([, text]) => loadAll(text) as { kind: string; metadata: { name: string; namespace: string }; spec?: { replicas?: number } }[])
      .filter((o) => o.metadata.name === 'watcher' && o.spec?.replicas === current)
      .map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`);
    expect(carriers.length).toBeGreaterThan(0);

    const result = await diff('--stack', 'crumpet', '--env', 'prod', '--set', `components.watcher.replicas=${lowered}`, '--exit-code');
    expect(result.err).toBe('');
    expect(result.code).toBe(1);
    const changed = result.out.split('\n').filter((l) => /^ {2}(added|removed|changed) /.test(l));
    expect(changed).toEqual(carriers.sort().map((c) => `  changed ${c}`));
    const fields = result.out.split('\n').filter((l) => /^ {12}\S/.test(l));
    expect(fields).toEqual(carriers.map(() => `            spec.replicas: ${current} → ${lowered}`));
    for (const c of carriers) expect(result.out).toContain(`! replicas lowered: dist/prod ${c}: spec.replicas: ${current} → ${lowered}`);
  });

  /** The committed objects of prod, by `Kind/namespace/name`. */
  const committedProd = (): string[] =>
    [...readCommittedOutputs(OUTPUTS, 'HEAD', ['dist'])]
      .filter(([path]) => path.startsWith('dist/prod/'))
      .flatMap(([, text]) => loadAll(text) as { kind: string; metadata: { name: string; namespace?: string } }[])
      .map((o) => `${o.kind}/${o.metadata.namespace ?? '-'}/${o.metadata.name}`);
  const lines = (out: string, change: string, group: string): string[] => {
    const section = out.split('\n\n').find((s) => s.startsWith(`${group}:\n`)) ?? '';
    return section.split('\n').flatMap((l) => {
      const m = /^ {2}(added|removed|changed) +(.*)$/.exec(l);
      return m && m[1] === change ? [m[2]!] : [];
    });
  };

  it('GIVEN a prod CIN language with one replica more THEN exactly one more instance is added (its objects, its flows) and nothing else in dist changes', async () => {
    const { languages } = (await loadEnvironment('prod')).components.cinNode;
    const i = languages.findIndex((l) => l.replicas > 0);
    const { code, replicas } = languages[i]!;
    // The objects of the instance that exists, named for the one that will.
    const last = `cin-node-${code}-${replicas - 1}`;
    const next = `cin-node-${code}-${replicas}`;
    const expected = committedProd()
      .filter((k) => k.split('/')[2] === last || k.split('/')[2]!.startsWith(`${last}-`))
      .map((k) => k.replace(last, next))
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    const result = await diff('--stack', 'crumpet', '--env', 'prod', '--set', `components.cinNode.languages[${i}].replicas=${replicas + 1}`);
    expect(result.err).toBe('');
    const added = lines(result.out, 'added', 'dist/prod');
    expect(added.filter((l) => !l.includes(' -> '))).toEqual(expected);
    expect(lines(result.out, 'changed', 'dist/prod')).toEqual([]);
    expect(lines(result.out, 'removed', 'dist/prod')).toEqual([]);
    // Every flow added has the new instance on one end; none was removed.
    const flows = added.filter((l) => l.includes(' -> '));
    expect(flows.length).toBeGreaterThan(0);
    for (const f of flows) expect(f).toMatch(new RegExp(`/${next} `));
  });

  it('GIVEN a CIN language added to prod THEN its objects, its Envoy routes and its flows are reported added, and its flows are risks', async () => {
    const { languages } = (await loadEnvironment('prod')).components.cinNode;
    const template = languages[languages.length - 1]!;
    const code = 'zz';
    const result = await diff(
      '--stack', 'crumpet', '--env', 'prod',
      '--set', `components.cinNode.languages[${languages.length}].code=${code},components.cinNode.languages[${languages.length}].replicas=${template.replicas},components.cinNode.languages[${languages.length}].storage=${template.storage}`,
    );
    expect(result.err).toBe('');
    // Objects: those of the template language, renamed.
    const objects = committedProd().filter((k) => k.includes(`cin-node-${template.code}`)).map((k) => k.replaceAll(`cin-node-${template.code}`, `cin-node-${code}`)).sort();
    expect(lines(result.out, 'added', 'dist/prod').filter((l) => !l.includes(' -> '))).toEqual(objects);
    // Routes: every route of the template language has a twin for the new one, in every listener.
    const envoy = readCommittedOutputs(OUTPUTS, 'HEAD', ['ops']).get('ops/envoy/prod/envoy.yaml')!;
    const templateRoutes = parseEnvoyUnits(envoy).filter((u) => u.startsWith('route:') && u.endsWith(`-${template.code}`));
    expect(templateRoutes.length).toBeGreaterThan(0);
    const addedRoutes = lines(result.out, 'added', 'ops/envoy/prod/envoy.yaml').filter((u) => u.startsWith('route:'));
    expect(addedRoutes).toEqual(templateRoutes.map((r) => r.replace(new RegExp(`-${template.code}$`), `-${code}`)).sort());
    // Flows: each instance of the new language is reachable exactly as the template's instances are.
    const flows = lines(result.out, 'added', 'dist/prod').filter((l) => l.includes(' -> '));
    const into = (instance: string) => flows.filter((f) => f.includes(`-> ${instance} `) || f.includes(`/${instance} -> `)).length;
    expect(into(`crumpet/cin-node-${code}-0`)).toBeGreaterThan(0);
    for (let r = 1; r < template.replicas; r++) expect(into(`crumpet/cin-node-${code}-${r}`)).toBe(into(`crumpet/cin-node-${code}-0`));
    for (const f of flows) expect(result.out).toContain(`! network flow opened: dist/prod ${f}: now allowed`);
  });

  it('GIVEN no change WHEN --exit-code THEN it exits 0 and says so; the markdown is the same twice', async () => {
    const plain = await diff('--stack', 'crumpet', '--env', 'staging', '--exit-code');
    expect(plain).toEqual({ code: 0, out: 'diff: no differences from HEAD', err: '' });
    const args = ['--stack', 'crumpet', '--env', 'prod', '--set', 'components.watcher.image.tag=v9', '--markdown'];
    const first = await diff(...args);
    expect(first.out).toMatch(/^## Synth diff against `HEAD`\n\n0 added, 0 removed, \d+ changed\.\n\n### Risks\n\n- \*\*image changed\*\*/);
    expect((await diff(...args)).out).toBe(first.out);
  });

  it('GIVEN a ref git does not know THEN one line and exit 2', async () => {
    const result = await diff('--base', 'no-such-ref-13', '--stack', 'crumpet', '--env', 'prod');
    expect(result.code).toBe(2);
    expect(result.err.split('\n')).toHaveLength(1);
    expect(result.err).toMatch(/^diff: unknown git ref "no-such-ref-13"/);
  });
});

describe('diff CLI | README', () => {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Reviewing a change'), readme.indexOf('## Adding an environment'));

  it('GIVEN the console example THEN it is what the command prints', async () => {
    const m = /```console\n\$ npm run diff -- (.*)\n([\s\S]*?)\n```/.exec(section);
    expect(m, 'a console example').not.toBeNull();
    const result = await diff(...m![1]!.split(' '));
    expect(result.out).toBe(m![2]);
  });

  it('GIVEN the markdown example THEN it is what the command prints for the change it names', async () => {
    const set = /--set '([^']+)'`\) reads/.exec(section);
    const block = /````markdown\n([\s\S]*?)\n````/.exec(section);
    expect(set && block, 'a markdown example and the --set it comes from').toBeTruthy();
    const result = await diff('--stack', 'crumpet', '--env', 'prod', '--set', set![1]!, '--markdown');
    expect(result.out).toBe(block![1]);
  });
});

describe('diff CLI | as a process', () => {
  it('GIVEN another time zone and locale THEN the markdown is byte-identical to this process\'s', async () => {
    const args = ['--stack', 'crumpet', '--env', 'prod', '--set', 'components.watcher.replicas=1', '--markdown'];
    const here = (await diff(...args)).out;
    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'diff', '--', '--out', OUTPUTS, ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, TZ: 'Pacific/Chatham', LC_ALL: 'tr_TR.UTF-8', LANG: 'tr_TR.UTF-8' },
    });
    expect(here).toMatch(/^## Synth diff against `HEAD`/);
    expect(stdout).toBe(`${here}\n`);
  });
});
