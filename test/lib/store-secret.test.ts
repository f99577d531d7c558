import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { StoreSecret } from '../../src/lib/index.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

function render(props: Partial<ConstructorParameters<typeof StoreSecret>[2]> = {}): Record<string, any>[] {
  const chart = new Chart(new App(), 'c');
  new StoreSecret(chart, 'S', {
    name: 'db-credentials',
    labels: { 'app.kubernetes.io/name': 'db' },
    store: 'vault',
    refreshInterval: '1h',
    keys: [{ key: 'password', remoteKey: 'prod/db', property: 'password' }, { key: 'token', remoteKey: 'prod/token' }],
    ...props,
  });
  return chart.toJson();
}

describe('StoreSecret | a Secret made from a secret store, never its value', () => {
  it('GIVEN keys in a store WHEN rendered THEN one ExternalSecret names where each value is and carries none', () => {
    const [es, ...rest] = render();
    expect(rest).toEqual([]);
    expect(es!['kind']).toBe('ExternalSecret');
    expect(es!['spec'].secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'vault' });
    expect(es!['spec'].data).toEqual([
      { secretKey: 'password', remoteRef: { key: 'prod/db', property: 'password' } },
      { secretKey: 'token', remoteRef: { key: 'prod/token' } },
    ]);
  });

  it('GIVEN the ExternalSecret is deleted WHEN the operator acts THEN the Secret it owns is retained, not taken from running pods', () => {
    const [es] = render();
    expect(es!['spec'].target).toEqual({ name: 'db-credentials', creationPolicy: 'Owner', deletionPolicy: 'Retain' });
  });

  it('GIVEN a namespaced store and a Secret type WHEN rendered THEN both are kept', () => {
    const [es] = render({ storeKind: 'SecretStore', type: 'kubernetes.io/tls' });
    expect(es!['spec'].secretStoreRef.kind).toBe('SecretStore');
    expect(es!['spec'].target.template).toEqual({ type: 'kubernetes.io/tls' });
  });
});
