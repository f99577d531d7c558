export * from './chaos-experiment.ts';
export * from './chaos-scenario.ts';
