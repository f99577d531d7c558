import type { AnnotationQuery } from './grafana.ts';
import type { MetricDefinition } from './metrics-catalogue.ts';

/**
 * What the deployment annotations read: kube-state-metrics' generation of each Deployment and
 * StatefulSet its controller has observed. It grows by one each time the spec changes (a new
 * image, a new setting): the start of a rollout. It covers the Deployments an Argo Rollout runs
 * through `workloadRef`, whose template is what a release changes; Argo's own metrics carry no
 * revision, and ReplicaSets appear as new series, which a query cannot tell from a restart of
 * kube-state-metrics.
 */
export const WORKLOAD_GENERATION_METRICS: readonly MetricDefinition[] = [
  {
    name: 'kube_deployment_status_observed_generation',
    type: 'gauge',
    labels: ['namespace', 'deployment'],
    help: 'The generation of a Deployment its controller has observed (kube-state-metrics).',
    owner: 'kube-state-metrics',
  },
  {
    name: 'kube_statefulset_status_observed_generation',
    type: 'gauge',
    labels: ['namespace', 'statefulset'],
    help: 'The generation of a StatefulSet its controller has observed (kube-state-metrics).',
    owner: 'kube-state-metrics',
  },
];

/** The series Prometheus keeps for its alerting rules: one per pending or firing alert. */
export const ALERTS_SERIES = 'ALERTS';

/** A rollout started in the minute before each point: the generation grew. */
function rollout(metric: string, label: string, kind: string): AnnotationQuery {
  return { name: `${kind} rollouts`, expr: `${metric} - ${metric} offset 1m > 0`, title: `${kind} {{${label}}} rolled out`, tagKeys: ['namespace', label], color: 'blue' };
}

/**
 * The annotations of every dashboard besides Grafana's built-in one (which shows Grafana's own
 * alerts and annotations people add): rollouts of Deployments and StatefulSets, and the
 * Prometheus alerts of the namespace while they fire.
 */
export function dashboardAnnotations(): AnnotationQuery[] {
  return [
    rollout('kube_deployment_status_observed_generation', 'deployment', 'Deployment'),
    rollout('kube_statefulset_status_observed_generation', 'statefulset', 'StatefulSet'),
    { name: 'Firing alerts', expr: `${ALERTS_SERIES}{alertstate="firing"}`, title: '{{alertname}} ({{priority}})', tagKeys: ['alertname', 'priority', 'severity'], color: 'red' },
  ];
}
