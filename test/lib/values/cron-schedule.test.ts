import { describe, expect, it } from 'vitest';
import { CronSchedule, ValueError } from '../../../src/lib/index.ts';

/** The reasons CronSchedule.parse gives for `text`, or [] when it accepts it. */
function reasons(text: string): readonly string[] {
  try {
    CronSchedule.parse(text);
    return [];
  } catch (err) {
    if (!(err instanceof ValueError)) throw err;
    return err.reasons;
  }
}

describe('CronSchedule |', () => {
  it.each([
    ['30 2 * * *', 'a plain daily schedule'],
    ['0 */6 * * *', 'a step on a star'],
    ['0-30/5 * * * *', 'a step on a range'],
    ['5/15 * * * *', 'a step on a single value (5 to 59)'],
    ['0,15,30,45 * * * *', 'a list'],
    ['59 23 31 12 6', 'every field at its maximum'],
    ['0 0 1 1 0', 'every field at its minimum'],
    ['0 0 * * MON-FRI', 'day-of-week names in a range'],
    ['0 0 * jan,Jul *', 'month names in any case'],
    ['0 0 ? * SUN', '"?" as a star'],
    ['0 0 29 2 *', 'a leap day'],
    ['  0 2  * * *  ', 'extra spaces (robfig/cron splits on any whitespace)'],
    ['@yearly', 'macro'],
    ['@annually', 'macro'],
    ['@monthly', 'macro'],
    ['@weekly', 'macro'],
    ['@daily', 'macro'],
    ['@midnight', 'macro'],
    ['@hourly', 'macro'],
    ['@every 1h30m', 'an interval'],
    ['@every 1m', 'the shortest interval'],
    ['@every 60000000\u00b5s', 'the shortest interval in microseconds (micro sign)'],
    ['@every 60000000\u03bcs', 'the shortest interval in microseconds (Greek mu)'],
  ])('GIVEN %j (%s) THEN it is accepted as written', (text) => {
    expect(reasons(text)).toEqual([]);
    expect(String(CronSchedule.parse(text))).toBe(text);
  });

  it.each<[string, string[]]>([
    ['99 99 99 99 99', [
      'minute 99 is not in 0-59',
      'hour 99 is not in 0-23',
      'day of month 99 is not in 1-31',
      'month 99 is not in 1-12 or JAN-DEC',
      'day of week 99 is not in 0-6 or SUN-SAT',
    ]],
    ['*/0 * * * *', ['minute step 0 must be a whole number from 1 to 59']],
    ['0 0 */0 * *', ['day of month step 0 must be a whole number from 1 to 30']],
    ['*/90 * * * *', ['minute step 90 must be a whole number from 1 to 59']],
    ['60 * * * *', ['minute 60 is not in 0-59']],
    ['0 24 * * *', ['hour 24 is not in 0-23']],
    ['0 0 0 * *', ['day of month 0 is not in 1-31']],
    ['0 0 * 0 *', ['month 0 is not in 1-12 or JAN-DEC']],
    ['0 0 * * 7', ['day of week 7 is not in 0-6 or SUN-SAT (Kubernetes has no 7 for Sunday: write 0 or SUN)']],
    ['30-10 * * * *', ['minute range "30-10" runs backwards (write the lower bound first)']],
    ['0 0 * * FRI-MON', ['day of week range "FRI-MON" runs backwards (write the lower bound first)']],
    ['1,,2 * * * *', ['minute "1,,2" has an empty list item']],
    ['1-2-3 * * * *', ['minute "1-2-3" has more than one "-"']],
    ['*/5/2 * * * *', ['minute "*/5/2" has more than one "/"']],
    ['*-5 * * * *', ['minute "*" is not a number in 0-59']],
    ['0 0 * * MONDAY', ['day of week "MONDAY" is not a number or name in 0-6 or SUN-SAT']],
    ['0 0 JAN * *', ['day of month "JAN" is not a number in 1-31']],
    ['+5 * * * *', ['minute "+5" is not a number in 0-59']],
    ['0 0 30 2 *', ['never fires: no selected month has any of the selected days of month']],
    ['0 2 * *', ['has 4 fields, needs 5: minute, hour, day of month, month, day of week']],
    ['0 0 2 * * *', ['has 6 fields, needs 5: minute, hour, day of month, month, day of week']],
    ['', ['has 0 fields, needs 5: minute, hour, day of month, month, day of week']],
    [' @daily', ['has 1 field, needs 5: minute, hour, day of month, month, day of week']],
    ['TZ=UTC 0 2 * * *', ['Kubernetes refuses TZ= and CRON_TZ= in a schedule (a CronJob sets its zone in spec.timeZone)']],
    ['CRON_TZ=Europe/Berlin 0 2 * * *', ['Kubernetes refuses TZ= and CRON_TZ= in a schedule (a CronJob sets its zone in spec.timeZone)']],
    ['@reboot', ['Kubernetes does not accept @reboot']],
    ['@Daily', ['unknown macro "@Daily" (allowed: @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, @every <duration>)']],
    ['@every 30s', ['@every needs an interval of at least 1m, got "30s"']],
    ['@every 59999999\u00b5s', ['@every needs an interval of at least 1m, got "59999999\u00b5s"']],
    ['@every -1h', ['@every needs an interval of at least 1m, got "-1h"']],
    ['@every 5x', ['"5x" is not a Go duration such as 90m or 1h30m']],
  ])('GIVEN %j THEN it is refused with every reason', (text, expected) => {
    expect(reasons(text)).toEqual(expected);
  });

  it('GIVEN a refused schedule THEN the error names the text and what a schedule is', () => {
    expect(() => CronSchedule.parse('*/0 * * * *')).toThrow('"*/0 * * * *" is not a cron schedule: minute step 0 must be a whole number from 1 to 59');
  });

  it('GIVEN a huge token THEN the reason quotes it cut short', () => {
    const [reason] = reasons(`${'x'.repeat(500)} * * * *`);
    expect(reason).toBe(`minute "${'x'.repeat(78)}… is not a number in 0-59`);
  });
});
