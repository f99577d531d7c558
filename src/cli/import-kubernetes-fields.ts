import { importKubernetesFields } from './import-kubernetes-fields-command.ts';

/* Entry of `npm run import:fields` (also a step of `npm run import`). */
console.log(`import-kubernetes-fields: ${importKubernetesFields(process.cwd())} written`);
