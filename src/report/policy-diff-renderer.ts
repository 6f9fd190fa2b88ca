import type { FlowChange, PolicyDiff } from '../model/policy-diff.js';
import { escapeMarkdown } from './markdown-escape.js';

/** Counts of a diff: opened, closed, and opened flows a guard forbids. */
export function diffCounts(diff: PolicyDiff): { opened: number; closed: number; forbidden: number } {
  const opened = diff.changes.filter((c) => c.kind === 'opened').length;
  return { opened, closed: diff.changes.length - opened, forbidden: diff.changes.filter((c) => c.forbiddenBy.length > 0).length };
}

/** Plain-text diff for a terminal: opened then closed flows grouped by source, each with its cause. */
export function renderDiffTable(diff: PolicyDiff): string {
  const { opened, closed, forbidden } = diffCounts(diff);
  const lines = [`netseg diff ${diff.scenario}: ${diff.before} -> ${diff.after}: ${opened} opened, ${closed} closed${forbidden > 0 ? `, ${forbidden} forbidden by --deny-open` : ''}`];
  for (const kind of ['opened', 'closed'] as const) {
    const changes = diff.changes.filter((c) => c.kind === kind);
    if (changes.length === 0) continue;
    lines.push('', `${kind} (${changes.length}):`);
    for (const [from, group] of bySource(changes)) {
      lines.push(`  from ${from}`);
      for (const c of group) {
        lines.push(`    -> ${c.to} ${c.port}/${c.protocol}${c.family ? ` ${c.family}` : ''} [${c.targets.join(', ')}] ${c.before} -> ${c.after}${c.forbiddenBy.length > 0 ? `  FORBIDDEN by --deny-open ${c.forbiddenBy.join(', ')}` : ''}`);
        lines.push(`       ${c.cause}`);
      }
    }
  }
  if (diff.changes.length === 0) lines.push('', 'no cell changes verdict');
  return `${lines.join('\n')}\n`;
}

/** Markdown diff that fits a pull-request comment: a summary line and one table per direction of change. */
export function renderDiffMarkdown(diff: PolicyDiff): string {
  const { opened, closed, forbidden } = diffCounts(diff);
  const out = [`### netseg diff: ${opened} opened, ${closed} closed${forbidden > 0 ? `, **${forbidden} forbidden**` : ''}`, '', `\`${escapeMarkdown(diff.before)}\` → \`${escapeMarkdown(diff.after)}\` on \`${escapeMarkdown(diff.scenario)}\``];
  for (const kind of ['opened', 'closed'] as const) {
    const changes = diff.changes.filter((c) => c.kind === kind);
    if (changes.length === 0) continue;
    out.push('', `#### ${kind === 'opened' ? 'Opened' : 'Closed'} (${changes.length})`, '', '| from | to | port | targets | before → after | cause |', '|---|---|---|---|---|---|');
    for (const c of changes) {
      const flag = c.forbiddenBy.length > 0 ? ` **forbidden by ${escapeMarkdown(c.forbiddenBy.join(', '))}**` : '';
      out.push(`| ${escapeMarkdown(c.from)} | ${escapeMarkdown(c.to)} | ${c.port}/${c.protocol}${c.family ? ` ${c.family}` : ''} | ${c.targets.join(', ')} | ${c.before} → ${c.after}${flag} | ${escapeMarkdown(c.cause)} |`);
    }
  }
  if (diff.changes.length === 0) out.push('', 'No cell changes verdict.');
  return `${out.join('\n')}\n`;
}

function bySource(changes: readonly FlowChange[]): Map<string, FlowChange[]> {
  const out = new Map<string, FlowChange[]>();
  for (const c of changes) out.set(c.from, [...(out.get(c.from) ?? []), c]);
  return out;
}
