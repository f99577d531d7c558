import { defineComponent } from '../../../lib/index.ts';
import { Kubo } from '../kubo.ts';
import { kuboSettings } from '../model/schema.ts';
import type { KuboConfig, PlatformConfig } from '../model/types.ts';
import { PORTS } from '../ports.ts';

const SWARM = [
  { port: PORTS.kuboSwarmTcp.port },
  { port: PORTS.kuboSwarmUdp.port, protocol: 'UDP' as const },
];

/**
 * An in-cluster IPFS Kubo node (optional, `features.kubo`): RPC API on 5001 for the components
 * that call it, swarm on 4001 over TCP and QUIC with the known peers and the internet.
 */
export default defineComponent<KuboConfig, PlatformConfig>({
  name: 'kubo',
  role: 'ipfs',
  settings: kuboSettings,
  enabled: (model) => model.features.kubo,
  ports: {
    api: { port: PORTS.kuboApi.port },
    swarm: { port: PORTS.kuboSwarmTcp.port, appProtocol: 'tcp' },
    'swarm-quic': { port: PORTS.kuboSwarmUdp.port, protocol: 'UDP', appProtocol: 'tcp' },
  },
  build: (ctx) => {
    const kubo = new Kubo(ctx.scope, 'Kubo', { config: ctx.model, labels: ctx.labels });
    return { workload: kubo.workload, construct: kubo };
  },
  calls: [{ cidrs: 'internet', ports: SWARM }],
  admits: [{ cidrs: 'peerCidrs', ports: ['swarm', 'swarm-quic'] }],
});
