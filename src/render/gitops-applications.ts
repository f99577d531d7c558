import { App, Chart } from 'cdk8s';
import { ArgoCdApplication, controllerOwnedFields, STANDARD_LABEL_KEYS } from '../lib/index.ts';
import { renderApp, type RenderedEnvironment } from './render-app.ts';
import type { Stack } from './stack.ts';

/**
 * The app-of-apps folder: one Argo CD Application per environment of every stack, each deploying
 * that environment's folder of dist/. `kubectl apply -n argocd -f dist/argocd/` bootstraps them.
 */
export const APPLICATIONS_FOLDER = 'dist/argocd';

/** The name of the Application of a stack's environment, which also names its file. */
export function applicationName(stack: Pick<Stack<unknown>, 'name'>, env: string): string {
  return `${stack.name}-${env}`;
}

/** The file of that Application, relative to the output root. */
export function applicationFile(stack: Pick<Stack<unknown>, 'name'>, env: string): string {
  return `${APPLICATIONS_FOLDER}/${applicationName(stack, env)}.k8s.yaml`;
}

/**
 * The Argo CD Application of one rendered environment, validated like every manifest: the
 * folder, repository and switches from the model, the destination its Namespace (which the
 * environment must render: the Application never creates one), the standard labels of that
 * Namespace, and `ignoreDifferences` for what the environment's controllers own.
 */
export async function renderApplication<C>(stack: Stack<C>, env: string, config: C, rendered: RenderedEnvironment): Promise<RenderedEnvironment> {
  const { settings, namespace } = stack.gitOps(config);
  const objects = rendered.charts.flatMap((c) => c.objects);
  const ns = objects.find((o) => o.kind === 'Namespace' && o.metadata.name === namespace);
  if (!ns) {
    throw new Error(`[${rendered.environment}] gitops: the environment renders no Namespace "${namespace}", and its Application does not create one (CreateNamespace=false)`);
  }
  const labels = Object.fromEntries(STANDARD_LABEL_KEYS.filter((k) => ns.metadata.labels?.[k] !== undefined).map((k) => [k, ns.metadata.labels![k]!]));
  const app = new App();
  const chart = new Chart(app, applicationName(stack, env), { disableResourceNameHashes: true });
  new ArgoCdApplication(chart, 'Application', {
    name: applicationName(stack, env),
    labels: { ...labels, 'app.kubernetes.io/component': 'gitops' },
    settings,
    path: stack.distFolder(env),
    destinationNamespace: namespace,
    ignoreDifferences: controllerOwnedFields(objects),
  });
  return renderApp(app, rendered.environment, APPLICATIONS_FOLDER);
}
