export * from './crumpet-app.ts';
export * from './pin-orchestrator.ts';
export * from './synthesize.ts';
