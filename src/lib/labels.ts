/**
 * The recommended `app.kubernetes.io/*` labels of one application component.
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/
 */
export interface AppLabelsProps {
  /** `app.kubernetes.io/name`: the application, e.g. `pin-orchestrator`. */
  readonly name: string;
  /** `app.kubernetes.io/instance`: which installation of it. */
  readonly instance: string;
  /** `app.kubernetes.io/component`: its role in the architecture, e.g. `orchestrator`. */
  readonly component: string;
  /** `app.kubernetes.io/part-of`: the higher-level application. */
  readonly partOf: string;
  /**
   * `app.kubernetes.io/version`: the running version, usually the image tag. An OCI tag may be
   * 128 characters long and start with "_", a label value may not: the label holds the version cut
   * to 63 characters and trimmed of "-", "_" and "." at either end (Helm's `trunc 63 | trimAll "-_."`).
   */
  readonly version: string;
  /**
   * `app.kubernetes.io/managed-by`: the tool that manages the object.
   * @default 'cdk8s'
   */
  readonly managedBy?: string;
  /**
   * Further labels that identify a subset of the component's pods (a language, an instance);
   * they join the selector.
   * @default - none
   */
  readonly selectorExtras?: Readonly<Record<string, string>>;
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** The label value of a version: see {@link AppLabelsProps.version}. */
function versionLabel(version: string): string {
  return version.slice(0, 63).replace(/^[-_.]+|[-_.]+$/g, '');
}

/**
 * Labels whose value is derived from what the model gives, as the Helm pipeline that derives it:
 * a chart templating the label from a value renders it through this pipeline, as the labels here do.
 */
export const LABEL_VALUE_PIPELINES: Readonly<Record<string, string>> = {
  'app.kubernetes.io/version': 'trunc 63 | trimAll "-_."',
};

/**
 * Labels defined once per component: `all` goes on every object, `selector` (stable across
 * versions, so Deployments can be updated in place) into selectors and pod templates.
 */
export class AppLabels {
  /** Every standard label. */
  public readonly all: Readonly<Record<string, string>>;
  /** The subset that identifies the component's pods and never changes between releases. */
  public readonly selector: Readonly<Record<string, string>>;

  public constructor(props: AppLabelsProps) {
    this.props = props;
    this.selector = {
      'app.kubernetes.io/name': props.name,
      'app.kubernetes.io/instance': props.instance,
      ...props.selectorExtras,
    };
    this.all = {
      ...this.selector,
      'app.kubernetes.io/component': props.component,
      'app.kubernetes.io/part-of': props.partOf,
      'app.kubernetes.io/version': versionLabel(props.version),
      'app.kubernetes.io/managed-by': props.managedBy ?? 'cdk8s',
    };
    for (const [key, value] of Object.entries(this.all)) {
      if (value.length > 63 || !LABEL_VALUE.test(value)) {
        throw new Error(`label ${key} must be a valid label value (at most 63 alphanumerics, "-", "_", "."), got "${value}"`);
      }
    }
  }

  private readonly props: AppLabelsProps;

  /** The standard labels of another component of the same installation. */
  public withComponent(props: Pick<AppLabelsProps, 'name' | 'component'> & Partial<AppLabelsProps>): AppLabels {
    const { selectorExtras: _ignored, ...base } = this.props;
    return new AppLabels({ ...base, ...props });
  }

  /** The same component's labels, narrowed to a subset of its pods by further selector labels. */
  public withSelector(extras: Readonly<Record<string, string>>, version?: string): AppLabels {
    return new AppLabels({
      ...this.props,
      ...(version ? { version } : {}),
      selectorExtras: { ...this.props.selectorExtras, ...extras },
    });
  }
}

/** The standard label keys every synthesized object carries. */
export const STANDARD_LABEL_KEYS = [
  'app.kubernetes.io/name',
  'app.kubernetes.io/instance',
  'app.kubernetes.io/component',
  'app.kubernetes.io/part-of',
  'app.kubernetes.io/version',
  'app.kubernetes.io/managed-by',
] as const;
