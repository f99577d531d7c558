/*
 * The Pod Security Standard "restricted" profile: the library's pods run as this user and group,
 * never root, through cdk8s-plus's security-context props.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */

/** The distroless `nonroot` user and group. */
export const NON_ROOT_ID = 65532;
