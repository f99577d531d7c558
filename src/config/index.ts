export * from './environment-files.ts';
export * from './environment-namespaces.ts';
export * from './load.ts';
export * from './overrides.ts';
export * from './unique-values.ts';
