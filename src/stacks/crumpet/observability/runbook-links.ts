/** Domain of Crumpet's own labels and annotations (`crumpet.dev/language`, `crumpet.dev/runbook`). */
export const ANNOTATION_DOMAIN = 'crumpet.dev';

/** The annotation naming the runbook an object is operated by (a chaos experiment, a backup CronJob). */
export const RUNBOOK_ANNOTATION = `${ANNOTATION_DOMAIN}/runbook`;
