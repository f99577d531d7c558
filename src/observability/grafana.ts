import type { MetricsCatalogue } from './metrics-catalogue.ts';
import { checkPromql } from './promql.ts';

/** Grafana's dashboard JSON model version the builders produce. @see https://grafana.com/docs/grafana/latest/dashboards/build-dashboards/view-dashboard-json-model/ */
export const GRAFANA_SCHEMA_VERSION = 39;

/** Width of Grafana's grid, in columns. */
const GRID_COLUMNS = 24;

/** Every panel reads the Prometheus data source the viewer picks in the `datasource` variable. */
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;

/** A Grafana unit id. @see https://github.com/grafana/grafana/blob/main/packages/grafana-data/src/valueFormats/categories.ts */
export type Unit = 'reqps' | 'ops' | 'ms' | 's' | 'percentunit' | 'short';

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

  /** The target in Grafana's JSON model. */
  public toJson(refId: string): object {
    return { datasource: DATASOURCE, expr: this.expr, format: this.format, legendFormat: this.legend, range: true, refId };
  }
}

/** Panel types the dashboards use. */
export type PanelType = 'timeseries' | 'stat' | 'heatmap';

/** A value from which a panel turns red. */
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
  /** @default - none */
  readonly description?: string;
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
  public readonly description: string;

  public constructor(props: PanelProps) {
    this.title = props.title;
    this.type = props.type;
    this.targets = props.targets;
    this.unit = props.unit ?? 'short';
    this.width = props.width ?? 12;
    this.height = props.height ?? 8;
    this.thresholds = props.thresholds ?? [];
    this.description = props.description ?? '';
    const checks = [
      { bad: this.width < 1 || this.width > GRID_COLUMNS, message: `width must be 1-${GRID_COLUMNS}, got ${this.width}` },
      { bad: this.height < 1, message: `height must be >= 1, got ${this.height}` },
      { bad: this.targets.length === 0, message: 'needs at least one target' },
      { bad: this.targets.length > 26, message: `has at most 26 targets (refId A-Z), got ${this.targets.length}` },
    ];
    const problems = checks.filter((c) => c.bad).map((c) => c.message);
    if (problems.length > 0) throw new Error(`panel "${this.title}": ${problems.join('; ')}`);
  }

  /** The panel in Grafana's JSON model, at `gridPos`. */
  public toJson(id: number, gridPos: GridPos): object {
    const steps = [{ color: 'green', value: null }, ...this.thresholds.map((t) => ({ color: t.color ?? 'red', value: t.value }))];
    return {
      datasource: DATASOURCE,
      description: this.description,
      fieldConfig: { defaults: { unit: this.unit, thresholds: { mode: 'absolute', steps } }, overrides: [] },
      gridPos,
      id,
      options: PANEL_OPTIONS[this.type],
      targets: this.targets.map((t, i) => t.toJson(String.fromCharCode(65 + i))),
      title: this.title,
      type: this.type,
    };
  }
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
}

/**
 * A Grafana dashboard over the Prometheus data source chosen in its `datasource` variable.
 * Panels flow left to right in the order added and wrap to a new row when the 24 columns are
 * full, so the layout follows from the panels' widths.
 */
export class Dashboard {
  public readonly uid: string;
  public readonly title: string;
  private readonly props: DashboardProps;
  private readonly items: Panel[] = [];

  public constructor(props: DashboardProps) {
    this.props = props;
    this.uid = props.uid;
    this.title = props.title;
    if (!/^[a-z0-9-]{1,40}$/.test(props.uid)) throw new Error(`dashboard "${props.title}": uid must be 1-40 of a-z, 0-9, "-", got "${props.uid}"`);
  }

  public add(...panels: Panel[]): this {
    for (const p of panels) {
      if (this.items.some((q) => q.title === p.title)) throw new Error(`dashboard ${this.uid}: panel title "${p.title}" is used twice`);
      this.items.push(p);
    }
    return this;
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

  /** Problems of every panel query, each naming the dashboard and panel. */
  public check(catalogue: MetricsCatalogue): string[] {
    return this.items.flatMap((p) =>
      p.targets.flatMap((t, i) => checkPromql(t.expr, catalogue).map((problem) => `dashboards/${this.uid} panel "${p.title}" target ${String.fromCharCode(65 + i)}: ${problem}`)),
    );
  }

  /** The dashboard in Grafana's JSON model. */
  public toJson(): object {
    const layout = this.layout();
    return {
      annotations: { list: [] },
      description: this.props.description ?? '',
      editable: false,
      graphTooltip: 1,
      links: [],
      panels: this.items.map((p, i) => p.toJson(i + 1, layout[i]!)),
      refresh: '30s',
      schemaVersion: GRAFANA_SCHEMA_VERSION,
      tags: [...this.props.tags],
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
  public render(): string {
    return `${JSON.stringify(sortKeys(this.toJson()), null, 2)}\n`;
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  );
}
