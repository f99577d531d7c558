import { posix } from 'node:path';
import { alertmanagerFile, type AlertRouting } from './alertmanager.ts';
import type { AlertDefinition } from './alerts.ts';
import { ALERTS_SERIES, dashboardAnnotations, WORKLOAD_GENERATION_METRICS } from './dashboard-annotations.ts';
import type { Dashboard, DashboardContext } from './grafana.ts';
import { MetricsCatalogue, type MetricDefinition } from './metrics-catalogue.ts';
import { selectedMetrics } from './promql.ts';
import { recordingTestFile, RuleSet, unitTestFile, type ModelAlert } from './rule-set.ts';
import {
  burnRateRunbook,
  missingDataRunbook,
  NAMESPACE_PLACEHOLDER,
  renderRunbook,
  watchdogRunbook,
  type BurnRateRunbookText,
  type Runbook,
  type RunbookContext,
  type RunbookEnvironment,
  type RunbookPanel,
} from './runbooks.ts';
import { sloDashboard, sloDashboardUid } from './slo-dashboard.ts';
import type { SloDefinition } from './slos.ts';

/** Props of {@link ObservabilityModel}. */
export interface ObservabilityModelProps {
  /** Names the rule groups (`<name>.alerts`) and the SLO recording rules (`<name>_slo:...`), e.g. the stack's name. */
  readonly name: string;
  /** The stack in dashboard titles and links, e.g. `ShopDB`. @default - the name, capitalized */
  readonly title?: string;
  /** Folder of the generated files below the output root: `ops` for the primary stack, else `ops/<stack>`. */
  readonly opsRoot: string;
  /**
   * Absolute URL of the output root as people browse it (the repository's files on its main
   * branch), without a trailing slash: every `runbook_url` is `<base>/<opsRoot>/runbooks/<name>.md`,
   * a link a notification can open.
   */
  readonly runbookBaseUrl: string;
  /**
   * Namespace of the promtool tests' input: every input series carries it (as the operator's
   * scrape adds it) and every alert must keep it, for a namespaced route
   * (prometheus-operator's AlertmanagerConfig only receives alerts of its namespace).
   * @default - alerts need not carry a namespace
   */
  readonly testNamespace?: string;
  /** Every metric the rules and dashboards may read. */
  readonly metrics: readonly MetricDefinition[];
  readonly alerts: readonly AlertDefinition[];
  /** @default - none */
  readonly slos?: readonly SloDefinition[];
  /** What the runbooks of the SLOs' burn-rate alerts say beyond the SLO; required when there are SLOs. @default - none */
  readonly burnRateRunbooks?: BurnRateRunbookText;
  /** The runbooks the alerts link to (and the standalone ones). */
  readonly runbooks: readonly Runbook[];
  /** Runbooks that stand alone (playbooks of the spec): no alert need link to them. @default - none */
  readonly standaloneRunbooks?: readonly string[];
  /**
   * The stack's dashboards; the model adds one per SLO ({@link sloDashboard}) and renders each
   * with its {@link DashboardContext}.
   * @default - none
   */
  readonly dashboards?: readonly Dashboard[];
  /** How alerts reach people; written as the Alertmanager configuration; a heartbeat adds the Watchdog alert. @default - no routing file */
  readonly routing?: AlertRouting;
  /** Further files of the stack's observability (retention settings and the like), by path. @default - none */
  readonly files?: ReadonlyMap<string, string>;
  /**
   * The environments the runbooks give commands for, each with its namespace: every command
   * block is rendered once per environment, so it can be pasted as it is.
   * @default - commands keep the `<namespace>` placeholder
   */
  readonly environments?: readonly RunbookEnvironment[];
  /**
   * The components running as workloads of the stack, their pods labelled
   * `app.kubernetes.io/name=<name>`: the runbooks of their alerts list their pods and logs.
   * @default - none
   */
  readonly workloads?: readonly string[];
}

/** A panel of a rendered dashboard, with the metrics its queries select. */
interface PanelMetrics {
  readonly panel: Omit<RunbookPanel, 'file'>;
  readonly metrics: ReadonlySet<string>;
}

