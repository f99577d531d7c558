import { quote, ValueError } from './value-error.ts';

/** One field of a five-field schedule, with its bounds and (month, day of week) its names. */
interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names of min, min + 1, ...; matched without regard to case, as robfig/cron does. */
  readonly names?: readonly string[];
}

const FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

/** Days in each month, February in a leap year (robfig/cron looks five years ahead). */
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Go's `time.ParseDuration` units, in milliseconds. */
const GO_DURATION_UNITS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1e3, m: 6e4, h: 3.6e6 };

/** The shortest `@every` interval accepted: the controller would otherwise start Jobs back to back. */
const MIN_EVERY_MS = 6e4;

/** The values one field selects, and whether it was written with `*` or `?` (robfig's star bit). */
interface FieldValues {
  readonly values: ReadonlySet<number>;
  readonly star: boolean;
}

function allowed(f: CronField): string {
  return `${f.min}-${f.max}${f.names ? ` or ${f.names[0]}-${f.names[f.names.length - 1]}` : ''}`;
}

/** A token of the schedule as it appears in a reason, cut when long. */
function token(text: string): string {
  return /^[0-9]{1,9}$/.test(text) ? text : quote(text);
}

/** Milliseconds of a Go duration (`1h30m`, `90s`, `1.5h`), or undefined when it is not one. */
function goDurationMs(text: string): number | undefined {
  const m = /^[-+]?((?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:ns|us|\u00b5s|\u03bcs|ms|s|m|h))+|0)$/u.exec(text);
  if (!m) return undefined;
  let ms = 0;
  for (const part of m[1]!.matchAll(/([0-9.]+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/gu)) ms += Number(part[1]) * GO_DURATION_UNITS[part[2]!]!;
  return text.startsWith('-') ? -ms : ms;
}

/**
 * A CronJob schedule as Kubernetes accepts it. The CronJob controller parses schedules with
 * robfig/cron v3 `ParseStandard`, so this accepts what that parser accepts: five fields; lists;
 * ranges `a-b`; steps on a star, a range (`0-30/5`) or a single value (`5/15`: from 5 to the
 * field's end); `?` as a star; JAN-DEC and SUN-SAT in any case; the macros @yearly, @annually,
 * @monthly, @weekly, @daily, @midnight, @hourly and `@every <Go duration>`. It refuses what the API
 * server refuses (`TZ=` and `CRON_TZ=`, day of week 7, @reboot, a step of 0) and, stricter than
 * robfig/cron, what is certainly a mistake: empty list items (`1,,2`), a step longer than its field
 * (every 90 minutes written as a minute step fires at minute 0 only), a star with a range (`*-5`),
 * a schedule that never fires (`0 0 30 2 *`) and `@every` under a minute.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#schedule-syntax
 */
export class CronSchedule {
  /** The macros Kubernetes accepts for a whole schedule. */
  public static readonly MACROS: readonly string[] = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

  /** Parses `text`; throws a {@link ValueError} listing every problem when it is not a schedule. */
  public static parse(text: string): CronSchedule {
    const reasons = text.startsWith('@') ? CronSchedule.macroProblems(text) : CronSchedule.fieldProblems(text);
    if (reasons.length > 0) throw new ValueError(text, 'a cron schedule', reasons);
    return new CronSchedule(text);
  }

  private static macroProblems(text: string): string[] {
    if (CronSchedule.MACROS.includes(text)) return [];
    if (text.startsWith('@every ')) {
      const interval = text.slice('@every '.length);
      const ms = goDurationMs(interval);
      if (ms === undefined) return [`${quote(interval)} is not a Go duration such as 90m or 1h30m`];
      return ms < MIN_EVERY_MS ? [`@every needs an interval of at least 1m, got ${quote(interval)}`] : [];
    }
    if (text === '@reboot') return ['Kubernetes does not accept @reboot'];
    return [`unknown macro ${quote(text)} (allowed: ${CronSchedule.MACROS.join(', ')}, @every <duration>)`];
  }

