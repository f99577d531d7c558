import { statelessComponent } from '../../../lib/index.ts';
import { SPEC_RESOURCES } from '../model/defaults.ts';
import type { PlatformConfig } from '../model/types.ts';
import { PORTS, WEB_HEALTH_PATH } from '../ports.ts';

/** CPU utilisation (of the request) the web autoscaler keeps replicas near. */
export const WEB_CPU_TARGET = 70;

/** The Next.js dApp (SSR/ISR), scaled on CPU. Next.js writes its ISR cache under `.next/cache`. */
export default statelessComponent<PlatformConfig>({
  name: 'web',
  role: 'frontend',
  ports: { http: { port: PORTS.web.port, healthPath: WEB_HEALTH_PATH } },
  defaults: { replicas: 2, maxReplicas: 6, resources: SPEC_RESOURCES.web },
  autoscaling: { metrics: [{ kind: 'cpu', utilization: WEB_CPU_TARGET }] },
  container: {
    health: { path: WEB_HEALTH_PATH, port: 'http' },
    env: [
      { name: 'PORT', value: String(PORTS.web.port) },
      { name: 'NEXT_TELEMETRY_DISABLED', value: '1' },
    ],
    writablePaths: ['/tmp', '/app/.next/cache'],
  },
  // Everything the other routes do not take.
  routes: [{ name: 'web', prefix: '/', port: 'http', timeout: '30s', retries: 1 }],
  chart: { description: 'Crumpet web: the Next.js dApp', smokeTest: { port: 'http', path: WEB_HEALTH_PATH } },
});
