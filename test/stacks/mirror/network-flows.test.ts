import { describe, expect, it } from 'vitest';
import { MIRROR_COMPONENTS } from '../../../src/stacks/mirror/index.ts';
import { FlowModel, formatFlows, KUBE_DNS, type ExternalEndpoint } from '../../_analysis/index.ts';
import { distObjects, ENVIRONMENTS, loadEnvironment } from './_mirror.ts';

/*
 * The mirror's network as dist/mirror/<env>/ allows it, computed with NetworkPolicy semantics:
 * every expectation comes from the model (its CIDR sets, its monitoring namespace) and the
 * component declarations (ports, metrics, admits, calls), not from lists written here.
 */

/** An address inside a CIDR (its first host), and one just outside every given CIDR. */
const inside = (cidr: string): string => (cidr.includes(':') ? cidr.split('/')[0]!.replace(/::$/, '::1') : cidr.split('/')[0]!.replace(/\.0$/, '.1'));

describe.each(ENVIRONMENTS)('Mirror network, %s |', async (env) => {
  const config = await loadEnvironment(env);
  const prometheus: ExternalEndpoint = { namespace: config.network.monitoringNamespace, name: 'prometheus', podLabels: { 'app.kubernetes.io/name': 'prometheus' } };
  const stranger: ExternalEndpoint = { namespace: config.network.monitoringNamespace, name: 'grafana', podLabels: { 'app.kubernetes.io/name': 'grafana' } };
  const model = new FlowModel(distObjects(env), [prometheus, stranger]);
  const id = (name: string): string => `${config.namespace}/${name}`;
  const cidrSet = (name: string): readonly string[] => (config.network as unknown as Record<string, readonly string[]>)[name]!;
  const dns = `${KUBE_DNS.namespace}/${KUBE_DNS.name}`;

  it('GIVEN the declarations THEN exactly the declared flows exist between the pods the model knows, and DNS', () => {
    const expected = MIRROR_COMPONENTS.components.flatMap((c) => [
      ...(c.metrics ? [`${config.network.monitoringNamespace}/prometheus -> ${id(c.name)} ${c.ports[c.metrics.port]!.port}/TCP`] : []),
      `${id(c.name)} -> ${dns} 53/TCP`,
      `${id(c.name)} -> ${dns} 53/UDP`,
      // The components it calls, on the port it names.
      ...(c.calls ?? []).flatMap((call) => {
        if (!('component' in call)) return [];
        const port = MIRROR_COMPONENTS.get(call.component).ports[call.port]!;
        return [`${id(c.name)} -> ${id(call.component)} ${port.port}/${port.protocol ?? 'TCP'}`];
      }),
    ]);
    expect(formatFlows(model.matrix()).sort()).toEqual(expected.sort());
  });

  describe.each(MIRROR_COMPONENTS.components.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    it('GIVEN its admitted CIDR sets THEN an address inside reaches the admitted ports, one outside does not', () => {
      for (const a of c.admits ?? []) {
        for (const port of a.ports.map((p) => c.ports[p]!.port)) {
          for (const cidr of cidrSet(a.cidrs)) expect(model.allows({ ip: inside(cidr) }, id(c.name), port), `${cidr} -> ${c.name}:${port}`).toBe(true);
          expect(model.allows({ ip: '8.8.8.8' }, id(c.name), port)).toBe(false);
        }
      }
      // No port it does not admit from outside.
      const admitted = new Set((c.admits ?? []).flatMap((a) => a.ports));
      for (const [name, p] of Object.entries(c.ports)) {
        if (admitted.has(name)) continue;
        for (const cidr of Object.keys(config.network).filter((k) => k.endsWith('Cidrs')).flatMap(cidrSet)) {
          expect(model.allows({ ip: inside(cidr) }, id(c.name), p.port), `${cidr} -> ${c.name}:${name}`).toBe(false);
        }
      }
    });

    it('GIVEN its calls THEN it reaches the called CIDR sets on their ports and nothing else outside', () => {
      const calls = (c.calls ?? []).filter((k) => 'cidrs' in k) as { cidrs: string; ports: { port: number }[] }[];
      for (const call of calls) {
        for (const cidr of cidrSet(call.cidrs)) for (const p of call.ports) expect(model.allows(id(c.name), { ip: inside(cidr) }, p.port)).toBe(true);
      }
      for (const ip of ['8.8.8.8', '10.0.0.1', '169.254.169.254']) expect(model.allows(id(c.name), { ip }, 443), `${c.name} -> ${ip}`).toBe(false);
      if (calls.length === 0) {
        for (const cidr of Object.keys(config.network).filter((k) => k.endsWith('Cidrs')).flatMap(cidrSet)) {
          expect(model.allows(id(c.name), { ip: inside(cidr) }, 443), `${c.name} -> ${cidr}`).toBe(false);
        }
      }
    });

    if (c.metrics) {
      it('GIVEN its metrics THEN Prometheus scrapes them, and nothing else in the monitoring namespace does', () => {
        const port = c.ports[c.metrics!.port]!.port;
        expect(model.allows(`${config.network.monitoringNamespace}/prometheus`, id(c.name), port)).toBe(true);
        expect(model.allows(`${config.network.monitoringNamespace}/grafana`, id(c.name), port)).toBe(false);
      });
    }
  });
});
