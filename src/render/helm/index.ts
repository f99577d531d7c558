export * from './chart-files.ts';
export * from './chart-templater.ts';
export * from './sentinels.ts';
export * from './chart-fields.ts';
export * from './component-chart.ts';
export * from './config-files-values.ts';
export * from './umbrella-chart.ts';
export * from './settings-values.ts';
