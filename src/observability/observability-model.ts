import { alertmanagerFile, ALERT_ROUTING, type AlertRouting } from './alertmanager.ts';
import { SPEC_ALERTS } from './alerts.ts';
import { METRICS, MetricsCatalogue } from './metrics-catalogue.ts';
import { RuleSet, unitTestFile } from './rule-set.ts';
import { ALERT_RUNBOOKS, burnRateRunbook, renderRunbook, RUNBOOK_BASE_URL, SPEC_RUNBOOKS, type Runbook } from './runbooks.ts';
import { SPEC_SLOS } from './slos.ts';

/** Paths of the generated files, relative to the output root. */
export const OPS_PATHS = {
  rules: 'ops/prometheus/alerts.yaml',
  tests: 'ops/prometheus/tests',
  runbooks: RUNBOOK_BASE_URL,
  alertmanager: 'ops/alertmanager/alertmanager.yaml',
} as const;

/**
 * Everything operators watch and how they react (spec sections 7, 8 and 13), as one model:
 * the metrics catalogue, the rules, the runbooks and the alert routing. Every output (rule file,
 * PrometheusRule, promtool tests, runbooks, Alertmanager config) is rendered from it.
 */
export class ObservabilityModel {
  public readonly catalogue: MetricsCatalogue;
  public readonly rules: RuleSet;
  public readonly routing: AlertRouting;

  public constructor() {
    this.catalogue = new MetricsCatalogue(METRICS);
    this.rules = new RuleSet(SPEC_ALERTS, SPEC_SLOS, RUNBOOK_BASE_URL);
    this.routing = ALERT_ROUTING;
  }

  /** R1-R5, the threshold alerts' runbooks, and one per burn-rate alert. */
  public get runbooks(): readonly Runbook[] {
    const burn = this.rules.alerts.flatMap((a) => {
      const slo = this.rules.slos.find((s) => s.name === a.rule.labels['slo']);
      return slo ? [burnRateRunbook(a, slo)] : [];
    });
    return [...SPEC_RUNBOOKS, ...ALERT_RUNBOOKS, ...burn];
  }

  /**
   * Every problem of the model, each naming the alert, rule or runbook: expressions that do not
   * parse or select uncatalogued metrics, runbook links to nothing, runbooks nothing links to.
   */
  public check(): string[] {
    const problems = this.rules.check(this.catalogue);
    const runbooks = new Set(this.runbooks.map((r) => r.name));
    const linked = new Set<string>();
    for (const a of this.rules.alerts) {
      linked.add(a.runbook);
      if (!runbooks.has(a.runbook)) problems.push(`alerts/${a.rule.alert} runbook_url: no runbook "${a.runbook}" in ${RUNBOOK_BASE_URL}/`);
    }
    const spec = new Set(SPEC_RUNBOOKS.map((r) => r.name));
    for (const r of runbooks) if (!linked.has(r) && !spec.has(r)) problems.push(`runbooks/${r}: no alert links to it`);
    return problems;
  }

  /** Paths of every file {@link files} produces, known without rendering them. */
  public paths(): string[] {
    return [
      OPS_PATHS.rules,
      ...this.rules.alerts.map((a) => `${OPS_PATHS.tests}/${unitTestFile(a.rule.alert)}`),
      ...this.runbooks.map((r) => `${OPS_PATHS.runbooks}/${r.name}.md`),
      OPS_PATHS.alertmanager,
    ];
  }

  /** Every file under ops/ the model produces, by path relative to the output root. */
  public files(): Map<string, string> {
    const files = new Map<string, string>([[OPS_PATHS.rules, this.rules.ruleFile()]]);
    for (const [name, content] of this.rules.unitTests('../alerts.yaml')) files.set(`${OPS_PATHS.tests}/${name}`, content);
    for (const r of this.runbooks) files.set(`${OPS_PATHS.runbooks}/${r.name}.md`, renderRunbook(r));
    files.set(OPS_PATHS.alertmanager, alertmanagerFile(this.routing));
    return files;
  }
}
