import type { Stack } from '../../render/index.ts';
import { mirrorChartFiles } from './helm-chart.ts';
import { MirrorApp } from './mirror-app.ts';
import { MIRROR_MODEL, type MirrorConfig } from './model/index.ts';
import { MIRROR_ENVIRONMENTS } from './observability.ts';

/** The StellaOps mirror: manifests in dist/mirror/<env>/, ops files in ops/mirror/, its chart in charts-out/mirror/. */
export const mirrorStack: Stack<MirrorConfig> = {
  name: 'mirror',
  model: MIRROR_MODEL,
  distFolder: (env) => `dist/mirror/${env}`,
  gitOps: (config) => ({ settings: config.gitops, namespace: config.namespace }),
  app: (config) => new MirrorApp(config),
  charts: mirrorChartFiles,
  runbookEnvironments: MIRROR_ENVIRONMENTS,
};
