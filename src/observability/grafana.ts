import { withMatchers, type LabelMatcher } from './_promql-selectors.ts';
import { lintDashboard } from './dashboard-lint.ts';
import type { MetricsCatalogue } from './metrics-catalogue.ts';
import { checkPromql, selectedMetrics } from './promql.ts';

/** Grafana's dashboard JSON model version the builders produce. @see https://grafana.com/docs/grafana/latest/dashboards/build-dashboards/view-dashboard-json-model/ */
export const GRAFANA_SCHEMA_VERSION = 39;

/** Width of Grafana's grid, in columns. */
const GRID_COLUMNS = 24;

/** Every panel reads the Prometheus data source the viewer picks in the `datasource` variable. */
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;

/** A Grafana unit id. @see https://github.com/grafana/grafana/blob/main/packages/grafana-data/src/valueFormats/categories.ts */
export type Unit = 'reqps' | 'ops' | 'ms' | 's' | 'percentunit' | 'short' | 'none' | 'dateTimeAsIso';

/**
 * The matchers the builder adds to every selector of every query: the environment is the
 * `namespace` picked (and its `cluster`), so one dashboard serves every environment. Variables
 * Grafana itself replaces, in regex matchers so that a multiple choice (or "All") works.
 */
export const SCOPE_MATCHERS: readonly LabelMatcher[] = [
  { label: 'cluster', op: '=~', value: '$cluster' },
  { label: 'namespace', op: '=~', value: '$namespace' },
];

/** An alert a panel illustrates, as the dashboards show it. */
export interface AlertReference {
  readonly name: string;
  readonly priority: string;
  readonly summary: string;
  /** Absolute URL of its runbook. */
  readonly runbookUrl: string;
}

/** An SLO a panel relates to: the panel links to its dashboard. */
export interface SloReference {
  readonly name: string;
  readonly title: string;
  /** Uid of its dashboard. */
  readonly dashboard: string;
}

/**
 * What the dashboards of a stack read from its observability model when they render: the
 * catalogue (panel descriptions from the metrics' help), the alerts and SLOs panels link to, and
 * the stack's tag (every dashboard carries it; the dashboard links list the others by it).
 */
export interface DashboardContext {
  /** Tag of every dashboard of the stack, e.g. `shop`. */
  readonly stack: string;
  /** The stack in link titles, e.g. `Shop`. */
  readonly stackTitle: string;
  readonly catalogue: MetricsCatalogue;
  /** By alert name. */
  readonly alerts: ReadonlyMap<string, AlertReference>;
  /** By SLO name. */
  readonly slos: ReadonlyMap<string, SloReference>;
  /** Queries of the dashboards' annotations, besides the built-in one (deployments, firing alerts). */
  readonly annotations: readonly AnnotationQuery[];
}

/** A Prometheus query whose results Grafana marks on every time axis of the dashboard. */
export interface AnnotationQuery {
  readonly name: string;
  readonly expr: string;
  /** A Grafana template over the series' labels, e.g. `{{alertname}}`. */
  readonly title: string;
  /** Labels shown as the annotation's tags. */
  readonly tagKeys: readonly string[];
  readonly color: string;
}

/** The series of the catalogue that only grow: the linter's counter rule reads them. */
export function counterSeries(catalogue: MetricsCatalogue): Set<string> {
  return new Set(
    catalogue.metrics.flatMap((m) => (m.type === 'counter' ? [m.name] : m.type === 'histogram' ? [`${m.name}_bucket`, `${m.name}_count`, `${m.name}_sum`] : [])),
  );
}

/** One PromQL query of a panel. */
export class Target {
  /** A series per label set, named by `legend` (a Grafana template such as `{{ranker}}`). */
  public static query(expr: string, legend = ''): Target {
    return new Target(expr, legend, 'time_series');
  }

  /** Histogram buckets for a heatmap panel: one series per `le`. */
  public static buckets(expr: string): Target {
    return new Target(expr, '{{le}}', 'heatmap');
  }

