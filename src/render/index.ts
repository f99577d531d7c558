export * from './generated-file.ts';
export * from './manifest-validator.ts';
export * from './output-error.ts';
export * from './output-root.ts';
export * from './render-app.ts';
export * from './synth-error.ts';
export * from './yaml.ts';
