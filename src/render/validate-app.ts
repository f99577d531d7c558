import type { App, Chart } from 'cdk8s';
import type { IConstruct } from 'constructs';

/**
 * Runs the validations of every construct of `app` once and returns their problems, each
 * prefixed with the construct's path. cdk8s's `Chart.toJson()` runs every validation of the
 * whole app again for each chart it renders (n charts, n + 1 runs of each); after this call each
 * construct answers with the problems found here, so rendering the charts checks nothing twice
 * and skips nothing. Call it once the app is built: the answers are those of the tree as it is.
 */
export function validateApp(app: App): string[] {
  const issues: string[] = [];
  for (const c of app.node.findAll()) {
    const problems = c.node.validate();
    pin(c, problems);
    for (const message of problems) issues.push(`${c.node.path}: ${message}`);
  }
  return issues;
}

function pin(c: IConstruct, problems: string[]): void {
  Object.defineProperty(c.node, 'validate', { value: () => [...problems], configurable: true });
}

/**
 * Each chart's objects (`Chart.toJson()`) by chart id, in the app's chart order, the app
 * validated once ({@link validateApp}). Throws when a construct's validation fails, as
 * `Chart.toJson()` does.
 */
export function chartsJson(app: App, only?: (chart: Chart) => boolean): Map<string, unknown[]> {
  const issues = validateApp(app);
  if (issues.length > 0) throw new Error(`Validation failed with the following errors:\n  ${issues.join('\n  ')}`);
  return new Map(app.charts.filter((c) => only?.(c) ?? true).map((c) => [c.node.id, c.toJson() as unknown[]] as const));
}
