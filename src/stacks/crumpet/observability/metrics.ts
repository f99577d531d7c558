import type { MetricDefinition } from '../../../observability/index.ts';

/**
 * The metrics Crumpet's rules and dashboards read that no component declares: those of the node
 * exporter, the kubelet and cert-manager. Each component's own come from its declaration.
 */
export const METRICS: readonly MetricDefinition[] = [
  // Node exporter, kubelet, cert-manager
  { name: 'node_filesystem_avail_bytes', type: 'gauge', labels: ['device', 'fstype', 'mountpoint'], help: 'Filesystem space available to non-root users.', owner: 'node-exporter' },
  { name: 'node_filesystem_size_bytes', type: 'gauge', labels: ['device', 'fstype', 'mountpoint'], help: 'Filesystem size.', owner: 'node-exporter' },
  { name: 'kubelet_volume_stats_used_bytes', type: 'gauge', labels: ['namespace', 'persistentvolumeclaim'], help: 'Bytes used on a mounted volume.', owner: 'kubelet' },
  { name: 'kubelet_volume_stats_capacity_bytes', type: 'gauge', labels: ['namespace', 'persistentvolumeclaim'], help: 'Capacity of a mounted volume.', owner: 'kubelet' },
  {
    name: 'certmanager_certificate_expiration_timestamp_seconds',
    type: 'gauge',
    labels: ['name', 'namespace', 'exported_namespace', 'issuer_name'],
    help: 'Unix time at which a cert-manager Certificate expires.',
    owner: 'cert-manager',
    // Scraped in cert-manager's namespace: the Certificate's own is `exported_namespace`.
    namespaceLabel: 'exported_namespace',
  },
];
