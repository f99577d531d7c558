export * from './envoy-api.ts';