  private constructor(
    public readonly expr: string,
    public readonly legend: string,
    public readonly format: 'time_series' | 'heatmap',
  ) {}

  /** The query Grafana sends: {@link expr} with the {@link SCOPE_MATCHERS} on every selector. */
  public get scopedExpr(): string {
    return withMatchers(this.expr, SCOPE_MATCHERS);
  }

  /** The target in Grafana's JSON model. */
  public toJson(refId: string): object {
    return { datasource: DATASOURCE, expr: this.scopedExpr, format: this.format, legendFormat: this.legend, range: true, refId };
  }
}

/** Panel types the dashboards use. */
export type PanelType = 'timeseries' | 'stat' | 'heatmap';

/** A value from which a panel turns red (or another color). */
export interface Threshold {
  readonly value: number;
  /** @default 'red' */
  readonly color?: string;
}

/** Props of {@link Panel}. */
export interface PanelProps {
  /** Unique in its dashboard; tests and error messages name panels by it. */
  readonly title: string;
  readonly type: PanelType;
  readonly targets: readonly Target[];
  /** @default 'short' */
  readonly unit?: Unit;
  /** Grid columns out of 24. @default 12 */
  readonly width?: number;
  /** Grid rows. @default 8 */
  readonly height?: number;
  /** @default - no thresholds, the panel stays green */
  readonly thresholds?: readonly Threshold[];
  /** Color below the first threshold. @default 'green' */
  readonly baseColor?: string;
  /** What the panel shows. @default - the help text of each metric its queries select */
  readonly description?: string;
  /**
   * Alerts the panel illustrates, by name: it links to each one's runbook and its description
   * says what each one means.
   * @default - none
   */
  readonly alerts?: readonly string[];
  /** SLOs the panel bears on, by name: it links to each one's dashboard. @default - none */
  readonly slos?: readonly string[];
  /**
   * The component whose series the panel shows, when the panel is about one: a dashboard as
   * deployed where that component does not run leaves the panel out ({@link Dashboard.without}).
   * @default - the panel shows what runs everywhere
   */
  readonly component?: string;
}

/** A panel; its position is computed by the dashboard it is added to. */
export class Panel {
  public readonly title: string;
  public readonly type: PanelType;
  public readonly targets: readonly Target[];
  public readonly unit: Unit;
  public readonly width: number;
  public readonly height: number;
  public readonly thresholds: readonly Threshold[];
  public readonly baseColor: string;
  public readonly description: string;
  public readonly alerts: readonly string[];
  public readonly slos: readonly string[];
  public readonly component?: string;

  public constructor(props: PanelProps) {
    this.title = props.title;
    this.type = props.type;
    this.targets = props.targets;
    this.unit = props.unit ?? 'short';
    this.width = props.width ?? 12;
    this.height = props.height ?? 8;
    this.thresholds = props.thresholds ?? [];
    this.baseColor = props.baseColor ?? 'green';
    this.description = props.description ?? '';
    this.alerts = props.alerts ?? [];
    this.slos = props.slos ?? [];
    this.component = props.component;
    const checks = [
      { bad: this.width < 1 || this.width > GRID_COLUMNS, message: `width must be 1-${GRID_COLUMNS}, got ${this.width}` },
      { bad: this.height < 1, message: `height must be >= 1, got ${this.height}` },
      { bad: this.targets.length === 0, message: 'needs at least one target' },
      { bad: this.targets.length > 26, message: `has at most 26 targets (refId A-Z), got ${this.targets.length}` },
    ];
    const problems = checks.filter((c) => c.bad).map((c) => c.message);
    if (problems.length > 0) throw new Error(`panel "${this.title}": ${problems.join('; ')}`);
  }

