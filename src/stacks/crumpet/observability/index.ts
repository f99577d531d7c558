export * from './alerts.ts';
export * from './dashboards.ts';
export * from './log-format.ts';
export * from './metrics.ts';
export * from './routing.ts';
export * from './runbooks.ts';
export * from './slos.ts';
export * from './runbook-links.ts';
