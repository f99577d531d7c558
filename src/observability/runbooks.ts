import type { MissingDataWatch } from './missing-data.ts';
import type { ModelAlert } from './rule-set.ts';
import type { SloDefinition } from './slos.ts';

/** An SRE playbook (spec section 13), rendered to `ops/runbooks/<name>.md`. */
export interface Runbook {
  /** File name without `.md`, e.g. `r1-snapshot-stale`. */
  readonly name: string;
  readonly title: string;
  /** What the alert or situation means. */
  readonly meaning: string;
  /** Who or what is affected while it lasts. */
  readonly impact: string;
  /** Steps to find the cause. */
  readonly diagnosis: readonly string[];
  /** Steps to restore service. */
  readonly mitigation: readonly string[];
  /** Whom to involve, and when. */
  readonly escalation: string;
  /** Checks that prove the mitigation worked (a restore, a failover). @default - none */
  readonly verification?: readonly string[];
  /** The game days that rehearse it (spec section 16: runbooks validated in game days). @default - none */
  readonly gameDays?: readonly GameDay[];
  /**
   * Shell commands to diagnose and mitigate, `<namespace>` standing for the environment's
   * namespace: rendered once per environment with its namespace, so each block can be pasted
   * as it is.
   * @default - none
   */
  readonly commands?: readonly string[];
}

/** An environment the runbooks give commands for. */
export interface RunbookEnvironment {
  readonly name: string;
  readonly namespace: string;
  /**
   * The stack's components that do not run there (optional ones switched off): a runbook whose
   * alerts are about one of them gives no commands for this environment.
   * @default - every component runs there
   */
  readonly absent?: readonly string[];
}

/** A dashboard panel a runbook links to. */
export interface RunbookPanel {
  readonly dashboardUid: string;
  readonly dashboardTitle: string;
  readonly panelId: number;
  readonly panelTitle: string;
  /** The dashboard's file, relative to the runbook. */
  readonly file: string;
}

/** What the model adds to a runbook when it renders it: its environments, the alerts linking to it and their panel. */
export interface RunbookContext {
  /** The environments to give commands for; none, no commands. @default - commands are rendered once, with `<namespace>` left for the reader */
  readonly environments?: readonly RunbookEnvironment[];
  /** The alerts linking to the runbook: name and PromQL. @default - none */
  readonly alerts?: readonly { readonly name: string; readonly expr: string }[];
  /** The panel showing what the alerts measure. @default - none */
  readonly panel?: RunbookPanel;
}

/** The placeholder of {@link Runbook.commands} replaced by each environment's namespace. */
export const NAMESPACE_PLACEHOLDER = '<namespace>';

/** A rehearsal of a runbook: an experiment that causes the situation on purpose, and what must hold. */
export interface GameDay {
  readonly title: string;
  /** The experiment's file, relative to the output root; `<env>` stands for the environment. */
  readonly experiment: string;
  /** How to run it, in order. */
  readonly run: readonly string[];
  /** What must hold during and after it. */
  readonly mustHold: readonly string[];
  /** How to stop it early. */
  readonly abort: readonly string[];
}

/** What the runbook of each burn-rate alert says beyond its SLO: the stack's own people and runbooks. */
export interface BurnRateRunbookText {
  /** Whom a paging (P1 or P2) burn-rate alert involves, and when; a P3 one opens a ticket. */
  readonly escalation: string;
  /** The threshold alerts whose runbooks apply beside a burn-rate alert, e.g. `R1, R2 or LatencyHigh`. */
  readonly thresholdRunbooks: string;
}

/** One runbook per burn-rate alert, from its SLO and the stack's text. */
export function burnRateRunbook(alert: ModelAlert, slo: SloDefinition, text: BurnRateRunbookText): Runbook {
  return {
    name: alert.runbook,
    title: alert.rule.alert,
    meaning: alert.rule.annotations['description'] ?? '',
    impact: `At this rate the ${slo.name} objective (${slo.objective * 100}%) misses its monthly error budget: users see ${slo.meaning}s.`,
    diagnosis: [
      `Open the dashboard of ${slo.service} and find where the bad events come from.`,
      'Check recent deployments and configuration changes (`git log dist/`).',
    ],
    mitigation: ['Roll back the last change if it correlates.', `Follow the runbook of the threshold alert firing beside this one (${text.thresholdRunbooks}).`],
    escalation: alert.rule.labels['priority'] === 'P3' ? 'Open a ticket for the owning team (P3).' : text.escalation,
  };
}

/** The Watchdog's runbook: what its silence means, for whoever the heartbeat service alarms. */
export function watchdogRunbook(alert: ModelAlert): Runbook {
  return {
    name: alert.runbook,
    title: alert.rule.alert,
    meaning: `${alert.rule.annotations['description'] ?? ''} The heartbeat service alarms when it has not heard it for longer than it expects.`,
    impact: 'While it is silent no alert may reach anyone: every page and ticket of the stack can be lost.',
    diagnosis: [
      'Check that Prometheus runs and evaluates the rules (`/rules`, the rule group\'s last evaluation).',
      'Check that the Alertmanager runs, lists the Watchdog (`amtool alert query alertname=Watchdog`) and reaches the heartbeat service (its notification logs).',
      'Check that the PrometheusRule and the AlertmanagerConfig are still selected by the operator (their namespace and labels).',
    ],
    mitigation: ['Restore the failing part (Prometheus, Alertmanager, their network path to the heartbeat service).', 'Until then watch the dashboards by hand.'],
    escalation: 'Page the platform on-call through the heartbeat service; it is the only path left.',
  };
}