  /** Problems of the panel's references to the model: alerts and SLOs it does not have. */
  public check(context: DashboardContext): string[] {
    return [
      ...this.alerts.filter((a) => !context.alerts.has(a)).map((a) => `links to no alert "${a}" of the model`),
      ...this.slos.filter((s) => !context.slos.has(s)).map((s) => `links to no SLO "${s}" of the model`),
    ];
  }

  /**
   * What the panel shows: its own description, else the help of each metric its queries
   * select; then what each alert it illustrates means.
   */
  public describe(context: DashboardContext): string {
    const metrics = [...new Set(this.targets.flatMap((t) => selectedMetrics(t.expr)))];
    const shows = this.description
      ? [this.description]
      : metrics.map((m) => {
          const metric = context.catalogue.lookup(m);
          return metric ? `\`${m}\`: ${metric.help}` : `\`${m}\`: recorded by the ${context.stack} rules.`;
        });
    const alerts = this.alerts.flatMap((name) => {
      const a = context.alerts.get(name);
      return a ? [`Alert ${a.name} (${a.priority}): ${plain(a.summary)}. The runbook is linked from this panel.`] : [];
    });
    return [...shows, ...alerts].join('\n\n');
  }

  /** The panel in Grafana's JSON model, at `gridPos`. */
  public toJson(id: number, gridPos: GridPos, context: DashboardContext): object {
    const steps = [{ color: this.baseColor, value: null }, ...this.thresholds.map((t) => ({ color: t.color ?? 'red', value: t.value }))];
    const links = [
      ...this.alerts.flatMap((name) => {
        const a = context.alerts.get(name);
        return a ? [{ targetBlank: true, title: `Runbook: ${a.name}`, url: a.runbookUrl }] : [];
      }),
      ...this.slos.flatMap((name) => {
        const slo = context.slos.get(name);
        return slo ? [{ targetBlank: false, title: `SLO: ${slo.title}`, url: `/d/${slo.dashboard}?\${__url_time_range}&\${__all_variables}` }] : [];
      }),
    ];
    return {
      datasource: DATASOURCE,
      description: this.describe(context),
      fieldConfig: { defaults: { unit: this.unit, thresholds: { mode: 'absolute', steps } }, overrides: [] },
      gridPos,
      id,
      links,
      options: PANEL_OPTIONS[this.type],
      targets: this.targets.map((t, i) => t.toJson(String.fromCharCode(65 + i))),
      title: this.title,
      type: this.type,
    };
  }
}

/** An alert summary without its label templates (`{{ $labels.lang }}` reads "lang"). */
function plain(summary: string): string {
  return summary.replace(/\{\{\s*\$labels\.(\w+)\s*\}\}/g, '<$1>').replace(/\.$/, '');
}

const PANEL_OPTIONS: Readonly<Record<PanelType, object>> = {
  timeseries: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } },
  stat: { colorMode: 'value', graphMode: 'area', reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false } },
  heatmap: { calculate: false, cellGap: 1, color: { mode: 'scheme', scheme: 'Oranges' }, yAxis: { axisPlacement: 'left' } },
};

/** A panel's place on the grid. */
export interface GridPos {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** Props of {@link Dashboard}. */
export interface DashboardProps {
  /** Stable id in URLs and provisioning; at most 40 characters. */
  readonly uid: string;
  readonly title: string;
  readonly tags: readonly string[];
  /** @default - none */
  readonly description?: string;
  /**
   * The component the dashboard is about, when it is about one: it is not deployed where that
   * component does not run ({@link Dashboard.without}).
   * @default - the dashboard shows what runs everywhere
   */
  readonly component?: string;
}

/**
 * A Grafana dashboard over the Prometheus data source chosen in its `datasource` variable, for
 * the environment chosen in its `cluster` and `namespace` variables: every query of its panels
 * and annotations gets their matchers ({@link SCOPE_MATCHERS}). Panels flow left to right in the
 * order added and wrap to a new row when the 24 columns are full, so the layout follows from the
 * panels' widths. What it shows of the model (descriptions, runbook links, the links to the
 * stack's other dashboards, the annotations) comes from the {@link DashboardContext} it is
 * rendered with.
 */
export class Dashboard {
  public readonly uid: string;
  public readonly title: string;
  public readonly tags: readonly string[];
  private readonly props: DashboardProps;
  private readonly items: Panel[] = [];
  /** Each panel's id, by position: a panel keeps its id in a copy that leaves others out. */
  private readonly ids: number[] = [];

