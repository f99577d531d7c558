export * from './component.ts';
export * from './registry.ts';
export * from './stateless-component.ts';
