import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ArgoCdApplication, controllerOwnedFields, SYNC_WAVE_ANNOTATION, SYNC_WAVE_RULES, syncWaveIssues, syncWaveOf, withSyncWave, type WaveObject } from '../../../src/lib/index.ts';
import { testChart } from '../../_helpers.ts';

/* The sync-wave table and the Application construct, on objects made up here. */

const obj = (kind: string, name: string, spec: object = {}): WaveObject => ({ kind, metadata: { name, namespace: 'app' }, spec });

describe('Sync waves |', () => {
  it('GIVEN the table THEN every row is before the workloads (wave 0), and the Namespace before every other row', () => {
    const namespace = SYNC_WAVE_RULES.find((r) => r.kinds.includes('Namespace'))!;
    for (const rule of SYNC_WAVE_RULES) {
      expect(rule.wave).toBeLessThan(0);
      if (rule !== namespace) expect(namespace.wave).toBeLessThan(rule.wave);
    }
  });

  it('GIVEN the CA bootstrap chain THEN each link is in a later wave than the one it needs', () => {
    const chain = [
      obj('Issuer', 'bootstrap', { selfSigned: {} }),
      obj('Certificate', 'ca', { isCA: true, secretName: 'ca', issuerRef: { kind: 'Issuer', name: 'bootstrap' } }),
      obj('Issuer', 'ca', { ca: { secretName: 'ca' } }),
      obj('Certificate', 'leaf', { secretName: 'leaf', issuerRef: { kind: 'Issuer', name: 'ca' } }),
      obj('Deployment', 'web'),
    ];
    expect(chain.map(syncWaveOf)).toEqual([...chain.map(syncWaveOf)].sort((a, b) => a - b));
    expect(new Set(chain.map(syncWaveOf)).size).toBe(chain.length);
    expect(syncWaveIssues(chain)).toEqual([]);
  });

  it('GIVEN a CA certificate signed by a CA issuer (an intermediate) WHEN checked THEN the reference the table cannot order is reported', () => {
    const objects = [obj('Issuer', 'root', { ca: { secretName: 'root' } }), obj('Certificate', 'intermediate', { isCA: true, secretName: 'i', issuerRef: { kind: 'Issuer', name: 'root' } })];
    expect(syncWaveIssues(objects)).toEqual(['Certificate/intermediate spec.issuerRef: needs Issuer/root, which is in sync wave -2, not before its own -3']);
  });

  it('GIVEN a workload THEN it keeps Argo CD\'s default wave and gets no annotation; GIVEN an ExternalSecret THEN it is annotated', () => {
    const deployment = obj('Deployment', 'web');
    expect(withSyncWave(deployment)).toBe(deployment);
    expect(withSyncWave(obj('ExternalSecret', 'creds')).metadata?.annotations).toEqual({ [SYNC_WAVE_ANNOTATION]: '-1' });
  });
});

describe('ArgoCdApplication |', () => {
  const settings = { repoURL: 'https://git.example.org/team/deploy.git' };

  it('GIVEN an autoscaler and a Rollout WHEN the controller-owned fields are listed THEN the target replicas and the Rollout status are ignored', () => {
    const objects = [
      { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'app' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } } },
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'api', namespace: 'app' } },
    ];
    expect(controllerOwnedFields(objects)).toEqual([
      { group: 'apps', kind: 'Deployment', name: 'web', namespace: 'app', jsonPointers: ['/spec/replicas'] },
      { group: 'argoproj.io', kind: 'Rollout', jsonPointers: ['/status'] },
    ]);
  });

  it('GIVEN only the repository THEN it follows HEAD, prunes, self-heals and cascades deletion', () => {
    const chart = testChart();
    const app = new ArgoCdApplication(chart, 'App', { name: 'web-prod', labels: {}, settings, path: 'dist/prod', destinationNamespace: 'web' });
    const [json] = Testing.synth(chart);
    expect([app.targetRevision, app.prune, app.selfHeal]).toEqual(['HEAD', true, true]);
    expect(json.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    expect(json.spec.syncPolicy.syncOptions).not.toContain('RespectIgnoreDifferences=true');
  });

  it('GIVEN a path outside the repository WHEN constructed THEN it throws naming the construct and the value', () => {
    expect(() => new ArgoCdApplication(testChart(), 'App', { name: 'x', labels: {}, settings, path: '../other', destinationNamespace: 'web' })).toThrow(
      /^\[test\/App\] path must be a folder relative to the repository root, got "\.\.\/other"$/,
    );
  });
});
