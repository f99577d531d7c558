import type { IPodSecurityContext } from 'kubernetes-models/v1/PodSecurityContext';
import type { ISecurityContext } from 'kubernetes-models/v1/SecurityContext';

/*
 * Security contexts meeting the Pod Security Standard "restricted" profile.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */

/** The distroless `nonroot` user and group. */
export const NON_ROOT_ID = 65532;

export function restrictedPodSecurityContext(): IPodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: NON_ROOT_ID,
    runAsGroup: NON_ROOT_ID,
    fsGroup: NON_ROOT_ID,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

export function restrictedContainerSecurityContext(): ISecurityContext {
  return {
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}
