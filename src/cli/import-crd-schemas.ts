import { runImportCrdSchemas } from './import-crd-schemas-command.ts';

/*
 * Entry of `npm run import`'s second step: precompiled ajv validators of the CRDs in cdk8s.yaml,
 * written to imports/schemas/. `--from ../shared/crds` reads the CRD files from a folder instead
 * of downloading them.
 */
process.exitCode = await runImportCrdSchemas(process.argv.slice(2));
