export * from './environment-files.ts';
export * from './load.ts';
export * from './overrides.ts';
