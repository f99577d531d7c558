export * from './chart-files.ts';
export * from './chart-templater.ts';
export * from './sentinels.ts';