/**
 * Everything operators of a stack watch and how they react, as one model: the metrics
 * catalogue, the rules, the runbooks, the dashboards and the alert routing. Every output (rule
 * file, PrometheusRule, promtool tests, runbooks, dashboards, Alertmanager config) is rendered
 * from it, under the stack's ops folder.
 */
export class ObservabilityModel {
  public readonly catalogue: MetricsCatalogue;
  public readonly rules: RuleSet;
  public readonly routing?: AlertRouting;
  public readonly dashboards: readonly Dashboard[];
  /** What the dashboards read of the model when they are checked and rendered. */
  public readonly dashboardContext: DashboardContext;
  private readonly dashboardJsons = new Map<Dashboard, string>();
  private rendered?: ReadonlyMap<string, string>;
  /** Folder of the generated files below the output root (`ops`, `ops/<stack>`). */
  public readonly opsRoot: string;
  /** Where each kind of file goes, below the output root. */
  public readonly paths: { readonly rules: string; readonly tests: string; readonly runbooks: string; readonly alertmanager: string; readonly dashboards: string };

  public constructor(private readonly props: ObservabilityModelProps) {
    if ((props.slos ?? []).length > 0 && !props.burnRateRunbooks) {
      throw new Error(`observability model ${props.name}: burnRateRunbooks must be given with slos (${props.slos!.map((s) => s.name).join(', ')}), got none`);
    }
    if (!/^https?:\/\/[^/]+(\/.*)?[^/]$/.test(props.runbookBaseUrl)) {
      throw new Error(`observability model ${props.name}: runbookBaseUrl must be an absolute http(s) URL without a trailing slash, got "${props.runbookBaseUrl}"`);
    }
    const root = props.opsRoot;
    this.opsRoot = root;
    this.paths = {
      rules: `${root}/prometheus/alerts.yaml`,
      tests: `${root}/prometheus/tests`,
      runbooks: `${root}/runbooks`,
      alertmanager: `${root}/alertmanager/alertmanager.yaml`,
      dashboards: `${root}/grafana`,
    };
    // The deployment annotations of every dashboard read these.
    const annotationMetrics = WORKLOAD_GENERATION_METRICS.filter((m) => !props.metrics.some((have) => have.name === m.name));
    this.catalogue = new MetricsCatalogue([...props.metrics, ...annotationMetrics]);
    this.rules = new RuleSet(props.alerts, props.slos ?? [], {
      name: props.name,
      runbookBaseUrl: `${props.runbookBaseUrl}/${this.paths.runbooks}`,
      ...(props.testNamespace ? { testNamespace: props.testNamespace } : {}),
      watchdog: props.routing?.heartbeat !== undefined,
      catalogue: this.catalogue,
    });
    if (props.routing) this.routing = props.routing;
    const title = props.title ?? props.name.charAt(0).toUpperCase() + props.name.slice(1);
    const alerts = this.rules.alerts;
    const slos = this.rules.slos.map((slo) => sloDashboard({ slo, rules: props.name, stackTitle: title, alerts }));
    this.dashboards = [...(props.dashboards ?? []), ...slos].sort((a, b) => (a.uid < b.uid ? -1 : 1));
    this.dashboardContext = {
      stack: props.name,
      stackTitle: title,
      catalogue: this.catalogue,
      alerts: new Map(
        alerts.map((a) => [a.rule.alert, { name: a.rule.alert, priority: a.rule.labels['priority'] ?? a.rule.labels['severity'] ?? '', summary: a.rule.annotations['summary'] ?? '', runbookUrl: a.rule.annotations['runbook_url'] ?? '' }]),
      ),
      slos: new Map(this.rules.slos.map((s) => [s.name, { name: s.name, title: s.name, dashboard: sloDashboardUid(props.name, s.name) }])),
      annotations: dashboardAnnotations().filter((a) => alerts.length > 0 || !a.expr.startsWith(ALERTS_SERIES)),
    };
  }

  /** The runbooks given, one per burn-rate alert, and the Watchdog's. */
  public get runbooks(): readonly Runbook[] {
    const burn = this.rules.alerts.flatMap((a) => {
      const slo = this.rules.slos.find((s) => s.name === a.rule.labels['slo']);
      return slo && this.props.burnRateRunbooks ? [burnRateRunbook(a, slo, this.props.burnRateRunbooks)] : [];
    });
    const workloads = new Set(this.props.workloads ?? []);
    const missing = this.rules.alerts.flatMap((a) => (a.missing ? [missingDataRunbook(a, a.missing, workloads.has(a.missing.owner))] : []));
    const watchdog = this.rules.alerts.filter((a) => a.constant).map((a) => watchdogRunbook(a));
    return [...this.props.runbooks, ...burn, ...missing, ...watchdog];
  }

