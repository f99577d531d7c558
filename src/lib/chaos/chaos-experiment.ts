import { NetworkChaos, NetworkChaosSpecAction, NetworkChaosSpecDirection, NetworkChaosSpecMode } from '../../../imports/networkchaos-chaos-mesh.org.ts';
import { PodChaos, PodChaosSpecAction, PodChaosSpecMode } from '../../../imports/podchaos-chaos-mesh.org.ts';
import { num, type SteadyState } from '../../observability/index.ts';
import type { AppLabels } from '../labels.ts';
import type { Workload } from '../_workload-parts.ts';
import { chaosExperimentPath, type ChaosScenario } from './chaos-scenario.ts';

/** Props of {@link chaosExperiment}. */
export interface ChaosExperimentProps {
  readonly scenario: ChaosScenario;
  /** The environment, which names the experiment's folder (`<opsRoot>/chaos/<env>/`). */
  readonly environment: string;
  /** Folder of the stack's operational files below the output root, e.g. `ops`. */
  readonly opsRoot: string;
  /** Namespace of the experiment and of the pods it targets. */
  readonly namespace: string;
  /** The pods it targets: selected by their selector labels, as the workload's own Service and PDB select them. */
  readonly target: Workload;
  /** Standard labels of the installation; the experiment's name and component `chaos` are set on them. */
  readonly labels: AppLabels;
  /** The steady state of the scenario's SLO, from the observability model. */
  readonly steadyState: SteadyState;
  /** The runbook's file, relative to the output root, e.g. `ops/runbooks/r1-snapshot-stale.md`. */
  readonly runbookPath: string;
  /** The addresses a network fault hits: the scenario's CIDR set in this environment. @default - none (a pod fault) */
  readonly externalTargets?: readonly string[];
  /**
   * Domain of the annotations naming the runbook and the steady state: `<domain>/runbook`,
   * `<domain>/steady-state`, `<domain>/steady-state-slo`, `<domain>/steady-state-objective` and
   * `<domain>/recover-within`.
   */
  readonly annotationDomain: string;
}

const DURATION = /^[1-9][0-9]*(ms|s|m|h)$/;

/** A Chaos Mesh experiment object and the file it goes to. */
export interface ChaosExperiment {
  /** The file, relative to the output root: `<opsRoot>/chaos/<env>/<name>.yaml`. */
  readonly path: string;
  /** The PodChaos or NetworkChaos, built with the typed bindings of imports/. */
  readonly manifest: { readonly apiVersion: string; readonly kind: string; readonly metadata: { readonly name: string; readonly labels: Record<string, string>; readonly annotations: Record<string, string> }; readonly [field: string]: unknown };
}

/**
 * One chaos scenario as a Chaos Mesh experiment of one environment. The stack writes it to
 * `<opsRoot>/chaos/<env>/<name>.yaml` (a ManifestFile, validated against its CRD at synth), never
 * to `dist/`: an experiment is applied on purpose, during a game day, not by `kubectl apply -f
 * dist/<env>` or GitOps. Its annotations name the runbook it rehearses and the steady state that
 * must hold (the SLO's error ratio within its budget). Throws naming the environment, scenario and
 * field when the scenario cannot be built.
 * @see https://chaos-mesh.org/docs/run-a-chaos-experiment/
 */
export function chaosExperiment(props: ChaosExperimentProps): ChaosExperiment {
  const { scenario, steadyState } = props;
  const fault = scenario.fault;
  const checks: { readonly bad: boolean; readonly message: string }[] = [
    { bad: !DURATION.test(scenario.duration), message: `duration must be a whole number of s, m or h such as 10m, got "${scenario.duration}"` },
    { bad: scenario.recoverWithin !== undefined && !DURATION.test(scenario.recoverWithin), message: `recoverWithin must be a duration such as 2m, got "${scenario.recoverWithin}"` },
    { bad: fault.kind === 'network-delay' && !DURATION.test(fault.latency), message: `fault.latency must be a duration such as 500ms, got "${fault.kind === 'network-delay' ? fault.latency : ''}"` },
    {
      bad: fault.kind === 'network-loss' && !(fault.percent > 0 && fault.percent <= 100),
      message: `fault.percent must be above 0 and at most 100, got ${fault.kind === 'network-loss' ? fault.percent : ''}`,
    },
    {
      bad: fault.kind !== 'pod-kill' && (props.externalTargets ?? []).length === 0,
      message: `a ${fault.kind} fault needs the addresses of "${fault.kind === 'pod-kill' ? '' : fault.to}" (externalTargets), got none`,
    },
  ];
  const problems = checks.filter((c) => c.bad).map((c) => `[${props.environment}/chaos/${scenario.name}] ${c.message}`);
  if (problems.length > 0) throw new Error(problems.join('\n'));

  const domain = props.annotationDomain;
  const metadata = {
    name: scenario.name,
    namespace: props.namespace,
    labels: { ...props.labels.withComponent({ name: scenario.name, component: 'chaos' }).all },
    annotations: {
      [`${domain}/runbook`]: props.runbookPath,
      [`${domain}/steady-state`]: steadyState.condition,
      [`${domain}/steady-state-slo`]: steadyState.slo,
      [`${domain}/steady-state-objective`]: num(steadyState.objective),
      ...(scenario.recoverWithin ? { [`${domain}/recover-within`]: scenario.recoverWithin } : {}),
    },
  };
  const selector = { namespaces: [props.namespace], labelSelectors: { ...props.target.labels.selector } };
  const manifest =
    fault.kind === 'pod-kill'
      ? PodChaos.manifest({
          metadata,
          spec: { action: PodChaosSpecAction.POD_HYPHEN_KILL, mode: PodChaosSpecMode.ONE, selector, duration: scenario.duration },
        })
      : NetworkChaos.manifest({
          metadata,
          spec: {
            mode: NetworkChaosSpecMode.ALL,
            selector,
            direction: NetworkChaosSpecDirection.TO,
            externalTargets: [...(props.externalTargets ?? [])],
            duration: scenario.duration,
            ...(fault.kind === 'network-delay'
              ? { action: NetworkChaosSpecAction.DELAY, delay: { latency: fault.latency } }
              : { action: NetworkChaosSpecAction.LOSS, loss: { loss: num(fault.percent) } }),
          },
        });
  return { path: chaosExperimentPath(props.opsRoot, props.environment, scenario.name), manifest: manifest as ChaosExperiment['manifest'] };
}
