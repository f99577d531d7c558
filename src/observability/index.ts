export * from './alertmanager.ts';
export * from './alerts.ts';
export * from './metrics-catalogue.ts';
export * from './observability-model.ts';
export * from './promql.ts';
export * from './rule-set.ts';
export * from './runbooks.ts';
export * from './slos.ts';