  /** The catalogued metrics (or recordings) an alert reads: the SLO's inputs for a burn-rate alert, the watched ones for a missing-data alert. */
  private alertMetrics(a: ModelAlert): Set<string> {
    if (a.missing) return new Set(a.missing.metrics.map((m) => m.name));
    const exprs = a.burn ? this.rules.recordingRules(a.burn.slo).map((r) => r.expr) : [a.rule.expr];
    return new Set(exprs.flatMap((e) => selectedMetrics(e)).map((n) => this.catalogue.lookup(n)?.name ?? n));
  }

  /**
   * The dashboards as deployed where the components `absent` do not run (optional ones switched
   * off): without those about them, and without their panels ({@link Dashboard.without}).
   */
  public dashboardsIn(absent: ReadonlySet<string>): Dashboard[] {
    return this.dashboards.flatMap((d) => d.without(absent) ?? []);
  }

  /** Every panel of the rendered dashboards, in uid and panel order. */
  private panels(): PanelMetrics[] {
    type PanelJson = { id?: number; title?: string; targets?: { expr?: string }[]; panels?: PanelJson[] };
    const flat = (ps: readonly PanelJson[]): PanelJson[] => ps.flatMap((p) => [p, ...flat(p.panels ?? [])]);
    return this.dashboards.flatMap((d) => {
      const json = JSON.parse(this.dashboardJson(d)) as { title: string; panels?: PanelJson[] };
      return flat(json.panels ?? []).flatMap((p) =>
        p.id === undefined
          ? []
          : [
              {
                panel: { dashboardUid: d.uid, dashboardTitle: json.title, panelId: p.id, panelTitle: p.title ?? '' },
                metrics: new Set((p.targets ?? []).flatMap((t) => selectedMetrics(t.expr ?? '')).map((n) => this.catalogue.lookup(n)?.name ?? n)),
              },
            ],
      );
    });
  }

  /**
   * What a runbook shows beside its text: the environments, the PromQL of the alerts linking to
   * it, the first panel reading what they read, and the pods and logs of their components.
   */
  private runbookContext(r: Runbook, panels: readonly PanelMetrics[]): { context: RunbookContext; runbook: Runbook } {
    const alerts = this.rules.alerts.filter((a) => a.runbook === r.name);
    const read = new Set(alerts.flatMap((a) => [...this.alertMetrics(a)]));
    const found = panels.find((p) => [...p.metrics].some((m) => read.has(m)))?.panel;
    const workloads = new Set(this.props.workloads ?? []);
    const services = [...new Set(alerts.map((a) => a.rule.labels['service'] ?? ''))].filter((s) => workloads.has(s)).sort();
    const own = r.commands ?? [];
    const generated = services.flatMap((s) => [
      `kubectl -n ${NAMESPACE_PLACEHOLDER} get pods -l app.kubernetes.io/name=${s} -o wide`,
      `kubectl -n ${NAMESPACE_PLACEHOLDER} logs -l app.kubernetes.io/name=${s} --all-containers --prefix --tail=100`,
    ]);
    const commands = [...own, ...generated.filter((c) => !own.includes(c))];
    // The environments where the components the alerts are about run: the others have none of their pods to list.
    const environments = this.props.environments?.filter((e) => !services.some((s) => e.absent?.includes(s)));
    const context: RunbookContext = {
      ...(environments ? { environments } : {}),
      alerts: alerts.map((a) => ({ name: a.rule.alert, expr: a.rule.expr })),
      ...(found ? { panel: { ...found, file: `${posix.relative(this.paths.runbooks, this.paths.dashboards)}/${found.dashboardUid}.json` } } : {}),
    };
    return { context, runbook: commands.length > 0 ? { ...r, commands } : r };
  }

