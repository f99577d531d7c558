import { podSpecsOf, type KubeObject } from '../../src/analysis/kube-objects.ts';

/*
 * What the runbooks' commands name, checked against an environment's objects: every
 * `kubectl -n <namespace> ... <kind>/<name>` must name an object of that namespace, every
 * `-l` selector must select one (a pod selector: a workload's pod template), and a command in
 * the prose written for any environment (`<namespace>`) must name objects every environment has.
 */

/** A kubectl command of a runbook: its namespace (or the placeholder) and where it stood. */
export interface RunbookCommand {
  readonly line: string;
  /** The `-n`/`--namespace` value; undefined when the command names none. */
  readonly namespace?: string;
  /** From a shell block (copy-pasteable) or from the prose (inline code). */
  readonly source: 'block' | 'prose';
}

const SHORT_KINDS: Readonly<Record<string, string>> = {
  cm: 'configmap',
  cj: 'cronjob',
  deploy: 'deployment',
  sts: 'statefulset',
  svc: 'service',
  pvc: 'persistentvolumeclaim',
  sa: 'serviceaccount',
  netpol: 'networkpolicy',
};

/** `Deployment` for `deployment`, `deployments`, `deploy`. */
function kindMatches(kind: string, word: string): boolean {
  const k = kind.toLowerCase();
  const w = SHORT_KINDS[word] ?? word;
  return w === k || w === `${k}s` || w === `${k}es`;
}

/** Every kubectl command of a runbook: lines of ```sh blocks and inline code spans of the prose. */
export function runbookCommands(markdown: string): RunbookCommand[] {
  const commands: RunbookCommand[] = [];
  const blocks = [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)];
  for (const b of blocks) for (const line of b[1]!.split('\n').filter((l) => l.trim().startsWith('kubectl'))) commands.push(command(line.trim(), 'block'));
  const prose = markdown.replace(/```[\s\S]*?```/g, '');
  for (const m of prose.matchAll(/`(kubectl [^`]+)`/g)) commands.push(command(m[1]!, 'prose'));
  return commands;
}

function command(line: string, source: RunbookCommand['source']): RunbookCommand {
  const ns = /(?:^|\s)(?:-n|--namespace)[\s=](\S+)/.exec(line)?.[1];
  return { line, source, ...(ns ? { namespace: ns } : {}) };
}

/** The `<kind>/<name>` references of a command (`--from=cronjob/x` included; file paths not). */
export function namedObjects(line: string): { kind: string; name: string }[] {
  return line
    .split(/\s+/)
    .map((t) => t.replace(/^--[a-z-]+=/, ''))
    .filter((t) => /^[a-z]+\/[a-z0-9][a-z0-9.-]*$/.test(t))
    .map((t) => {
      const [kind, name] = t.split('/') as [string, string];
      return { kind, name };
    });
}

/**
 * Problems of one command against the objects of the namespace it names (`objects`): an object
 * it names that is not there, a selector selecting nothing. Empty when everything exists.
 */
export function commandProblems(c: RunbookCommand, namespace: string, objects: readonly KubeObject[]): string[] {
  const problems: string[] = [];
  const inNs = objects.filter((o) => (o.metadata?.namespace ?? namespace) === namespace);
  for (const { kind, name } of namedObjects(c.line)) {
    if (!inNs.some((o) => kindMatches(o.kind ?? '', kind) && o.metadata?.name === name)) problems.push(`"${c.line}": no ${kind}/${name} in namespace ${namespace}`);
  }
  const selector = /(?:^|\s)(?:-l|--selector)[\s=](\S+)/.exec(c.line)?.[1];
  if (selector) {
    const wanted = Object.fromEntries(selector.split(',').map((kv) => kv.split('=') as [string, string]));
    const matches = (labels: Readonly<Record<string, string>> | undefined): boolean => Object.entries(wanted).every(([k, v]) => labels?.[k] === v);
    const resources = /\bkubectl\s+(?:get|describe|delete)\s+([a-z,]+)/.exec(c.line)?.[1]?.split(',') ?? ['pods'];
    const pods = resources.some((r) => r === 'pods' || r === 'pod' || r === 'po') || /\bkubectl\s+logs\b/.test(c.line);
    const found = pods
      ? inNs.some((o) => podSpecsOf(o).some((t) => matches(t.labels)))
      : inNs.some((o) => resources.some((r) => kindMatches(o.kind ?? '', r)) && matches(o.metadata?.labels));
    if (!found) problems.push(`"${c.line}": selector ${selector} selects no ${pods ? 'pod' : resources.join(' or ')} in namespace ${namespace}`);
  }
  return problems;
}
