export * from './edge-bootstrap.ts';
export * from './envoy-api.ts';
