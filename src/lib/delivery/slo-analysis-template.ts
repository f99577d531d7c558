import { Construct } from 'constructs';
import {
  AnalysisTemplate,
  AnalysisTemplateSpecMetricsConsecutiveErrorLimit,
  AnalysisTemplateSpecMetricsCount,
  AnalysisTemplateSpecMetricsFailureLimit,
} from '../../../imports/analysistemplates-argoproj.io.ts';
import { num, type BurnRateCheck } from '../../observability/index.ts';
import type { AppLabels } from '../labels.ts';

/** Props of {@link SloAnalysisTemplate}. */
export interface SloAnalysisTemplateProps {
  /** Name of the AnalysisTemplate, the name rollouts reference. */
  readonly name: string;
  readonly labels: AppLabels;
  /**
   * The burn-rate checks the analysis runs, from the observability model's rule set
   * ({@link RuleSet.burnRate}): the same recorded ratios and limits as the burn-rate alerts.
   */
  readonly checks: readonly BurnRateCheck[];
  /** Prometheus' HTTP address as the Argo Rollouts controller reaches it, e.g. `http://prometheus-operated.monitoring.svc:9090`. */
  readonly prometheusAddress: string;
  /**
   * How often each check is measured while the analysis runs.
   * @default '5m' (the shortest window the burn-rate rules record)
   */
  readonly interval?: string;
  /**
   * Measurements per check; the analysis succeeds when none failed.
   * @default 3
   */
  readonly count?: number;
}

/**
 * An Argo Rollouts AnalysisTemplate that fails, and so aborts and rolls back a rollout, when an
 * SLO's error budget burns as fast as its burn-rate alerts page: each check measures the lower
 * of the two windows' recorded error ratios and fails above the alert's limit, so the analysis
 * and the alert can never disagree. No data is an error, not a success: four in a row fail the
 * analysis too.
 * @see https://argoproj.github.io/argo-rollouts/features/analysis/
 */
export class SloAnalysisTemplate extends Construct {
  public readonly name: string;
  public readonly checks: readonly BurnRateCheck[];

  public constructor(scope: Construct, id: string, props: SloAnalysisTemplateProps) {
    super(scope, id);
    this.name = props.name;
    this.checks = props.checks;
    if (this.checks.length === 0) throw new Error(`[${this.node.path}] checks must name at least one burn-rate check`);
    new AnalysisTemplate(this, 'Resource', {
      metadata: { name: this.name, labels: { ...props.labels.all } },
      spec: {
        metrics: this.checks.map((c) => ({
          name: SloAnalysisTemplate.metricName(c),
          interval: props.interval ?? '5m',
          count: AnalysisTemplateSpecMetricsCount.fromNumber(props.count ?? 3),
          failureLimit: AnalysisTemplateSpecMetricsFailureLimit.fromNumber(0),
          consecutiveErrorLimit: AnalysisTemplateSpecMetricsConsecutiveErrorLimit.fromNumber(4),
          successCondition: `len(result) == 1 && result[0] <= ${num(c.limit)}`,
          failureCondition: `len(result) == 1 && result[0] > ${num(c.limit)}`,
          provider: { prometheus: { address: props.prometheusAddress, query: c.lowerRatio } },
        })),
      },
    });
  }

  /** A check's metric name: `<slo>-burn-<speed>`, e.g. `availability-burn-fast`. */
  public static metricName(c: BurnRateCheck): string {
    return `${c.slo}-burn-${c.window.speed.toLowerCase()}`;
  }
}
