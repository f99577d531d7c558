import { num } from './_duration.ts';
import { Dashboard, Panel, SLO_TAG, Target } from './grafana.ts';
import type { ModelAlert } from './rule-set.ts';
import { DEFAULT_SLO_WINDOW, errorRatioRecord, SLO_WINDOWS, type SloDefinition } from './slos.ts';

/** Props of {@link sloDashboard}. */
export interface SloDashboardProps {
  readonly slo: SloDefinition;
  /** Prefix of the rules' recordings (the observability model's name), e.g. `shop`. */
  readonly rules: string;
  /** The stack in the dashboard's title, e.g. `Shop`. */
  readonly stackTitle: string;
  /** The SLO's burn-rate alerts: a panel per window pair, linking to the alert's runbook. */
  readonly alerts: readonly ModelAlert[];
}

/** Uid of the dashboard of the SLO `slo` in the rules named `rules`. */
export function sloDashboardUid(rules: string, slo: string): string {
  return `${rules}-slo-${slo}`;
}

/**
 * The dashboard of one SLO, from the SLO model and the rules recorded for it: the SLI and the
 * error budget left over the SLO's window (the average of the shortest recorded error ratio over
 * the window, as Sloth computes it: cheap, and exact when traffic is even), and for each
 * burn-rate alert the burn rate of its long and short windows against the factor it fires at.
 * The objective sets the thresholds, the budget the burn rates are divided by, and the titles.
 */
export function sloDashboard(props: SloDashboardProps): Dashboard {
  const { slo, rules } = props;
  const window = slo.window ?? DEFAULT_SLO_WINDOW;
  const budget = 1 - slo.objective;
  const objective = `${num(slo.objective * 100)}%`;
  const selector = `{slo="${slo.name}"}`;
  const shortest = SLO_WINDOWS[0]!;
  const ratio = `${errorRatioRecord(rules, shortest)}${selector}`;
  const remaining = `1 - avg_over_time(${ratio}[${window}]) / ${num(budget)}`;
  const bad = `a bad event is ${slo.meaning}`;
  const budgetColors = { baseColor: 'red', thresholds: [{ value: 0, color: 'orange' }, { value: 0.25, color: 'green' }] };
  const burns = props.alerts.flatMap((a) => (a.burn && a.burn.slo.name === slo.name ? [{ alert: a.rule.alert, w: a.burn.window }] : []));
  return new Dashboard({
    uid: sloDashboardUid(rules, slo.name),
    title: `${props.stackTitle} / SLO / ${slo.name}`,
    tags: [SLO_TAG, slo.service],
    description: `The ${slo.name} SLO: ${objective} of events good over ${window}; ${bad}.`,
    component: slo.service,
  }).add(
    new Panel({
      title: `SLI over ${window} (objective ${objective})`,
      type: 'stat',
      unit: 'percentunit',
      baseColor: 'red',
      thresholds: [{ value: slo.objective, color: 'green' }],
      description: `Share of good events over the last ${window} (${bad}): 1 minus the average ${shortest} error ratio. Green from the objective, ${objective}.`,
      targets: [Target.query(`1 - avg_over_time(${ratio}[${window}])`, '{{namespace}}')],
    }),
    new Panel({
      title: `Error budget remaining over ${window}`,
      type: 'stat',
      unit: 'percentunit',
      ...budgetColors,
      description: `Share of the ${num(budget * 100)}% error budget of the ${objective} objective not yet spent over the last ${window}; below 0 the objective is missed.`,
      targets: [Target.query(remaining, '{{namespace}}')],
    }),
    new Panel({
      title: 'SLI',
      type: 'timeseries',
      unit: 'percentunit',
      baseColor: 'red',
      thresholds: [{ value: slo.objective, color: 'green' }],
      description: `Share of good events over each ${shortest} (${bad}), against the ${objective} objective.`,
      targets: [Target.query(`1 - ${ratio}`, '{{namespace}}')],
    }),
    new Panel({
      title: 'Error budget remaining',
      type: 'timeseries',
      unit: 'percentunit',
      ...budgetColors,
      description: `Share of the error budget left over the ${window} before each point.`,
      targets: [Target.query(remaining, '{{namespace}}')],
    }),
    ...burns.map(
      ({ alert, w }) =>
        new Panel({
          title: `Burn rate over ${w.long} and ${w.short} (${w.speed})`,
          type: 'timeseries',
          unit: 'none',
          thresholds: [{ value: w.factor }],
          description: `How fast the error budget burns: the error ratio over each window divided by the ${num(budget * 100)}% budget (1 spends it in exactly ${window}). ${alert} (${w.priority}) fires while both exceed ${w.factor}.`,
          alerts: [alert],
          targets: [w.long, w.short].map((d) => Target.query(`${errorRatioRecord(rules, d)}${selector} / ${num(budget)}`, `{{namespace}} ${d}`)),
        }),
    ),
  );
}
