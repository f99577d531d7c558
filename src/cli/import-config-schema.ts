import { STACKS } from '../stacks/index.ts';
import { importConfigSchemas } from './import-config-schema-command.ts';

/*
 * Entry of `npm run import:config` (also a step of `npm run import`): each stack's model
 * validator as ajv standalone code (imports/config/), so synth does not compile the schemas every
 * time. Run after changing a model's schema; a test fails while a committed file is stale.
 */
for (const path of importConfigSchemas(process.cwd(), STACKS.map((s) => s.model))) console.log(`import-config-schema: ${path} written`);
