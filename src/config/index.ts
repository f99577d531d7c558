export * from './environment-files.ts';
export * from './load.ts';
export * from './overrides.ts';
export * as modelSchemas from './schema.ts';
export * from './types.ts';