  /**
   * The labels that say what an alert is about: the namespace, the service, the SLO and every
   * label an alert keeps from its series (language, volume, node...). A higher priority inhibits
   * a lower one only when all of them are equal (absent on both counts as equal).
   */
  public get scopeLabels(): readonly string[] {
    const fromSeries = this.rules.alerts.flatMap((a) => Object.keys(a.outputLabels));
    return [...new Set(['namespace', 'service', 'slo', ...fromSeries])].sort();
  }

  /**
   * Every problem of the model, each naming the alert, rule, dashboard panel or runbook:
   * expressions that do not parse or select uncatalogued metrics, runbook links to nothing,
   * runbooks nothing links to.
   */
  public check(): string[] {
    // The rules first: their check makes the recording rules selectable by the dashboards.
    const problems = this.rules.check(this.catalogue);
    if (this.rules.alerts.length > 0) this.catalogue.addRecordingRule(ALERTS_SERIES);
    for (const d of this.dashboards) problems.push(...d.check(this.dashboardContext));
    const runbooks = new Set(this.runbooks.map((r) => r.name));
    const linked = new Set<string>();
    for (const a of this.rules.alerts) {
      linked.add(a.runbook);
      if (!runbooks.has(a.runbook)) problems.push(`alerts/${a.rule.alert} runbook_url: no runbook "${a.runbook}" in ${this.paths.runbooks}/`);
    }
    const standalone = new Set(this.props.standaloneRunbooks ?? []);
    for (const r of runbooks) if (!linked.has(r) && !standalone.has(r)) problems.push(`runbooks/${r}: no alert links to it`);
    return problems;
  }

  /** The file of the runbook `name`, relative to the output root (alerts' `runbook_url` is it below `runbookBaseUrl`). */
  public runbookPath(name: string): string {
    return `${this.paths.runbooks}/${name}.md`;
  }

  /** Where a dashboard is provisioned from: `<ops>/grafana/<uid>.json`. */
  public dashboardPath(d: Dashboard): string {
    return `${this.paths.dashboards}/${d.uid}.json`;
  }

  /** Paths of every file {@link files} produces, known without rendering them. */
  public filePaths(): string[] {
    return [
      this.paths.rules,
      ...this.rules.alerts.map((a) => `${this.paths.tests}/${unitTestFile(a.rule.alert)}`),
      ...this.rules.slos.map((s) => `${this.paths.tests}/${recordingTestFile(s.name)}`),
      ...this.runbooks.map((r) => this.runbookPath(r.name)),
      ...(this.routing ? [this.paths.alertmanager] : []),
      ...this.dashboards.map((d) => this.dashboardPath(d)),
      ...(this.props.files?.keys() ?? []),
    ];
  }

  /**
   * The JSON of dashboard `d`, as {@link files} writes it, rendered once: a dashboard's ConfigMap
   * needs it where the model's other files (its promtool tests above all) are never written,
   * as in the apps the Helm charts are rendered from.
   */
  public dashboardJson(d: Dashboard): string {
    let json = this.dashboardJsons.get(d);
    if (json === undefined) {
      json = d.render(this.dashboardContext);
      this.dashboardJsons.set(d, json);
    }
    return json;
  }

  /** Every file the model produces, by path relative to the output root, rendered once. */
  public files(): ReadonlyMap<string, string> {
    this.rendered ??= this.renderFiles();
    return this.rendered;
  }

  private renderFiles(): Map<string, string> {
    const files = new Map<string, string>([[this.paths.rules, this.rules.ruleFile()]]);
    for (const [name, content] of this.rules.unitTests('../alerts.yaml')) files.set(`${this.paths.tests}/${name}`, content);
    for (const [name, content] of this.rules.recordingRuleTests('../alerts.yaml')) files.set(`${this.paths.tests}/${name}`, content);
    if (this.routing) files.set(this.paths.alertmanager, alertmanagerFile(this.routing, this.scopeLabels));
    for (const d of this.dashboards) files.set(this.dashboardPath(d), this.dashboardJson(d));
    const panels = this.panels();
    for (const r of this.runbooks) {
      const { context, runbook } = this.runbookContext(r, panels);
      files.set(this.runbookPath(r.name), renderRunbook(runbook, context));
    }
    for (const [path, content] of this.props.files ?? []) files.set(path, content);
    return files;
  }
}
