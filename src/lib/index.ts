export * from './labels.ts';
export * from './restricted-namespace.ts';
export * from './stateless-service.ts';
export * from './values/index.ts';
