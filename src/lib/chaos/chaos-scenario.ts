import { num, steadyState, type Duration, type GameDay, type Runbook, type SloDefinition, type SteadyState } from '../../observability/index.ts';

/** A Chaos Mesh duration: a whole number of seconds, minutes or hours, e.g. `10m`. */
export type ChaosDuration = `${number}${'s' | 'm' | 'h'}`;

/**
 * The fault a scenario injects. Network faults hit the traffic from the target's pods to a set of
 * addresses outside the cluster, named as the stack's model and the components' `calls` name it
 * (e.g. `rpcEndpointCidrs`).
 * @see https://chaos-mesh.org/docs/simulate-pod-chaos-on-kubernetes/
 * @see https://chaos-mesh.org/docs/simulate-network-chaos-on-kubernetes/
 */
export type ChaosFault =
  /** Kills one of the target's pods (PodChaos `pod-kill`, mode `one`). */
  | { readonly kind: 'pod-kill' }
  /** Delays every packet to `to` (NetworkChaos `delay`, direction `to`, on every target pod). */
  | { readonly kind: 'network-delay'; readonly latency: ChaosDuration | `${number}ms`; readonly to: string }
  /** Drops `percent` of the packets to `to` (NetworkChaos `loss`, direction `to`, on every target pod). */
  | { readonly kind: 'network-loss'; readonly percent: number; readonly to: string };

/**
 * A chaos experiment as a stack declares it once, for every environment: what it breaks, for how
 * long, what must hold meanwhile (an SLO of the observability model), and the runbook it rehearses.
 */
export interface ChaosScenario {
  /** Names the experiment object and its file: a DNS-1123 label. */
  readonly name: string;
  /** Title of its game day in the runbook. */
  readonly title: string;
  /** The component whose pods it targets, by name; the experiment selects them by its selector labels. */
  readonly target: string;
  readonly fault: ChaosFault;
  /** How long the fault lasts (for `pod-kill`: how long the experiment stays, the kill itself is instant). */
  readonly duration: ChaosDuration;
  /** The SLO whose steady state must hold, by name. */
  readonly slo: string;
  /** The runbook it rehearses, by name; that runbook gets a game day section linking back. */
  readonly runbook: string;
  /** The target's pods are Ready again within this time after the fault. @default - not checked */
  readonly recoverWithin?: ChaosDuration;
  /** Steps before applying the experiment (start the job it must hit, say). @default - none */
  readonly prepare?: readonly string[];
  /** What else must hold, beyond the steady state. @default - nothing else */
  readonly expect?: readonly string[];
}

/** Where a scenario's experiment is written for `env`, below the output root. */
export function chaosExperimentPath(opsRoot: string, env: string, name: string): string {
  return `${opsRoot}/chaos/${env}/${name}.yaml`;
}

/** The fault in words, for the runbook. */
function describe(fault: ChaosFault, target: string): string {
  switch (fault.kind) {
    case 'pod-kill':
      return `kills one \`${target}\` pod`;
    case 'network-delay':
      return `delays every packet from the \`${target}\` pods to \`${fault.to}\` by ${fault.latency}`;
    case 'network-loss':
      return `drops ${num(fault.percent)}% of the packets from the \`${target}\` pods to \`${fault.to}\``;
  }
}

/**
 * The game day of a scenario, for the runbook it rehearses: how to run it, what must hold (the
 * steady state of its SLO and the recovery bound), and how to abort it. The experiment's path
 * keeps `<env>`: the runbook serves every environment.
 */
export function chaosGameDay(scenario: ChaosScenario, opsRoot: string, steady: SteadyState): GameDay {
  const file = chaosExperimentPath(opsRoot, '<env>', scenario.name);
  return {
    title: scenario.title,
    experiment: file,
    run: [
      'Pick the environment: below, `<env>` is its folder name and `<namespace>` its namespace (the experiment\'s `metadata.namespace`). Check that the steady state below holds, and announce the game day in the on-call channel.',
      ...(scenario.prepare ?? []),
      `\`kubectl apply -f ${file}\` (Chaos Mesh 2.8 must run in the cluster). It ${describe(scenario.fault, scenario.target)}, for ${scenario.duration}.`,
      `Watch the steady state in Prometheus for the ${scenario.duration} and one ${steady.window} window after, then \`kubectl delete -f ${file}\`.`,
    ],
    mustHold: [
      `The ${steady.slo} SLO (objective ${num(steady.objective * 100)}%) holds: \`${steady.condition}\` returns a result throughout.`,
      ...(scenario.recoverWithin
        ? [`Every \`${scenario.target}\` pod is Ready again within ${scenario.recoverWithin} (\`kubectl get pods --namespace <namespace> --selector <the experiment's labelSelectors> --watch\`).`]
        : []),
      ...(scenario.expect ?? []),
      'No alert of this runbook pages; if one does, the game day found a gap: record it before closing.',
    ],
    abort: [
      `\`kubectl delete -f ${file}\`: Chaos Mesh removes the fault at once${scenario.fault.kind === 'pod-kill' ? ' (a killed pod is not brought back: its controller replaces it)' : ''}.`,
      `To hold it without deleting: \`kubectl annotate -f ${file} experiment.chaos-mesh.org/pause=true\`.`,
      'If the steady state breaks and does not recover after the abort, follow Mitigation above.',
    ],
  };
}

/** What {@link withGameDays} needs to know of the observability model the runbooks belong to. */
export interface GameDayContext {
  /** The model's SLOs, which the scenarios name. */
  readonly slos: readonly SloDefinition[];
  /** The model's name, which prefixes its SLO recording rules. */
  readonly rulesName: string;
  /** Folder of the stack's operational files, e.g. `ops`. */
  readonly opsRoot: string;
  /** The window of every steady state, e.g. `5m`. */
  readonly window: Duration;
}

/** The steady state a scenario must keep: its SLO's, over the context's window. Throws when the model has no such SLO. */
export function scenarioSteadyState(scenario: ChaosScenario, context: GameDayContext): SteadyState {
  const slo = context.slos.find((s) => s.name === scenario.slo);
  if (!slo) throw new Error(`chaos scenario ${scenario.name}: slo "${scenario.slo}" is not an SLO of the model (${context.slos.map((s) => s.name).join(', ')})`);
  return steadyState(slo, context.rulesName, context.window);
}

/**
 * The runbooks with a game day section for each scenario that rehearses them. Throws naming the
 * scenario when its runbook is not among them, so no experiment points at nothing.
 */
export function withGameDays(runbooks: readonly Runbook[], scenarios: readonly ChaosScenario[], context: GameDayContext): Runbook[] {
  const names = new Set(runbooks.map((r) => r.name));
  const orphans = scenarios.filter((s) => !names.has(s.runbook)).map((s) => `chaos scenario ${s.name}: runbook "${s.runbook}" is not a runbook of the model`);
  if (orphans.length > 0) throw new Error(orphans.join('\n'));
  return runbooks.map((r) => {
    const gameDays = scenarios.filter((s) => s.runbook === r.name).map((s) => chaosGameDay(s, context.opsRoot, scenarioSteadyState(s, context)));
    return gameDays.length > 0 ? { ...r, gameDays: [...(r.gameDays ?? []), ...gameDays] } : r;
  });
}
