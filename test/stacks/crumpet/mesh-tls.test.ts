import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { CrumpetApp, loadEnvironment, type PlatformConfig } from '../../../src/stacks/crumpet/index.ts';
import { renderApp } from '../../../src/render/index.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

/*
 * mTLS between the Envoy edge and CIN gRPC (spec section 6), followed end to end: which files
 * Envoy presents, which Secret holds them, which Issuer signs them, and what CIN trusts.
 */

async function synth(config: PlatformConfig) {
  const app = new CrumpetApp(config);
  const rendered = await renderApp(app, config.name);
  const objects = rendered.charts.flatMap((c) => c.objects) as Obj[];
  const bootstrap = yaml.load(rendered.generated.get(app.envoyEdge.opsPath)!) as Obj;
  return { objects, bootstrap };
}

const named = (objects: Obj[], kind: string, name: string): Obj => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind}/${name}`);
  return found;
};

/** The Secret mounted at the directory holding `file` in the pod `spec`'s first container (the deepest mount wins). */
function secretHolding(spec: Obj, file: string): string {
  const mounts = (spec.containers[0].volumeMounts as Obj[]).filter((m) => file.startsWith(`${m.mountPath}/`));
  const mount = mounts.sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
  if (!mount) throw new Error(`nothing mounted at ${file}`);
  return (spec.volumes as Obj[]).find((v) => v.name === mount.name)!.secret.secretName;
}

/** The Certificate writing `secretName`, and the chain of Issuers above it up to a self-signed one. */
function chain(objects: Obj[], secretName: string): Obj[] {
  const cert = objects.find((o) => o.kind === 'Certificate' && o.spec.secretName === secretName);
  if (!cert) throw new Error(`no Certificate writes ${secretName}`);
  const issuer = named(objects, cert.spec.issuerRef.kind, cert.spec.issuerRef.name);
  return [cert, issuer, ...(issuer.spec.ca ? chain(objects, issuer.spec.ca.secretName) : [])];
}

describe('Mesh TLS | features.mtls on (prod)', async () => {
  const config = await loadEnvironment('prod');
  const { objects, bootstrap } = await synth(config);
  const envoyPod = named(objects, 'Deployment', 'envoy-edge').spec.template.spec;
  const grpcClusters = (bootstrap.static_resources.clusters as Obj[]).filter((c) => c.name.endsWith('-8081'));

  it('GIVEN every CIN gRPC cluster THEN Envoy presents a client certificate of the mesh CA, mounted from its Secret', () => {
    expect(grpcClusters.map((c) => c.name).sort()).toEqual(['cin-node-de-8081', 'cin-node-en-8081', 'cin-node-es-8081']);
    for (const c of grpcClusters) {
      const tls = c.transport_socket.typed_config;
      expect(tls['@type']).toBe('type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext');
      const files = tls.common_tls_context.tls_certificates[0];
      const secret = secretHolding(envoyPod, files.certificate_chain.filename);
      expect(secretHolding(envoyPod, files.private_key.filename)).toBe(secret);
      expect(secretHolding(envoyPod, tls.common_tls_context.validation_context.trusted_ca.filename)).toBe(secret);
      const [leaf, issuer, ca, root] = chain(objects, secret);
      expect(leaf!.spec.usages).toContain('client auth');
      expect(issuer!.metadata.name).toBe('crumpet-mesh-ca');
      expect(ca!.spec.isCA).toBe(true);
      expect(root!.spec.selfSigned).toEqual({});
    }
  });

  it('GIVEN each CIN language THEN its pods serve gRPC with a server certificate of the same CA naming the Service Envoy dials', () => {
    for (const c of grpcClusters) {
      const lang = c.name.split('-')[2];
      const tls = c.transport_socket.typed_config;
      const host = c.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.address;
      expect(tls.sni).toBe(host);
      expect(tls.common_tls_context.validation_context.match_typed_subject_alt_names).toEqual([{ san_type: 'DNS', matcher: { exact: host } }]);
      const instances = objects.filter((o) => o.kind === 'StatefulSet' && o.metadata.name.startsWith(`cin-node-${lang}-`));
      expect(instances.length).toBe(config.components.cinNode.languages.find((l) => l.code === lang)!.replicas);
      for (const sts of instances) {
        const pod = sts.spec.template.spec;
        const env = Object.fromEntries((pod.containers[0].env as Obj[]).map((e) => [e.name, e.value]));
        const secret = secretHolding(pod, env.CIN_GRPC_TLS_CERT_FILE);
        expect(secretHolding(pod, env.CIN_GRPC_TLS_KEY_FILE)).toBe(secret);
        expect(secretHolding(pod, env.CIN_GRPC_TLS_CLIENT_CA_FILE)).toBe(secret);
        const [leaf, issuer] = chain(objects, secret);
        expect(leaf!.spec.dnsNames).toContain(host);
        expect(leaf!.spec.usages).toContain('server auth');
        expect(issuer!.metadata.name).toBe('crumpet-mesh-ca');
      }
    }
  });

  it('GIVEN the index snapshot job, the other gRPC client of CIN THEN it presents a mesh client certificate too', () => {
    const job = named(objects, 'CronJob', 'index-snapshot').spec.jobTemplate.spec.template.spec;
    const args = job.containers[0].args as string[];
    const flag = (name: string) => args[args.indexOf(name) + 1]!;
    const secret = secretHolding(job, flag('--tls-cert'));
    expect([secretHolding(job, flag('--tls-key')), secretHolding(job, flag('--tls-ca'))]).toEqual([secret, secret]);
    const [leaf, issuer] = chain(objects, secret);
    expect(leaf!.spec.usages).toContain('client auth');
    expect(issuer!.metadata.name).toBe('crumpet-mesh-ca');
  });
});

describe('Mesh TLS | features.mtls off', () => {
  it('GIVEN mtls off THEN there is no mesh CA, no mesh certificate, no TLS to CIN gRPC and nothing mounted for it', async () => {
    const config = await loadEnvironment('prod');
    const { objects, bootstrap } = await synth({ ...config, features: { ...config.features, mtls: false } });
    expect(objects.filter((o) => o.kind === 'Issuer')).toEqual([]);
    expect(objects.filter((o) => o.kind === 'Certificate').map((o) => o.metadata.name)).toEqual(['edge-tls']);
    expect((bootstrap.static_resources.clusters as Obj[]).filter((c) => c.transport_socket)).toEqual([]);
    const pods = objects.filter((o) => o.spec?.template?.spec).map((o) => o.spec.template.spec);
    expect(JSON.stringify(pods)).not.toMatch(/mtls|grpc-tls|CIN_GRPC_TLS/);
  });
});
