import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AppLabels, NetworkPolicyMatrix, Peer, type Workload } from '../../src/lib/index.ts';
import { testChart } from '../_helpers.ts';

const labels = new AppLabels({ name: 'net', instance: 'i', component: 'c', partOf: 'p', version: 'v1' });
const app: Workload = { name: 'app', labels: labels.withComponent({ name: 'app', component: 'api', version: 'v1' }) };

function matrix(): { chart: ReturnType<typeof testChart>; m: NetworkPolicyMatrix } {
  const chart = testChart();
  return { chart, m: new NetworkPolicyMatrix(chart, 'Matrix', { labels }) };
}

describe('NetworkPolicyMatrix |', () => {
  it('GIVEN IPv4 and IPv6 blocks with one list of exclusions THEN each ipBlock carries only the exclusions inside it', () => {
    const { chart, m } = matrix();
    m.allow(Peer.workload(app), Peer.cidrs(['0.0.0.0/0', '::/0', '203.0.113.0/24'], ['10.0.0.0/8', 'fc00::/7', '203.0.113.128/25']), [{ port: 443 }]);
    const policy = Testing.synth(chart).find((o) => o.metadata.name === 'app');
    expect(policy.spec.egress[0].to).toEqual([
      { ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '203.0.113.128/25'] } },
      { ipBlock: { cidr: '::/0', except: ['fc00::/7'] } },
      { ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.128/25'] } },
    ]);
  });

  it.each([
    ['outside every block', ['10.0.0.0/8'], ['192.168.0.0/16'], /\[test\/Matrix\] allow\(\): except "192\.168\.0\.0\/16" must lie strictly inside one of 10\.0\.0\.0\/8/],
    ['a whole block', ['10.0.0.0/8'], ['10.0.0.0/8'], /except "10\.0\.0\.0\/8" must lie strictly inside one of 10\.0\.0\.0\/8/],
    ['of the other family', ['0.0.0.0/0'], ['fc00::/7'], /except "fc00::\/7" must lie strictly inside/],
    ['not a CIDR', ['0.0.0.0/0'], ['10.0.0.0/33'], /\[test\/Matrix\] allow\(\): "10\.0\.0\.0\/33" is not an IPv4 or IPv6 CIDR: prefix length "33"/],
  ])('GIVEN an exclusion %s THEN allow() refuses it naming the construct and the range', (_name, cidrs, except, message) => {
    const { m } = matrix();
    expect(() => m.allow(Peer.workload(app), Peer.cidrs(cidrs, except), [{ port: 443 }])).toThrow(message);
  });
});
