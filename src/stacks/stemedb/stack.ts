import type { Stack } from '../../render/index.ts';
import { stemedbCharts } from './helm-chart.ts';
import { STEMEDB_MODEL, type StemedbConfig } from './model/index.ts';
import { STEMEDB_ENVIRONMENTS } from './monitoring.ts';
import { StemedbApp } from './stemedb-app.ts';

/** StemeDB: manifests in dist/stemedb/<env>/, ops files in ops/stemedb/, its chart in charts-out/stemedb/. */
export const stemedbStack: Stack<StemedbConfig> = {
  name: 'stemedb',
  model: STEMEDB_MODEL,
  distFolder: (env) => `dist/stemedb/${env}`,
  gitOps: (config) => ({ settings: config.gitops, namespace: config.namespace }),
  app: (config) => new StemedbApp(config),
  charts: stemedbCharts,
  runbookEnvironments: STEMEDB_ENVIRONMENTS,
};
