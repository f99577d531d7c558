import { Construct } from 'constructs';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { AppLabels } from './labels.ts';
import { typedApiObject } from './_api-object.ts';

/** Props of {@link HttpIngress}. */
export interface HttpIngressProps {
  /** Name of the Ingress. */
  readonly name: string;
  readonly labels: AppLabels;
  /** `spec.ingressClassName`: the controller that serves it, e.g. `traefik`. */
  readonly className: string;
  /** Host names it answers, all routed to the backend. */
  readonly hosts: readonly string[];
  /** The Service and port (by number) every path `/` request goes to. */
  readonly backend: { readonly service: string; readonly port: number };
  /**
   * The Secret holding the hosts' certificate; the controller terminates TLS with it.
   * @default - plain HTTP
   */
  readonly tlsSecretName?: string;
  /** Controller and cert-manager annotations. @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * An Ingress routing every path of its hosts to one Service port, TLS terminated by the ingress
 * controller.
 * @see https://kubernetes.io/docs/concepts/services-networking/ingress/
 */
export class HttpIngress extends Construct {
  public readonly name: string;
  public readonly hosts: readonly string[];

  public constructor(scope: Construct, id: string, props: HttpIngressProps) {
    super(scope, id);
    this.name = props.name;
    this.hosts = props.hosts;
    if (props.hosts.length === 0) throw new Error(`[${this.node.path}] hosts must list at least one host name`);
    typedApiObject<IIngress>(this, 'Resource', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: this.name, labels: { ...props.labels.all }, ...(props.annotations ? { annotations: { ...props.annotations } } : {}) },
      spec: {
        ingressClassName: props.className,
        rules: props.hosts.map((host) => ({
          host,
          http: {
            paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: props.backend.service, port: { number: props.backend.port } } } }],
          },
        })),
        ...(props.tlsSecretName ? { tls: [{ hosts: [...props.hosts], secretName: props.tlsSecretName }] } : {}),
      },
    });
  }
}