  public constructor(props: DashboardProps) {
    this.props = props;
    this.uid = props.uid;
    this.title = props.title;
    this.tags = props.tags;
    if (!/^[a-z0-9-]{1,40}$/.test(props.uid)) throw new Error(`dashboard "${props.title}": uid must be 1-40 of a-z, 0-9, "-", got "${props.uid}"`);
  }

  public add(...panels: Panel[]): this {
    for (const p of panels) {
      if (this.items.some((q) => q.title === p.title)) throw new Error(`dashboard ${this.uid}: panel title "${p.title}" is used twice`);
      this.items.push(p);
      this.ids.push(Math.max(0, ...this.ids) + 1);
    }
    return this;
  }

  /** The component the dashboard is about, if any ({@link DashboardProps.component}). */
  public get component(): string | undefined {
    return this.props.component;
  }

  /** This dashboard about `component` ({@link DashboardProps.component}), with the same panels. */
  public about(component: string): Dashboard {
    return this.copy({ ...this.props, component }, this.items.map((_, i) => i));
  }

  /**
   * The dashboard as deployed where the components `absent` do not run: none when it is about one
   * of them, else without the panels about them. The others keep their ids, so that a link to a
   * panel (a runbook's) shows the same panel in every environment; the layout closes the gaps.
   */
  public without(absent: ReadonlySet<string>): Dashboard | undefined {
    if (this.component !== undefined && absent.has(this.component)) return undefined;
    const kept = this.items.flatMap((p, i) => (p.component !== undefined && absent.has(p.component) ? [] : [i]));
    return kept.length === this.items.length ? this : this.copy(this.props, kept);
  }

  /** A dashboard of `props` with the panels at `positions`, each keeping its id. */
  private copy(props: DashboardProps, positions: readonly number[]): Dashboard {
    const copy = new Dashboard(props);
    copy.items.push(...positions.map((i) => this.items[i]!));
    copy.ids.push(...positions.map((i) => this.ids[i]!));
    return copy;
  }

  public get panels(): readonly Panel[] {
    return this.items;
  }

  /** Positions of the panels, in order: packed into rows of 24 columns. */
  public layout(): GridPos[] {
    const positions: GridPos[] = [];
    let x = 0;
    let y = 0;
    let rowHeight = 0;
    for (const p of this.items) {
      if (x + p.width > GRID_COLUMNS) {
        y += rowHeight;
        x = 0;
        rowHeight = 0;
      }
      positions.push({ x, y, w: p.width, h: p.height });
      x += p.width;
      rowHeight = Math.max(rowHeight, p.height);
    }
    return positions;
  }

  /**
   * Problems of the dashboard, each naming it and the panel: queries (as sent, with the scope
   * matchers) that do not parse or select uncatalogued series, links to alerts or SLOs the model
   * does not have, and every rule of Grafana's dashboard linter it breaks ({@link lintDashboard}).
   */
  public check(context: DashboardContext): string[] {
    const id = `dashboards/${this.uid}`;
    const problems = this.items.flatMap((p) => [
      ...p.targets.flatMap((t, i) => checkPromql(t.scopedExpr, context.catalogue).map((problem) => `${id} panel "${p.title}" target ${String.fromCharCode(65 + i)}: ${problem}`)),
      ...p.check(context).map((problem) => `${id} panel "${p.title}": ${problem}`),
    ]);
    for (const a of context.annotations) problems.push(...checkPromql(withMatchers(a.expr, SCOPE_MATCHERS), context.catalogue).map((p) => `${id} annotation "${a.name}": ${p}`));
    problems.push(...lintDashboard(this.toJson(context), { counters: counterSeries(context.catalogue) }).map((p) => `${id} ${p.rule}: ${p.message}`));
    return problems;
  }

