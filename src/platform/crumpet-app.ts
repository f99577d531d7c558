import { App, Chart } from 'cdk8s';
import type { PlatformConfig } from '../config/index.ts';
import { AppLabels, RestrictedNamespace } from '../lib/index.ts';
import { PinOrchestrator } from './pin-orchestrator.ts';

/**
 * One environment of the Crumpet platform as a cdk8s App: one chart per component, each
 * rendered to its own file, plus the namespace chart that is applied first.
 */
export class CrumpetApp extends App {
  public readonly config: PlatformConfig;

  public constructor(config: PlatformConfig) {
    super();
    this.config = config;
    const labels = new AppLabels({
      name: 'crumpet',
      instance: config.instance,
      component: 'platform',
      partOf: 'crumpet',
      version: config.components.cinNode.image.tag,
    });
    const chart = (id: string, namespaced = true): Chart =>
      new Chart(this, id, { disableResourceNameHashes: true, ...(namespaced ? { namespace: config.namespace } : {}) });

    const namespace = chart('namespace', false);
    new RestrictedNamespace(namespace, 'Namespace', { name: config.namespace, labels });

    new PinOrchestrator(chart('pin-orchestrator'), 'PinOrchestrator', {
      config: config.components.pinOrchestrator,
      labels,
    });
  }
}
