import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEnvironment } from '../../src/config/index.ts';
import { FlowModel, loadManifests, type ExternalEndpoint, type KubeObject } from '../_analysis/index.ts';
import { PROJECT_ROOT } from '../_helpers.ts';

/*
 * The network as the committed NetworkPolicies allow it: flows computed with NetworkPolicy
 * semantics (test/_analysis/network-flows.ts) over every object of dist/<env>/.
 */

function objectsOf(env: string): KubeObject[] {
  const dir = join(PROJECT_ROOT, 'dist', env);
  return readdirSync(dir).sort().flatMap((f) => loadManifests(readFileSync(join(dir, f), 'utf8')));
}

const monitoring = (name: string): ExternalEndpoint => ({
  namespace: 'monitoring',
  name,
  podLabels: { 'app.kubernetes.io/name': name },
});

/** The component a workload belongs to: CIN instances `cin-node-<lang>-<n>` are all `cin-node`. */
const component = (id: string): string => id.split('/')[1]!.replace(/^cin-node-[a-z]{2}-\d+$/, 'cin-node');

describe.each(['prod', 'staging'])('NetworkPolicies of %s |', async (env) => {
  const config = await loadEnvironment(env);
  const ns = config.namespace;
  const model = new FlowModel(objectsOf(env), [monitoring('prometheus'), monitoring('tempo'), monitoring('loki')]);
  const cin = model.workloads().filter((w) => w.name.startsWith('cin-node-')).map((w) => ({ namespace: ns, name: w.name, kind: w.kind }));
  const at = (name: string) => ({ namespace: ns, name });

  it('GIVEN the CIN instances THEN every language has its own', () => {
    const languages = new Set(cin.map((c) => c.name.split('-')[2]));
    expect([...languages].sort()).toEqual(config.components.cinNode.languages.map((l) => l.code).sort());
  });

  it('GIVEN the edge THEN it reaches every CIN instance on 8080 and 8081, and only there', () => {
    for (const c of cin) {
      expect(model.allows(at('envoy-edge'), c, 8080), model.explain(at('envoy-edge'), c, 8080)).toBe(true);
      expect(model.allows(at('envoy-edge'), c, 8081)).toBe(true);
      expect(model.allows(at('envoy-edge'), c, 4001, 'UDP')).toBe(false);
    }
  });

  it.each(['web', 'watcher', 'pin-orchestrator'])('GIVEN %s THEN it cannot reach CIN on 8080 or 8081', (from) => {
    for (const c of cin) {
      expect(model.allows(at(from), c, 8080), model.explain(at(from), c, 8080)).toBe(false);
      expect(model.allows(at(from), c, 8081)).toBe(false);
    }
  });

  it('GIVEN the internet THEN it reaches the edge on 8443 TCP and UDP and nothing else', () => {
    const internet = { ip: '198.18.7.7' };
    expect(model.allows(internet, at('envoy-edge'), 8443, 'TCP')).toBe(true);
    expect(model.allows(internet, at('envoy-edge'), 8443, 'UDP')).toBe(true);
    expect(model.allows(internet, at('envoy-edge'), 9902)).toBe(false);
    for (const w of ['web', 'pin-orchestrator', 'watcher']) expect(model.allows(internet, at(w), 80)).toBe(false);
    for (const c of cin) expect(model.allows(internet, c, 8080)).toBe(false);
  });

  it('GIVEN CIN egress THEN only the configured RPC, gateway and peer CIDRs (and DNS) are reachable', () => {
    const first = (cidr: string) => cidr.split('/')[0]!;
    for (const c of cin) {
      expect(model.allowsDns(c)).toBe(true);
      for (const cidr of config.network.rpcEndpointCidrs) expect(model.allows(c, { ip: first(cidr) }, 443)).toBe(true);
      for (const cidr of config.network.ipfsGatewayCidrs) expect(model.allows(c, { ip: first(cidr) }, 443)).toBe(true);
      for (const cidr of config.network.peerCidrs) {
        expect(model.allows(c, { ip: first(cidr) }, 4001, 'UDP')).toBe(true);
        expect(model.allows(c, { ip: first(cidr) }, 443)).toBe(false);
      }
      // Anywhere else, on any port, is denied.
      for (const ip of ['8.8.8.8', '1.1.1.1', '10.1.2.3']) {
        for (const port of [80, 443, 4001, 8080]) expect(model.allows(c, { ip }, port), `${c.name} -> ${ip}:${port}`).toBe(false);
      }
      expect(model.allows(c, { ip: first(config.network.rpcEndpointCidrs[0]!) }, 80)).toBe(false);
    }
  });

  it('GIVEN Prometheus in the monitoring namespace THEN it scrapes each metrics port and nothing else', () => {
    const prom = { namespace: 'monitoring', name: 'prometheus' };
    expect(model.allows(prom, cin[0]!, 8080)).toBe(true);
    expect(model.allows(prom, cin[0]!, 8081)).toBe(false);
    expect(model.allows(prom, at('pin-orchestrator'), 7070)).toBe(true);
    expect(model.allows(prom, at('watcher'), 9090)).toBe(true);
    expect(model.allows(prom, at('envoy-edge'), 9902)).toBe(true);
    expect(model.allows(prom, at('envoy-edge'), 8443)).toBe(false);
  });

  it('GIVEN every pair of workloads and every declared port THEN the allowed flows are exactly the listed ones', () => {
    const flows = new Set(
      model
        .matrix()
        .filter((e) => e.from.startsWith(`${ns}/`) && e.to.startsWith(`${ns}/`))
        .map((e) => `${component(e.from)} -> ${component(e.to)}:${e.port}/${e.protocol}`),
    );
    const expected = [
      'envoy-edge -> web:3000/TCP',
      'envoy-edge -> cin-node:8080/TCP',
      'envoy-edge -> cin-node:8081/TCP',
      'envoy-edge -> pin-orchestrator:7070/TCP',
      'index-snapshot -> cin-node:8081/TCP',
      ...(config.features.kubo ? ['cin-node -> kubo:5001/TCP', 'pin-orchestrator -> kubo:5001/TCP'] : []),
    ];
    expect([...flows].sort()).toEqual(expected.sort());
  });
});
