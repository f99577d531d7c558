/**
 * A Kubernetes resource quantity (`500m`, `2`, `512Mi`, `50Gi`), kept as written and comparable
 * by value.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
 */
export class Quantity {
  private static readonly SUFFIX: Readonly<Record<string, number>> = {
    '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15,
    Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50,
  };

  /** Parses `text`; throws naming the text when it is not a quantity. */
  public static parse(text: string): Quantity {
    const m = /^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|P|Ki|Mi|Gi|Ti|Pi)?$/.exec(text);
    if (!m) throw new Error(`"${text}" is not a Kubernetes quantity (for example 500m, 2, 512Mi)`);
    return new Quantity(text, Number(m[1]) * Quantity.SUFFIX[m[2] ?? '']!);
  }

  private constructor(
    /** The quantity as written. */
    public readonly text: string,
    /** The value in base units (cores or bytes). */
    public readonly value: number,
  ) {}

  public toString(): string {
    return this.text;
  }
}
