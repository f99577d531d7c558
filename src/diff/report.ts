import { formatFieldChange } from './field-diff.ts';
import { thresholdMove, type Risk } from './risk.ts';
import type { UnitChange } from './unit-change.ts';

/** What a diff found: the unit changes, sorted, and the risks computed from them. */
export interface DiffReport {
  /** The base ref compared with, as the user named it. */
  readonly base: string;
  readonly changes: readonly UnitChange[];
  readonly risks: readonly Risk[];
}

function groups(changes: readonly UnitChange[]): Map<string, UnitChange[]> {
  const out = new Map<string, UnitChange[]>();
  for (const c of changes) out.set(c.group, [...(out.get(c.group) ?? []), c]);
  return out;
}

/** The lines shown under a change: its fields, a rule's threshold move, or a file's line count. */
function detailLines(c: UnitChange): string[] {
  const lines = c.fields.map(formatFieldChange);
  if (c.kind === 'alert' && c.change === 'changed') {
    const moved = thresholdMove((c.before as { expr?: unknown }).expr, (c.after as { expr?: unknown }).expr);
    if (moved) lines.push(`threshold ${moved.move}: ${moved.from} → ${moved.to}`);
  }
  if (c.summary !== undefined) lines.push(c.summary);
  return lines;
}

function counts(changes: readonly UnitChange[]): string {
  const n = (kind: UnitChange['change']) => changes.filter((c) => c.change === kind).length;
  return `${n('added')} added, ${n('removed')} removed, ${n('changed')} changed`;
}

/** The report as plain text for a terminal. */
export function formatText(report: DiffReport): string {
  if (report.changes.length === 0) return `diff: no differences from ${report.base}\n`;
  const lines = [`diff against ${report.base}: ${counts(report.changes)}`, ''];
  if (report.risks.length > 0) {
    lines.push('Risks:');
    for (const r of report.risks) lines.push(`  ! ${r.rule}: ${r.group} ${r.unit}: ${r.detail}`);
    lines.push('');
  }
  for (const [group, changes] of groups(report.changes)) {
    lines.push(`${group}:`);
    for (const c of changes) {
      lines.push(`  ${c.change.padEnd(7)} ${c.unit}`);
      for (const d of detailLines(c)) lines.push(`            ${d}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** Escapes text for a Markdown table cell or inline code. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/`/g, "'");
}

/** More risks of one rule in one folder than this are folded into one collapsible item. */
const FOLD_AFTER = 5;

function riskLines(risks: readonly Risk[]): string[] {
  const lines: string[] = [];
  const byRule = new Map<string, Risk[]>();
  for (const r of risks) byRule.set(`${r.rule}\0${r.group}`, [...(byRule.get(`${r.rule}\0${r.group}`) ?? []), r]);
  for (const same of byRule.values()) {
    const { rule, group } = same[0]!;
    if (same.length <= FOLD_AFTER) {
      for (const r of same) lines.push(`- **${cell(rule)}**: \`${cell(group)}\` \`${cell(r.unit)}\`: ${cell(r.detail)}`);
      continue;
    }
    lines.push(`- **${cell(rule)}**: ${same.length} in \`${cell(group)}\``, '  <details><summary>Each</summary>', '', '  ```');
    for (const r of same) lines.push(`  ${r.unit}: ${r.detail}`);
    lines.push('  ```', '', '  </details>');
  }
  return lines;
}

/**
 * The report as a PR comment: risks first (more than five of one rule in one folder folded into
 * a collapsible list), then one table per folder with field changes collapsed, and the network
 * flows opened and closed in a collapsible list of their own.
 */
export function formatMarkdown(report: DiffReport): string {
  const lines = [`## Synth diff against \`${cell(report.base)}\``, ''];
  if (report.changes.length === 0) return [...lines, 'No differences.', ''].join('\n');
  lines.push(`${counts(report.changes)}.`, '', '### Risks', '');
  if (report.risks.length === 0) lines.push('None found.');
  lines.push(...riskLines(report.risks), '');
  for (const [group, all] of groups(report.changes)) {
    const flows = all.filter((c) => c.kind === 'flow');
    const changes = all.filter((c) => c.kind !== 'flow');
    lines.push(`### \`${cell(group)}\``, '');
    if (changes.length > 0) {
      lines.push('| Unit | Change |', '| --- | --- |');
      for (const c of changes) lines.push(`| \`${cell(c.unit)}\` | ${c.change}${c.summary !== undefined ? ` (${cell(c.summary)})` : ''} |`);
    }
    const detailed = changes.filter((c) => c.fields.length > 0);
    if (detailed.length > 0) {
      lines.push('', '<details><summary>Field changes</summary>', '', '```');
      for (const c of detailed) {
        lines.push(c.unit);
        for (const d of detailLines(c)) lines.push(`  ${d}`);
      }
      lines.push('```', '', '</details>');
    }
    if (flows.length > 0) {
      const n = (change: UnitChange['change']) => flows.filter((f) => f.change === change).length;
      lines.push('', `<details><summary>Network flows: ${n('added')} opened, ${n('removed')} closed</summary>`, '', '```');
      for (const f of flows) lines.push(`${f.change === 'added' ? '+' : '-'} ${f.unit}`);
      lines.push('```', '', '</details>');
    }
    lines.push('');
  }
  return lines.join('\n');
}
