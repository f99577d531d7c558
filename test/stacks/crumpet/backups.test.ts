import { Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { Backups, loadEnvironment } from '../../../src/stacks/crumpet/index.ts';
import { AppLabels } from '../../../src/lib/index.ts';
import { testChart } from '../../_helpers.ts';

/* The backup jobs' own checks; their RBAC and script are pinned over every environment in rbac.test.ts. */

const labels = new AppLabels({ name: 'crumpet', instance: 'crumpet', component: 'platform', partOf: 'crumpet', version: 'v0.1.0' });

describe('Backups |', () => {
  it('GIVEN backups.secretData but no delivered Secret THEN it throws naming the construct and field', async () => {
    const config = await loadEnvironment('staging', { files: [], sets: [`backups.secretData.ageRecipient=age1${'q'.repeat(58)}`] });
    const chart: Chart = testChart();
    expect(() => new Backups(chart, 'Backups', { config, labels, languages: [], deliveredSecrets: [] })).toThrow(
      /^\[test\/Backups\] backups\.secretData: the platform delivers no Secret to back up$/,
    );
  });

  it.each([`age1${'b'.repeat(58)}`, `age1${'q'.repeat(57)}`, 'AGE1QQQ'])(
    'GIVEN the age recipient %s THEN the model refuses it naming the field',
    async (recipient) => {
      await expect(loadEnvironment('staging', { files: [], sets: [`backups.secretData.ageRecipient=${recipient}`] })).rejects.toThrow(
        /\[staging\] config backups\.secretData\.ageRecipient: must be an age X25519 recipient/,
      );
    },
  );
});
