import { loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { runDiff, type Io } from '../../src/cli/index.ts';
import { readCommittedOutputs } from '../../src/diff/index.ts';
import { loadEnvironment } from '../../src/stacks/crumpet/index.ts';
import { PROJECT_ROOT } from '../_helpers.ts';

/** Runs the diff command in-process, capturing what it prints. */
async function diff(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l) };
  const code = await runDiff(['--out', PROJECT_ROOT, ...argv], io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('diff CLI | against the committed outputs', () => {
  it('GIVEN prod watcher replicas lowered by one THEN exactly spec.replicas of the objects carrying them is reported, and the risk', async () => {
    const current = (await loadEnvironment('prod')).components.watcher.replicas;
    const lowered = current - 1;
    // The objects that carry the model's replicas, read from the committed manifests.
    const committed = readCommittedOutputs(PROJECT_ROOT, 'HEAD', ['dist']);
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
