import { describe, expect, it } from 'vitest';
import { Cidr } from '../../../src/lib/values/index.ts';
import { listEnvironments } from '../../../src/config/index.ts';
import { loadEnvironment, STEMEDB_MODEL } from '../../../src/stacks/stemedb/model/index.ts';
import { BACKUP, HTTP_PORT, STEMEDB } from '../../../src/stacks/stemedb/names.ts';
import { StemedbApp } from '../../../src/stacks/stemedb/stemedb-app.ts';
import { FlowModel, KUBE_DNS, type ExternalEndpoint, type KubeObject } from '../../_analysis/index.ts';

/* StemeDB's NetworkPolicies evaluated with NetworkPolicy semantics; every peer comes from the model. */

describe.each(listEnvironments(STEMEDB_MODEL.environmentsDir))('StemeDB | %s | network flows', async (env) => {
  const config = await loadEnvironment(env);
  const objects = new StemedbApp(config).charts.flatMap((c) => c.toJson() as KubeObject[]);
  const net = config.network;
  const ingress: ExternalEndpoint = { namespace: net.ingressNamespace, name: 'ingress-controller', podLabels: { ...net.ingressPodLabels } };
  const prometheus: ExternalEndpoint = { namespace: net.monitoringNamespace, name: 'prometheus', podLabels: { 'app.kubernetes.io/name': 'prometheus' } };
  const stranger: ExternalEndpoint = { namespace: net.ingressNamespace, name: 'stranger', podLabels: { 'app.kubernetes.io/name': 'other' } };
  const model = new FlowModel(objects, [ingress, prometheus, stranger, KUBE_DNS]);
  const ns = config.namespace;
  const members = `${ns}/${STEMEDB}`;
  const backup = `${ns}/${BACKUP}`;
  const ref = (e: ExternalEndpoint) => `${e.namespace}/${e.name}`;
  const objectStore = net.objectStoreCidrs.map((c) => ({ ip: Cidr.parse(c).toString().split('/')[0]! }));
  const dns = ref(KUBE_DNS);

  it('GIVEN the ingress controller, Prometheus and the backup job THEN each reaches the members\' HTTP port, and nothing else of theirs', () => {
    for (const from of [ref(ingress), ref(prometheus), backup]) {
      expect(model.allows(from, members, HTTP_PORT.port), from).toBe(true);
      expect(model.allows(from, members, HTTP_PORT.port + 1), from).toBe(false);
    }
  });

  it('GIVEN another pod of the ingress controller\'s namespace THEN it cannot reach the members', () => {
    expect(model.allows(ref(stranger), members, HTTP_PORT.port)).toBe(false);
  });

  it('GIVEN the object store THEN only the backup job reaches it, over HTTPS only', () => {
    for (const ip of objectStore) {
      expect(model.allows(backup, ip, 443)).toBe(true);
      expect(model.allows(backup, ip, 80)).toBe(false);
      expect(model.allows(members, ip, 443)).toBe(false);
    }
  });

  it('GIVEN any address outside the model THEN neither the members nor the backup job reach it', () => {
    for (const from of [members, backup]) expect(model.allows(from, { ip: '192.0.2.10' }, 443), from).toBe(false);
  });

  it('GIVEN cluster DNS THEN every StemeDB pod resolves names', () => {
    for (const from of [members, backup]) {
      expect(model.allows(from, dns, 53, 'UDP'), from).toBe(true);
      expect(model.allows(from, dns, 53, 'TCP'), from).toBe(true);
    }
  });

  it('GIVEN the members THEN they call nothing but DNS (the seed let them out on 443 anywhere)', () => {
    expect(model.allows(members, backup, 80)).toBe(false);
    expect(model.allows(members, ref(prometheus), 9090)).toBe(false);
  });
});
