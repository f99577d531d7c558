/*
 * The order in which kinds are applied, as Helm installs them: what others depend on
 * (namespaces, accounts, config) before what uses it. Kinds not listed (custom resources) go last.
 * @see https://github.com/helm/helm/blob/main/pkg/release/util/kind_sorter.go
 */
const INSTALL_ORDER = [
  'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodDisruptionBudget', 'ServiceAccount',
  'Secret', 'ConfigMap', 'StorageClass', 'PersistentVolume', 'PersistentVolumeClaim',
  'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'Service',
  'DaemonSet', 'Pod', 'ReplicaSet', 'Deployment', 'HorizontalPodAutoscaler', 'StatefulSet', 'Job',
  'CronJob', 'IngressClass', 'Ingress', 'APIService',
];

function rank(kind: string): number {
  const i = INSTALL_ORDER.indexOf(kind);
  return i === -1 ? INSTALL_ORDER.length : i;
}

interface Sortable {
  readonly kind: string;
  readonly metadata?: { readonly name?: string };
}

/** Orders objects by install order, then kind, then name (code-point order, not the locale's). */
export function compareObjects(a: Sortable, b: Sortable): number {
  const byRank = rank(a.kind) - rank(b.kind);
  if (byRank !== 0) return byRank;
  const ka = `${a.kind}/${a.metadata?.name ?? ''}`;
  const kb = `${b.kind}/${b.metadata?.name ?? ''}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
