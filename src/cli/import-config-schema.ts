import { importConfigSchema } from './import-config-schema-command.ts';
import { PRECOMPILED_VALIDATOR } from '../config/_config-validator.ts';

/*
 * Entry of `npm run import:config` (also a step of `npm run import`): the model's validator as
 * ajv standalone code (imports/config/), so synth does not compile the schema every time. Run
 * after changing src/config/schema.ts; a test fails while the committed file is stale.
 */
importConfigSchema(process.cwd());
console.log(`import-config-schema: ${PRECOMPILED_VALIDATOR} written`);
