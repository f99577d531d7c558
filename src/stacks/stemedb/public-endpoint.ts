import { Construct } from 'constructs';
import { Middleware, MiddlewareSpecRateLimitPeriod } from '../../../imports/middlewares-traefik.io.ts';
import { HttpIngress, type AppLabels } from '../../lib/index.ts';
import type { IngressConfig } from './model/index.ts';
import { API_SERVICE, HTTP_PORT, RATE_LIMIT_MIDDLEWARE } from './names.ts';

/** Props of {@link PublicEndpoint}. */
export interface PublicEndpointProps {
  readonly labels: AppLabels;
  readonly ingress: IngressConfig;
  /** Namespace of the Middleware, part of its reference `<namespace>-<name>@kubernetescrd`. */
  readonly namespace: string;
}

/**
 * The API on its public host: a Traefik Ingress terminating TLS (certificate from cert-manager's
 * ClusterIssuer) behind a global rate-limit Middleware, before the app's own per-key limits.
 * @see https://doc.traefik.io/traefik/reference/routing-configuration/http/middlewares/ratelimit/
 */
export class PublicEndpoint extends Construct {
  public constructor(scope: Construct, id: string, props: PublicEndpointProps) {
    super(scope, id);
    const { ingress } = props;
    const { average, burst, period } = ingress.rateLimit;
    new Middleware(this, 'RateLimit', {
      metadata: { name: RATE_LIMIT_MIDDLEWARE, labels: { ...props.labels.all } },
      spec: { rateLimit: { average, burst, period: MiddlewareSpecRateLimitPeriod.fromString(period) } },
    });
    new HttpIngress(this, 'Ingress', {
      name: API_SERVICE,
      labels: props.labels,
      className: ingress.className,
      hosts: [ingress.host],
      backend: { service: API_SERVICE, port: HTTP_PORT.port },
      tlsSecretName: ingress.tlsSecretName,
      annotations: {
        'traefik.ingress.kubernetes.io/router.entrypoints': ingress.entrypoint,
        'traefik.ingress.kubernetes.io/router.middlewares': `${props.namespace}-${RATE_LIMIT_MIDDLEWARE}@kubernetescrd`,
        'cert-manager.io/cluster-issuer': ingress.clusterIssuer,
      },
    });
  }
}
