import { ApiObject } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ENFORCE_LABEL } from '../../src/analysis/pod-security.ts';
import { STANDARD_LABEL_KEYS } from '../../src/lib/index.ts';
import { renderApp, SynthError } from '../../src/render/index.ts';
import { CrumpetApp, loadEnvironment } from '../../src/stacks/crumpet/index.ts';

/*
 * Synth refuses a pod template that breaks the Pod Security level its namespace enforces: the
 * workload would apply, and admission would refuse every pod it makes.
 */

const labels = Object.fromEntries(STANDARD_LABEL_KEYS.map((k) => [k, 'debug']));

/** A Deployment of `namespace` whose one container asks for a privileged, root pod. */
function privileged(name: string, namespace: string): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': 'debug' } },
      template: { metadata: { labels }, spec: { containers: [{ name: 'shell', image: 'busybox:1.36', securityContext: { privileged: true } }] } },
    },
  };
}

async function render(namespace: (own: string) => string): Promise<unknown> {
  const config = await loadEnvironment('staging');
  const app = new CrumpetApp(config);
  new ApiObject(app.charts.find((c) => c.node.id === 'web')!, 'Debug', privileged('debug', namespace(config.namespace)) as never);
  return renderApp(app, 'staging').catch((e: unknown) => e);
}

describe('Pod Security at synth |', () => {
  it("GIVEN a privileged pod in the environment's namespace, which enforces restricted THEN synth fails naming the object, the field and the control", async () => {
    const config = await loadEnvironment('staging');
    const app = new CrumpetApp(config);
    const namespace = app.charts.flatMap((c) => c.toJson() as { kind: string; metadata: { name: string; labels?: Record<string, string> } }[]).find((o) => o.kind === 'Namespace' && o.metadata.name === config.namespace);
    expect(namespace?.metadata.labels?.[ENFORCE_LABEL]).toBe('restricted');
    const err = await render((own) => own);
    expect(err).toBeInstanceOf(SynthError);
    const lines = (err as Error).message.split('\n').filter((l) => l.includes('Deployment/debug'));
    expect(lines).toContain(
      `[staging] Deployment/debug spec.template.spec.containers[0].securityContext.privileged: the namespace ${config.namespace} enforces Pod Security restricted, which refuses it (baseline/privileged): privileged containers are forbidden; allowed: unset or false, got true`,
    );
    // Every control it breaks is named: privilege escalation, root, seccomp, capabilities.
    expect(lines.map((l) => /\((\w+\/[\w-]+)\)/.exec(l)?.[1]).sort()).toEqual([
      'baseline/privileged',
      'restricted/capabilities',
      'restricted/privilege-escalation',
      'restricted/run-as-non-root',
      'restricted/seccomp',
    ]);
    expect(lines.every((l) => l.includes('enforces Pod Security restricted'))).toBe(true);
  });

  it('GIVEN the same pod in a namespace the environment does not create THEN its Pod Security is not synth\'s to judge', async () => {
    const err = await render(() => 'elsewhere');
    expect(err instanceof SynthError ? err.message : '').not.toMatch(/Pod Security/);
  });
});
