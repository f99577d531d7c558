/**
 * Markers that stand for Helm template expressions while constructs render. A construct renders
 * a marker exactly as it would render the real value (a string where a string goes, a number
 * where a number goes), so the same code produces both `dist/` and the chart templates; the
 * templater then swaps each marker for its expression.
 */
export class Sentinels {
  private readonly strings = new Map<string, string>();
  private readonly numbers = new Map<number, string>();
  private readonly wholes = new Map<string, string>();
  private readonly lists = new Map<string, string>();
  private readonly conditions = new Map<number, string>();

  /** A string marker for `expression` (a Go template expression without braces). Valid in names and labels. */
  public string(expression: string): string {
    const marker = `zzhv${String(this.strings.size).padStart(4, '0')}zz`;
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
    const marker = 987_000_000 + this.numbers.size;
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

  /** String markers and their expressions. */
  public stringMarkers(): ReadonlyMap<string, string> {
    return this.strings;
  }

  /** Number markers and their expressions. */
  public numberMarkers(): ReadonlyMap<number, string> {
    return this.numbers;
  }
}

/** Matches any string marker. */
export const STRING_MARKER = /zzhv\d{4}zz/g;