  /** The series the panels select, as a selector of them all: the variables list the label values they carry. */
  private seriesSelector(): string {
    const names = [...new Set(this.items.flatMap((p) => p.targets.flatMap((t) => selectedMetrics(t.expr))))].sort();
    // Metric names have no regex metacharacters.
    return `{__name__=~"${names.join('|')}"}`;
  }

  /** The dashboard in Grafana's JSON model. */
  public toJson(context: DashboardContext): object {
    const layout = this.layout();
    const series = this.seriesSelector();
    const variable = (name: string, query: string, allValue: string): object => ({
      allValue,
      current: {},
      datasource: DATASOURCE,
      definition: query,
      hide: 0,
      includeAll: true,
      label: name.charAt(0).toUpperCase() + name.slice(1),
      multi: true,
      name,
      options: [],
      query,
      refresh: 2,
      regex: '',
      sort: 1,
      type: 'query',
    });
    const tags = [...new Set([context.stack, ...this.tags])];
    const sloTagged = [...context.slos.values()].length > 0;
    return {
      annotations: {
        list: [
          {
            builtIn: 1,
            datasource: { type: 'grafana', uid: '-- Grafana --' },
            enable: true,
            hide: true,
            iconColor: 'rgba(0, 211, 255, 1)',
            name: 'Annotations & Alerts',
            type: 'dashboard',
          },
          ...context.annotations.map((a) => ({
            datasource: DATASOURCE,
            enable: true,
            expr: withMatchers(a.expr, SCOPE_MATCHERS),
            hide: false,
            iconColor: a.color,
            name: a.name,
            step: '1m',
            tagKeys: a.tagKeys.join(','),
            titleFormat: a.title,
            useValueForTime: false,
          })),
        ],
      },
      description: this.props.description ?? '',
      editable: false,
      graphTooltip: 1,
      links: [
        { asDropdown: true, icon: 'external link', includeVars: true, keepTime: true, tags: [context.stack], targetBlank: false, title: `${context.stackTitle} dashboards`, type: 'dashboards' },
        ...(sloTagged
          ? [{ asDropdown: true, icon: 'external link', includeVars: true, keepTime: true, tags: [context.stack, SLO_TAG], targetBlank: false, title: `${context.stackTitle} SLOs`, type: 'dashboards' }]
          : []),
      ],
      panels: this.items.map((p, i) => p.toJson(this.ids[i]!, layout[i]!, context)),
      refresh: '30s',
      schemaVersion: GRAFANA_SCHEMA_VERSION,
      tags,
      templating: {
        list: [
          {
            current: {},
            hide: 0,
            includeAll: false,
            label: 'Data source',
            multi: false,
            name: 'datasource',
            options: [],
            query: 'prometheus',
            refresh: 1,
            regex: '',
            type: 'datasource',
          },
          variable('cluster', `label_values(${series}, cluster)`, '.*'),
          variable('namespace', `label_values(${withMatchers(series, SCOPE_MATCHERS.filter((m) => m.label !== 'namespace'))}, namespace)`, '.+'),
        ],
      },
      time: { from: 'now-6h', to: 'now' },
      timepicker: {},
      timezone: 'utc',
      title: this.title,
      uid: this.uid,
      version: 1,
    };
  }

  /** The file Grafana provisions: keys sorted, 2-space indent, trailing newline. */
  public render(context: DashboardContext): string {
    return `${JSON.stringify(sortKeys(this.toJson(context)), null, 2)}\n`;
  }
}

/** Tag of the SLO dashboards, besides the stack's. */
export const SLO_TAG = 'slo';

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  );
}
