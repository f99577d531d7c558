import { ApiObject, Chart, DependencyGraph, type App } from 'cdk8s';
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
 * Each chart's objects by chart id, in the app's chart order (those `only` keeps), the app
 * validated once ({@link validateApp}). Throws when a construct's validation fails, as
 * `Chart.toJson()` does.
 *
 * The first chart renders through `Chart.toJson()`, which also turns the constructs'
 * dependencies into dependencies between API objects, for the whole app. cdk8s does that again
 * for every chart, walking the whole app each time (the cost of n charts grows as n²); the
 * others render as `toJson()` then does, from their own chart's dependency graph only.
 */
export function chartsJson(app: App, only: (chart: Chart) => boolean = () => true): Map<string, unknown[]> {
  const issues = validateApp(app);
  if (issues.length > 0) throw new Error(`Validation failed with the following errors:\n  ${issues.join('\n  ')}`);
  const charts = app.charts;
  const out = new Map<string, unknown[]>();
  charts.forEach((chart, i) => {
    if (i === 0) {
      const first = chart.toJson() as unknown[];
      if (only(chart)) out.set(chart.node.id, first);
    } else if (only(chart)) {
      out.set(chart.node.id, chartObjects(chart));
    }
  });
  return out;
}

/** The objects of the charts `ids` of `app`, in the app's order, as one list (a Helm chart holding several of them). */
export function chartsObjects(app: App, ids: readonly string[]): unknown[] {
  return [...chartsJson(app, (c) => ids.includes(c.node.id)).values()].flat();
}

/** What `Chart.toJson()` renders once the app's dependencies are resolved: the chart's own API objects in dependency order. */
function chartObjects(chart: Chart): unknown[] {
  return new DependencyGraph(chart.node)
    .topology()
    .filter((x): x is ApiObject => x instanceof ApiObject && Chart.of(x) === chart)
    .map((o) => o.toJson() as unknown);
}
