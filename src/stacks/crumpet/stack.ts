import type { Stack } from '../../render/index.ts';
import { CrumpetApp } from './crumpet-app.ts';
import { helmChartFiles } from './helm-charts.ts';
import { CRUMPET_ENVIRONMENTS } from './monitoring.ts';
import { CRUMPET_MODEL, type PlatformConfig } from './model/index.ts';

/**
 * The Crumpet platform, the primary stack: its manifests keep `dist/<env>/`, so
 * `kubectl apply -f dist/<env>` applies one environment.
 */
export const crumpetStack: Stack<PlatformConfig> = {
  name: 'crumpet',
  model: CRUMPET_MODEL,
  distFolder: (env) => `dist/${env}`,
  gitOps: (config) => ({ settings: config.gitops, namespace: config.namespace }),
  app: (config) => new CrumpetApp(config),
  charts: helmChartFiles,
  runbookEnvironments: CRUMPET_ENVIRONMENTS,
};
