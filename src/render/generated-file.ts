import { Construct } from 'constructs';

/** Props of {@link GeneratedFile}. */
export interface GeneratedFileProps {
  /**
   * Path relative to the output root, under a folder the synth owns (`ops/` or `charts-out/`),
   * e.g. `ops/prometheus/alerts.yaml`.
   */
  readonly path: string;
  /** Produces the file's content at synth time, after every construct has been added. */
  readonly render: () => string;
}

/** Folders generated files may be written to; the synth owns them whole. */
export const GENERATED_ROOTS = ['ops', 'charts-out'] as const;

/**
 * A file other than a manifest (Envoy config, alert rules, dashboards, runbooks, charts),
 * declared anywhere in the construct tree and rendered late, like the manifests. The same path
 * may be declared by several environments only with the same content.
 */
export class GeneratedFile extends Construct {
  public readonly path: string;
  private readonly produce: () => string;

  public constructor(scope: Construct, id: string, props: GeneratedFileProps) {
    super(scope, id);
    this.path = props.path;
    this.produce = props.render;
    const root = this.path.split('/')[0];
    if (!GENERATED_ROOTS.includes(root as (typeof GENERATED_ROOTS)[number]) || this.path.split('/').includes('..')) {
      throw new Error(`[${this.node.path}] path must lie under ${GENERATED_ROOTS.join('/ or ')}/, got "${this.path}"`);
    }
  }

  /** The file's content; a trailing newline is added when missing. */
  public render(): string {
    const text = this.produce();
    return text.endsWith('\n') ? text : `${text}\n`;
  }
}
