export * from './delivery-plan.ts';
export * from './progressive-rollout.ts';
export * from './slo-analysis-template.ts';
