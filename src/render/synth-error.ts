import { printable } from '../lib/values/index.ts';

/** Every problem found while rendering one environment, reported together. */
export class SynthError extends Error {
  public constructor(
    public readonly environment: string,
    public readonly issues: readonly string[],
  ) {
    super(issues.map((i) => printable(`[${environment}] ${i}`)).join('\n'));
    this.name = 'SynthError';
  }
}
