import { Construct } from 'constructs';
import { chaosExperiment, chaosExperimentPath, scenarioSteadyState, type AppLabels, type ChaosExperiment, type ChaosScenario, type PlacedComponent } from '../../lib/index.ts';
import type { ObservabilityModel } from '../../observability/index.ts';
import { ManifestFile } from '../../render/index.ts';
import type { PlatformConfig } from './model/index.ts';
import { STEADY_STATE_WINDOW } from './chaos-scenarios.ts';
import { ANNOTATION_DOMAIN } from './observability/runbook-links.ts';

/** Props of {@link ChaosExperiments}. */
export interface ChaosExperimentsProps {
  readonly config: PlatformConfig;
  readonly labels: AppLabels;
  /** What each declared component built in the environment: the experiments target their pods. */
  readonly components: readonly PlacedComponent[];
  /** The observability model whose SLOs give the steady states and whose runbooks the game days rehearse. */
  readonly model: ObservabilityModel;
  readonly scenarios: readonly ChaosScenario[];
}

/**
 * The environment's chaos experiments, one file each under `ops/chaos/<env>/` (never in `dist/`,
 * so neither `kubectl apply -f dist/<env>` nor GitOps runs them). Each targets the pods of its
 * component by the selector labels the component's workload uses, and a network fault the
 * addresses of a CIDR set the component's declaration calls.
 */
export class ChaosExperiments extends Construct {
  public readonly experiments: readonly ChaosExperiment[];

  public constructor(scope: Construct, id: string, props: ChaosExperimentsProps) {
    super(scope, id);
    const { config, model } = props;
    const context = { slos: model.rules.slos, rulesName: model.rules.name, opsRoot: model.opsRoot, window: STEADY_STATE_WINDOW };
    this.experiments = props.scenarios.map((scenario) => {
      const where = `[${this.node.path}] ${scenario.name}`;
      const placed = props.components.find((p) => p.declaration.name === scenario.target);
      if (!placed) throw new Error(`${where}: target "${scenario.target}" is not a component running in ${config.name} (${props.components.map((p) => p.declaration.name).join(', ')})`);
      let externalTargets: readonly string[] | undefined;
      if (scenario.fault.kind !== 'pod-kill') {
        const to = scenario.fault.to;
        const calls = (placed.declaration.calls ?? []).flatMap((c) => ('cidrs' in c ? [c.cidrs] : []));
        if (!calls.includes(to)) throw new Error(`${where}: fault.to "${to}" is not a CIDR set ${scenario.target} calls (${calls.join(', ')})`);
        const list = (config.network as unknown as Record<string, unknown>)[to];
        if (!Array.isArray(list)) throw new Error(`${where}: fault.to "${to}" is not a CIDR set of the model's network`);
        externalTargets = list as string[];
      }
      const runbook = model.runbooks.find((r) => r.name === scenario.runbook);
      if (!runbook) throw new Error(`${where}: runbook "${scenario.runbook}" is not a runbook of the observability model`);
      const experiment = chaosExperiment({
        scenario,
        environment: config.name,
        opsRoot: model.opsRoot,
        namespace: config.namespace,
        target: placed.built.workload,
        labels: props.labels,
        steadyState: scenarioSteadyState(scenario, context),
        runbookPath: model.runbookPath(runbook.name),
        ...(externalTargets ? { externalTargets } : {}),
        annotationDomain: ANNOTATION_DOMAIN,
      });
      new ManifestFile(this, scenario.name, { path: experiment.path, objects: () => [experiment.manifest] });
      return experiment;
    });
    // The runbooks link back: each names the experiment in a game day section.
    this.node.addValidation({
      validate: () =>
        props.scenarios.flatMap((s) => {
          const file = chaosExperimentPath(model.opsRoot, '<env>', s.name);
          const linked = model.runbooks.find((r) => r.name === s.runbook)?.gameDays?.some((g) => g.experiment === file);
          return linked ? [] : [`${s.name}: runbook ${s.runbook} has no game day for ${file}`];
        }),
    });
  }
}
