import { createRequire } from 'node:module';
import { type EdgeRouteConfig, edgeRoutes, validateConfig } from '../../src/stacks/crumpet/index.ts';
import staging from '../../src/stacks/crumpet/environments/staging.ts';

/*
 * Run in a fresh process by load.test.ts: prints whether re2-wasm is loaded after validating
 * staging with its regex routes turned into prefixes, then after validating it as it is.
 */
const cache = createRequire(import.meta.url).cache;
const loaded = (): boolean => Object.keys(cache).some((path) => path.includes('re2-wasm'));
const routes = edgeRoutes(staging).map(({ regex, ...r }): EdgeRouteConfig => (regex === undefined ? r : { ...r, prefix: '/grpc.' }));
validateConfig('staging', structuredClone({ ...staging, edge: { ...staging.edge, routes } }));
console.log(`without a regex route: ${loaded()}`);
validateConfig('staging', structuredClone(staging));
console.log(`with a regex route: ${loaded()}`);
