import { runImportEnvoyApi } from './import-envoy-api-command.ts';

/*
 * Entry of `npm run import:envoy`, also the last step of `npm run import`: Envoy's v3 API
 * descriptors, written to imports/envoy/envoy-api.json from the protos of @grpc/grpc-js-xds.
 */
process.exitCode = runImportEnvoyApi(process.argv.slice(2));
