import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiObject } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { runSynth, type Io } from '../../src/cli/index.ts';
import { STANDARD_LABEL_KEYS } from '../../src/lib/index.ts';
import { renderApp, synthesize, SynthError } from '../../src/render/index.ts';
import { STACKS } from '../../src/stacks/index.ts';
import { CrumpetApp, loadEnvironment } from '../../src/stacks/crumpet/index.ts';
import { PROJECT_ROOT, tempDir } from '../_helpers.ts';

/*
 * Object sizes the API server limits: a ConfigMap's data past 1 MiB is refused outright (synth
 * refuses it), and an object past 256 KiB cannot be applied client-side, as `kubectl apply`
 * copies it into an annotation and an object's annotations may total 256 KiB (synth writes it and
 * warns, naming the object and the remedy: a server-side apply, as the Argo CD Applications do).
 */

const labels = Object.fromEntries(STANDARD_LABEL_KEYS.map((k) => [k, 'big']));

async function stagingWith(bytes: number): Promise<CrumpetApp> {
  const app = new CrumpetApp(await loadEnvironment('staging'));
  new ApiObject(app.charts.find((c) => c.node.id === 'web')!, 'Big', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'big', labels },
    data: { 'payload.txt': 'x'.repeat(bytes) },
  });
  return app;
}

describe('Object sizes |', () => {
  it('GIVEN every environment of every stack as committed THEN nothing is too large to apply client-side', async () => {
    const { environments } = await synthesize(STACKS, {});
    expect(environments.length).toBeGreaterThan(0);
    expect(environments.flatMap((e) => e.warnings.map((w) => `[${e.environment}] ${w}`))).toEqual([]);
  });

  it('GIVEN a ConfigMap of 300 KiB THEN it is written, with a warning naming it, its size and the remedy', async () => {
    const rendered = await renderApp(await stagingWith(300 * 1024), 'staging');
    expect(rendered.charts.flatMap((c) => c.objects).some((o) => o.metadata.name === 'big')).toBe(true);
    expect(rendered.warnings).toHaveLength(1);
    expect(rendered.warnings[0]).toMatch(/^ConfigMap\/big is too large for a client-side kubectl apply: .* would make its annotations \d+ bytes, over the API server's 262144; apply it with kubectl apply --server-side$/);
  });

  it('GIVEN a ConfigMap holding over 1 MiB THEN synth refuses it, naming the object and its size', async () => {
    const err = await renderApp(await stagingWith(1024 * 1024), 'staging').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SynthError);
    expect((err as Error).message).toMatch(/^\[staging\] ConfigMap\/big data: holds 1048587 bytes, over the 1048576 the API server admits in one ConfigMap$/m);
  });

  it('GIVEN an environment with 60 CIN languages THEN synth writes it and warns, on stderr, that its Envoy config needs a server-side apply', async () => {
    const envs = tempDir('sizes-envs');
    writeFileSync(
      join(envs, 'staging.ts'),
      [
        `import base from ${JSON.stringify(join(PROJECT_ROOT, 'src/stacks/crumpet/environments/staging.ts'))};`,
        'const codes = Array.from({ length: 26 * 26 }, (_, i) => String.fromCharCode(97 + Math.floor(i / 26), 97 + (i % 26)));',
        "const languages = codes.slice(0, 60).map((code) => ({ code, replicas: 1, storage: '1Gi' }));",
        'export default { ...base, components: { ...base.components, cinNode: { ...base.components.cinNode, languages } } };',
        '',
      ].join('\n'),
    );
    const err: string[] = [];
    const io: Io = { out: () => undefined, err: (l) => err.push(l) };
    expect(await runSynth(['--out', tempDir('sizes-out'), '--stack', 'crumpet', '--env-dir', envs], io)).toBe(0);
    expect(err).toEqual([expect.stringMatching(/^synth: warning: \[staging\] ConfigMap\/envoy-edge-config is too large for a client-side kubectl apply: .*--server-side$/)]);
  });
});
