export * from './load.ts';
export * from './overrides.ts';
export * from './types.ts';
