import { describe, expect, it } from 'vitest';
import { type Overrides } from '../../../src/config/index.ts';
import { APP_SECRETS, CrumpetApp, loadEnvironment } from '../../../src/stacks/crumpet/index.ts';
import { renderApp, type KubeObject } from '../../../src/render/index.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = KubeObject & Record<string, any>;

async function render(env: string, overrides: Overrides = { files: [], sets: [] }): Promise<Obj[]> {
  const config = await loadEnvironment(env, overrides);
  return (await renderApp(new CrumpetApp(config), env)).charts.flatMap((c) => c.objects) as Obj[];
}

/** A stand-in for kubeseal's ciphertext of a secret's key: base64, as kubeseal writes it. */
const ciphertext = (name: string, key: string): string => `AgB${Buffer.from(`${name}/${key}`).toString('base64')}`;

const sealedValues = {
  secrets: {
    provider: 'sealed-secrets',
    sealed: Object.fromEntries(Object.entries(APP_SECRETS).map(([name, keys]) => [name, Object.fromEntries(keys.map((k) => [k, ciphertext(name, k)]))])),
  },
};

describe('Secrets and TLS |', () => {
  it('GIVEN external-secrets THEN every application secret is an ExternalSecret reading <prefix>/<name> from the store', async () => {
    const objs = await render('prod');
    const ext = objs.filter((o) => o.kind === 'ExternalSecret');
    expect(ext.map((o) => o.metadata.name).sort()).toEqual(Object.keys(APP_SECRETS).sort());
    const watcher = ext.find((o) => o.metadata.name === 'watcher-signing-key')!;
    expect(watcher.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'vault-prod' });
    expect(watcher.spec.data).toEqual([{ secretKey: 'ed25519.key', remoteRef: { key: 'crumpet/prod/watcher-signing-key', property: 'ed25519.key' } }]);
    expect(objs.some((o) => o.kind === 'Secret' || o.kind === 'SealedSecret')).toBe(false);
  });

  it('GIVEN sealed-secrets THEN every application secret is a SealedSecret holding only ciphertext', async () => {
    const objs = await render('staging', { files: [{ file: 'sealed.yaml', values: sealedValues }], sets: [] });
    const sealed = objs.filter((o) => o.kind === 'SealedSecret');
    expect(sealed.map((o) => o.metadata.name).sort()).toEqual(Object.keys(APP_SECRETS).sort());
    const backup = sealed.find((o) => o.metadata.name === 'backup-s3-credentials')!;
    expect(backup.spec.encryptedData).toEqual({
      'access-key-id': ciphertext('backup-s3-credentials', 'access-key-id'),
      'secret-access-key': ciphertext('backup-s3-credentials', 'secret-access-key'),
    });
    expect(objs.some((o) => o.kind === 'ExternalSecret' || o.kind === 'Secret')).toBe(false);
  });

  it('GIVEN sealed-secrets without the ciphertext of a key THEN synth fails naming the secret and key', async () => {
    const partial = structuredClone(sealedValues) as any;
    delete partial.secrets.sealed['watcher-signing-key']['ed25519.key'];
    await expect(render('staging', { files: [{ file: 'sealed.yaml', values: partial }], sets: [] })).rejects.toThrow(
      /secrets\.sealed\.watcher-signing-key: needs kubeseal ciphertext for ed25519\.key/,
    );
  });

  it('GIVEN every workload THEN each Secret it mounts or reads is one the secrets provider delivers, or cert-manager issues', async () => {
    const objs = await render('prod');
    const delivered = new Set([...Object.keys(APP_SECRETS), ...objs.filter((o) => o.kind === 'Certificate').map((o) => o.spec.secretName)]);
    const referenced = objs.flatMap((o) => {
      const spec = o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template.spec : o.spec?.template?.spec;
      if (!spec) return [];
      const fromVolumes = (spec.volumes ?? []).flatMap((v: any) => (v.secret ? [v.secret.secretName] : []));
      const fromEnv = spec.containers.flatMap((c: any) => (c.env ?? []).flatMap((e: any) => (e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef.name] : [])));
      return [...fromVolumes, ...fromEnv];
    });
    expect(referenced.length).toBeGreaterThan(4);
    for (const name of referenced) expect(delivered.has(name), name).toBe(true);
  });

  it('GIVEN the edge THEN its Certificate covers every host name, comes from the ACME issuer, and Envoy mounts its secret', async () => {
    const config = await loadEnvironment('prod');
    const objs = await render('prod');
    const cert = objs.find((o) => o.kind === 'Certificate' && o.metadata.name === 'edge-tls')!;
    expect(cert.spec.dnsNames).toEqual(config.hostnames);
    expect(cert.spec.issuerRef).toEqual({ group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'letsencrypt-prod' });
    const issuer = objs.find((o) => o.kind === 'ClusterIssuer')!;
    expect(issuer.metadata.name).toBe('letsencrypt-prod');
    expect(issuer.spec.acme.server).toBe('https://acme-v02.api.letsencrypt.org/directory');
    const envoy = objs.find((o) => o.kind === 'Deployment' && o.metadata.name === 'envoy-edge')!;
    expect(envoy.spec.template.spec.volumes).toContainEqual({ name: 'tls', secret: { secretName: cert.spec.secretName, defaultMode: 0o440 } });
  });
});
