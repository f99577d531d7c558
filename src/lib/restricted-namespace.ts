import { Construct } from 'constructs';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { AppLabels } from './labels.ts';
import { typedApiObject } from './_api-object.ts';

/** Props of {@link RestrictedNamespace}. */
export interface RestrictedNamespaceProps {
  /** Namespace name (a DNS-1123 label). */
  readonly name: string;
  /** Standard labels of the installation that owns the namespace. */
  readonly labels: AppLabels;
}

/**
 * A Namespace whose admission enforces the Pod Security Standard `restricted` profile, and
 * audits and warns on it too, so a violation is refused rather than merely reported.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
 */
export class RestrictedNamespace extends Construct {
  public readonly name: string;

  public constructor(scope: Construct, id: string, props: RestrictedNamespaceProps) {
    super(scope, id);
    this.name = props.name;
    typedApiObject<INamespace>(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: props.name,
        labels: {
          ...props.labels.all,
          'kubernetes.io/metadata.name': props.name,
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
        },
      },
    });
  }
}
