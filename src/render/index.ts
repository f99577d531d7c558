export * from './generated-file.ts';
export * from './manifest-validator.ts';
export * from './output-writer.ts';
export * from './render-app.ts';
export * from './synth-error.ts';
export * from './yaml.ts';
