/**
 * Markers that stand for Helm template expressions while constructs render. A construct renders
 * a marker exactly as it would render the real value (a string where a string goes, a number
 * where a number goes), so the same code produces both `dist/` and the chart templates; the
 * templater then swaps each marker for its expression.
 */
export class Sentinels {
  /**
   * @param namespace Numbers this instance's markers apart from those of other instances whose
   * markers meet in one model (the charts one app renders, componentCharts). 0 to 99. @default 0
   */
  public constructor(private readonly namespace = 0) {
    if (!Number.isInteger(namespace) || namespace < 0 || namespace >= NAMESPACES) throw new Error(`sentinels namespace must be a whole number from 0 to ${NAMESPACES - 1}, got ${namespace}`);
  }

  private readonly strings = new Map<string, string>();
  private readonly numbers = new Map<number, string>();
  private readonly wholes = new Map<string, string>();
  private readonly lists = new Map<string, string>();
  private readonly conditions = new Map<number, string>();

  /** A string marker for `expression` (a Go template expression without braces). Valid in names and labels. */
  public string(expression: string): string {
    const marker = `zzhv${String(this.namespace).padStart(2, '0')}${String(this.next(this.strings.size)).padStart(4, '0')}zz`;
    this.strings.set(marker, expression);
    return marker;
  }

  /**
   * A string marker for a whole object or list (resources, host names): the construct renders it
   * as a string, and the chart renders the value with `toJson`, which is valid YAML flow.
   */
  public object<T>(expression: string): T {
    const marker = this.string(expression);
    this.wholes.set(marker, `toJson ${expression}`);
    return marker as unknown as T;
  }

  /**
   * A one-item list standing for a list of strings (CIDRs, host names): the chart renders one
   * item per element of `expression`.
   */
  public list(expression: string): string[] {
    const marker = this.string(expression);
    this.lists.set(marker, expression);
    return [marker];
  }

  /** List-item markers and the list expression each stands for. */
  public listMarkers(): ReadonlyMap<string, string> {
    return this.lists;
  }

  /** Declares that a scalar rendering exactly as `literal` comes from `expression` (composite values). */
  public literal(literal: string, expression: string): void {
    this.wholes.set(literal, expression);
  }

  /** Whole scalars (object markers, composites) and the expression rendering them unquoted. */
  public wholeValues(): ReadonlyMap<string, string> {
    return this.wholes;
  }

  /** A number marker for `expression`. */
  public number(expression: string): number {
    const marker = NUMBER_BASE + this.namespace * PER_NAMESPACE + this.next(this.numbers.size);
    this.numbers.set(marker, expression);
    return marker;
  }

  /**
   * A number marker for `expression` whose whole field the chart renders only when `condition`
   * holds, e.g. a Deployment's `replicas` when no autoscaler owns them.
   */
  public numberIf(condition: string, expression: string): number {
    const marker = this.number(expression);
    this.conditions.set(marker, condition);
    return marker;
  }

  /** Number markers whose field is conditional, and the condition of each. */
  public numberConditions(): ReadonlyMap<number, string> {
    return this.conditions;
  }

  private next(size: number): number {
    if (size >= PER_NAMESPACE) throw new Error(`more than ${PER_NAMESPACE} markers of one kind in sentinels namespace ${this.namespace}`);
    return size;
  }

  /** Whether `value` is one of this instance's string or number markers. */
  public owns(value: string | number): boolean {
    return typeof value === 'string' ? this.strings.has(value) : this.numbers.has(value);
  }

  /** String markers and their expressions. */
  public stringMarkers(): ReadonlyMap<string, string> {
    return this.strings;
  }

  /** Number markers and their expressions. */
  public numberMarkers(): ReadonlyMap<number, string> {
    return this.numbers;
  }
}

/** `$.Values.<dotted>`, or `index $.Values.<dotted> "<key>"...`, maybe in parentheses, after `toJson` or before `| quote`. */
const VALUE_READ = /^(?:toJson )?(\()?(index )?\$\.Values\.([\w.-]+)((?: "[^"\\]*")*)\)?(?: \| quote)?$/;

/**
 * The value an expression reads as it is, as its path under `.Values` (`$.Values.sync.image |
 * quote`, `toJson (index $.Values.configFiles "config")`); undefined for any other expression (a
 * helper, a release field, a condition), whose rendering the values alone do not give.
 */
export function valuePathOf(expression: string): string[] | undefined {
  const m = VALUE_READ.exec(expression);
  if (!m) return undefined;
  const [, paren, index, dotted = '', keys = ''] = m;
  if ((keys !== '') !== (index !== undefined) || (paren !== undefined) !== expression.includes(')')) return undefined;
  return [...dotted.split('.'), ...[...keys.matchAll(/"([^"]*)"/g)].map((k) => k[1]!)];
}

const NAMESPACES = 100;
const PER_NAMESPACE = 10_000;
const NUMBER_BASE = 987_000_000;

/** A string marker: `zzhv`, two digits of namespace, four of number, `zz`. */
const MARKER = 'zzhv\\d{6}zz';

/** Matches any string marker. */
export const STRING_MARKER = new RegExp(MARKER, 'g');
const WHOLE_MARKER = new RegExp(`^${MARKER}$`);

/** Whether `value` is a marker of any {@link Sentinels} instance: a whole string marker, or a number marker. */
export function isMarker(value: unknown): value is string | number {
  if (typeof value === 'string') return WHOLE_MARKER.test(value);
  return typeof value === 'number' && Number.isInteger(value) && value >= NUMBER_BASE && value < NUMBER_BASE + NAMESPACES * PER_NAMESPACE;
}