  private static fieldProblems(text: string): string[] {
    if (text.includes('TZ')) return ['Kubernetes refuses TZ= and CRON_TZ= in a schedule (a CronJob sets its zone in spec.timeZone)'];
    const parts = text.trim().split(/\s+/u).filter((p) => p !== '');
    if (parts.length !== FIELDS.length) {
      return [`has ${parts.length} field${parts.length === 1 ? '' : 's'}, needs 5: minute, hour, day of month, month, day of week`];
    }
    const reasons: string[] = [];
    const fields = FIELDS.map((f, i) => CronSchedule.field(f, parts[i]!, reasons));
    if (reasons.length === 0) {
      const [, , dom, month, dow] = fields as [FieldValues, FieldValues, FieldValues, FieldValues, FieldValues];
      // robfig/cron ANDs day of month and day of week when either is `*` or `?`, and ORs them otherwise.
      const anyDay = [...month.values].some((m) => [...dom.values].some((d) => d <= DAYS_IN_MONTH[m - 1]!));
      if (dow.star && !dom.star && !anyDay) reasons.push('never fires: no selected month has any of the selected days of month');
    }
    return reasons;
  }

  /** The values of one field; pushes a reason for each problem of its list items. */
  private static field(f: CronField, text: string, reasons: string[]): FieldValues {
    const values = new Set<number>();
    let star = false;
    for (const item of text.split(',')) {
      if (item === '') {
        reasons.push(`${f.name} ${quote(text)} has an empty list item`);
        continue;
      }
      const [range, step, ...extra] = item.split('/') as [string, string | undefined, ...string[]];
      if (extra.length > 0) {
        reasons.push(`${f.name} ${quote(item)} has more than one "/"`);
        continue;
      }
      let bounds: [number, number] | undefined;
      if (range === '*' || range === '?') {
        star = true;
        bounds = [f.min, f.max];
      } else {
        const ends = range.split('-');
        if (ends.length > 2) {
          reasons.push(`${f.name} ${quote(item)} has more than one "-"`);
          continue;
        }
        const [low, high] = ends.map((e) => CronSchedule.value(f, e, reasons));
        if (low === undefined || (ends.length === 2 && high === undefined)) continue;
        // A single value with a step runs from it to the field's end, as in robfig/cron.
        bounds = [low, ends.length === 2 ? high! : step !== undefined ? f.max : low];
        if (bounds[0] > bounds[1]) {
          reasons.push(`${f.name} range ${token(range)} runs backwards (write the lower bound first)`);
          continue;
        }
      }
      let every = 1;
      if (step !== undefined) {
        if (!/^[0-9]+$/.test(step) || Number(step) < 1 || Number(step) > f.max - f.min) {
          reasons.push(`${f.name} step ${token(step)} must be a whole number from 1 to ${f.max - f.min}`);
          continue;
        }
        every = Number(step);
      }
      for (let v = bounds[0]; v <= bounds[1]; v += every) values.add(v);
    }
    return { values, star };
  }

  /** A number or name of field `f`, or undefined (with a reason pushed) when it is neither or out of range. */
  private static value(f: CronField, text: string, reasons: string[]): number | undefined {
    const named = f.names?.indexOf(text.toUpperCase()) ?? -1;
    if (named >= 0) return f.min + named;
    if (!/^[0-9]+$/.test(text)) {
      reasons.push(`${f.name} ${token(text)} is not a number${f.names ? ' or name' : ''} in ${allowed(f)}`);
      return undefined;
    }
    const n = Number(text);
    if (n < f.min || n > f.max) {
      const sunday = f.name === 'day of week' && n === 7 ? ' (Kubernetes has no 7 for Sunday: write 0 or SUN)' : '';
      reasons.push(`${f.name} ${token(text)} is not in ${allowed(f)}${sunday}`);
      return undefined;
    }
    return n;
  }

  private constructor(
    /** The schedule as written, which is what the CronJob gets. */
    public readonly text: string,
  ) {}

  public toString(): string {
    return this.text;
  }
}
