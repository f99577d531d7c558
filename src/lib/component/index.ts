export * from './component.ts';
export * from './mesh-certificates.ts';
export * from './registry.ts';
export * from './stateless-component.ts';
export * from './component-network.ts';
export * from './component-observability.ts';
export * from './component-app.ts';
export * from './edge-route-table.ts';
