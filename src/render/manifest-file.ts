import type { Construct } from 'constructs';
import { GeneratedFile } from './generated-file.ts';
import type { KubeObject } from './manifest-validator.ts';
import { toYamlDocuments } from './yaml.ts';

/** Props of {@link ManifestFile}. */
export interface ManifestFileProps {
  /** Path relative to the output root, under `ops/` (see {@link GeneratedFile}), e.g. `ops/chaos/prod/pod-kill.yaml`. */
  readonly path: string;
  /** Produces the objects at synth time, after every construct has been added. */
  readonly objects: () => readonly KubeObject[];
}

/**
 * Kubernetes objects written to a file of their own instead of `dist/<env>/`: objects an operator
 * applies by hand and on purpose (a chaos experiment), which `kubectl apply -f dist/<env>` must
 * never create. The synth validates them as it validates the manifests (schema, name, standard
 * labels) and writes them as the manifests are written.
 */
export class ManifestFile extends GeneratedFile {
  public readonly objects: () => readonly KubeObject[];

  public constructor(scope: Construct, id: string, props: ManifestFileProps) {
    super(scope, id, { path: props.path, render: () => toYamlDocuments(props.objects()) });
    this.objects = props.objects;
  }
}