/**
 * The runbook of a component's missing-data alert: which series, what goes blind, and the
 * commands and queries that tell a target down from a target gone or a metric renamed.
 * @param workload whether the component runs in the stack (its pods and monitor can be listed)
 */
export function missingDataRunbook(alert: ModelAlert, watch: MissingDataWatch, workload: boolean): Runbook {
  const selector = `app.kubernetes.io/name=${watch.owner}`;
  return {
    name: alert.runbook,
    title: alert.rule.alert,
    meaning: alert.rule.annotations['description'] ?? '',
    impact: `${watch.readers.join(', ')} read these series: while they are missing those alerts stay silent whatever happens, so this alert pages as the highest of them would (${watch.priority}).`,
    diagnosis: [
      'Find which metric is missing: run the alert\'s query below, one `absent(...)` at a time.',
      workload
        ? `Check the ${watch.owner} pods and their monitor (commands below): pods not Ready or gone, a monitor selecting no pod, or a metrics port renamed.`
        : `The series come from ${watch.owner}, outside this stack: check that it runs and that Prometheus scrapes it (its target in Prometheus' /targets page).`,
      'Look for the target in Prometheus\' /targets page: a scrape error names the cause (connection refused, 401, timeout).',
      'If the target is up but one metric is gone, a release renamed or dropped it: compare the exporter\'s /metrics with the catalogue.',
    ],
    mitigation: [
      workload ? `Restore the ${watch.owner} pods (roll back the last release if it correlates).` : `Restore ${watch.owner} or its scrape configuration.`,
      'If a metric was renamed on purpose, change the catalogue and the rules reading it in the same release.',
    ],
    escalation: watch.priority === 'P3' ? 'Open a ticket for the owning team (P3).' : `Page the on-call of ${watch.owner} (${watch.priority}): until the data is back its alerts cannot page.`,
    ...(workload
      ? {
          commands: [
            `kubectl -n ${NAMESPACE_PLACEHOLDER} get pods -l ${selector} -o wide`,
            `kubectl -n ${NAMESPACE_PLACEHOLDER} get podmonitors,servicemonitors -l ${selector} -o yaml`,
            `kubectl -n ${NAMESPACE_PLACEHOLDER} logs -l ${selector} --all-containers --prefix --tail=100`,
          ],
        }
      : {}),
  };
}

/** The commands' blocks: one per environment, the namespace filled in; one with the placeholder when no environment is known. */
function commandBlocks(commands: readonly string[], environments: readonly RunbookEnvironment[] | undefined): string {
  const block = (ns?: string): string => '```sh\n' + commands.map((c) => (ns ? c.split(NAMESPACE_PLACEHOLDER).join(ns) : c)).join('\n') + '\n```';
  if (environments === undefined) return block();
  return environments.map((e) => `### ${e.name} (namespace \`${e.namespace}\`)\n\n${block(e.namespace)}`).join('\n\n');
}

/** The runbook as Markdown: its text, the PromQL of the alerts linking to it, their panel, and its commands per environment. */
export function renderRunbook(r: Runbook, context: RunbookContext = {}): string {
  const list = (items: readonly string[]): string => items.map((i, n) => `${n + 1}. ${i}`).join('\n');
  const alerts = context.alerts ?? [];
  const p = context.panel;
  return [
    `<!-- Generated by \`npm run synth\` from src/observability/runbooks.ts; do not edit. -->`,
    `# ${r.title}`,
    `## Meaning\n\n${r.meaning}`,
    `## Impact\n\n${r.impact}`,
    ...(alerts.length > 0 ? [`## Alert query\n\n${alerts.map((a) => `${a.name}:\n\n\`\`\`promql\n${a.expr}\n\`\`\``).join('\n\n')}`] : []),
    ...(p
      ? [
          `## Dashboard\n\n[${p.dashboardTitle} › ${p.panelTitle}](${p.file}) in Grafana: \`/d/${p.dashboardUid}?viewPanel=${p.panelId}\``,
        ]
      : []),
    `## Diagnosis\n\n${list(r.diagnosis)}`,
    // No environment left (what the runbook is about runs in none): no commands to give.
    ...(r.commands && r.commands.length > 0 && context.environments?.length !== 0 ? [`## Commands\n\n${commandBlocks(r.commands, context.environments)}`] : []),
    `## Mitigation\n\n${list(r.mitigation)}`,
    ...(r.verification ? [`## Verification\n\n${list(r.verification)}`] : []),
    `## Escalation\n\n${r.escalation}`,
    ...(r.gameDays ?? []).map(
      (g) =>
        `## Game day: ${g.title}\n\nExperiment: \`${g.experiment}\`\n\n### How to run\n\n${list(g.run)}\n\n` +
        `### What must hold\n\n${list(g.mustHold)}\n\n### How to abort\n\n${list(g.abort)}`,
    ),
  ].join('\n\n') + '\n';
}
