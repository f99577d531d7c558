import type { App } from 'cdk8s';
import type { ModelDefinition } from '../config/index.ts';
import type { ComponentEnvironments, GitOpsSettings } from '../lib/index.ts';
import type { KubeObject } from './manifest-validator.ts';

/** Each environment's rendered objects by chart, by environment name. */
export type RenderedObjects = ReadonlyMap<string, ReadonlyMap<string, readonly KubeObject[]>>;

/**
 * A system the library deploys: its model, how one environment becomes a cdk8s App, where its
 * manifests go and which Helm charts it publishes. The synth renders every registered stack.
 */
export interface Stack<C> {
  /** Names the stack (`--stack`), and its output folders unless it is the primary one. */
  readonly name: string;
  readonly model: ModelDefinition<C>;
  /**
   * Folder of one environment's manifests, relative to the output root: the primary stack's are
   * `dist/<env>`, the others' `dist/<stack>/<env>`.
   */
  distFolder(env: string): string;
  /** One environment as a cdk8s App; its GeneratedFiles go under ops/ or charts-out/. */
  app(config: C): App;
  /**
   * How GitOps deploys one environment: the model's settings and the namespace the environment's
   * folder creates. The synth writes the environment's Argo CD Application from it (dist/argocd/).
   */
  gitOps(config: C): GitOpsTarget;
  /** The stack's Helm charts, by path relative to the output root (`charts-out/...`). @default - none */
  charts?(configs: readonly C[], rendered: RenderedObjects): Map<string, string>;
  /**
   * Every environment as its file states it, which outputs all environments share list (the
   * runbooks' commands): the synth loads it for the stacks it renders, before their first
   * environment, so a run never reads another stack's environment files. @default - none
   */
  readonly runbookEnvironments?: ComponentEnvironments;
}

/** What GitOps needs of one environment of a stack. */
export interface GitOpsTarget {
  readonly settings: GitOpsSettings;
  /** Namespace the environment's objects live in, which its folder creates. */
  readonly namespace: string;
}

/** How messages and listings name an environment of a stack: its manifests' folder below dist/. */
export function environmentLabel(stack: Pick<Stack<unknown>, 'distFolder'>, env: string): string {
  return stack.distFolder(env).replace(/^dist\//, '');
}
