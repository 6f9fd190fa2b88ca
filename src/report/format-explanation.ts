import { decisionText, layerPathText, type DirectionExplanation, type ExplainedCell, type Explanation, type RuleMatch } from '../model/index.js';

/** Renders explained cells as readable text: the verdict, then each direction's provenance. */
export function formatExplanations(cells: readonly ExplainedCell[]): string {
  return cells.map(formatCell).join('\n');
}

function formatCell(cell: ExplainedCell): string {
  const { key, explanation } = cell;
  const head = `${key.from} -> ${key.to} ${key.port}/${key.protocol}${key.request === undefined ? '' : ` [${key.request}]`}${key.family ? ` ${key.family}` : ''} (${key.target}) at step ${cell.step} "${cell.stepName}": ${explanation.verdict.toUpperCase()}`;
  return [head, ...formatExplanation(explanation, '  '), ''].join('\n');
}

function formatExplanation(e: Explanation, pad: string): string[] {
  const lines = [`${pad}${e.summary}`, ...direction('egress', e.egress, pad), ...direction('ingress', e.ingress, pad)];
  if (e.dns) lines.push(`${pad}DNS lookup first: ${e.dns.verdict}`, ...formatExplanation(e.dns, `${pad}  `));
  // After L3/L4 let the connection through: each L7 enforcement point the cell met, in order.
  for (const l of e.l7 ?? []) lines.push(`${pad}L7 ${l.layer}: ${l.decision.replace('-', ' ')} — ${l.reason}`);
  return lines;
}

function direction(name: string, d: DirectionExplanation, pad: string): string[] {
  const lines = directionLines(name, d, pad);
  // The path only says something when more than one layer could decide (NetworkPolicy alone: as always).
  if (d.layers && d.layers.length > 1) {
    lines.push(`${pad}  layers: ${layerPathText(d.layers)}`);
    const decided = decisionText(d.layers, d.verdict);
    if (decided) lines.push(`${pad}  decided by ${decided}`);
  }
  return lines;
}

function directionLines(name: string, d: DirectionExplanation, pad: string): string[] {
  if (!d.applies) return [`${pad}${name}: not applicable (not a pod)`];
  // Not isolated by a NetworkPolicy; a ClusterNetworkPolicy tier may still have decided (see the layers).
  if (!d.isolated) return [`${pad}${name}: not isolated (no policy selects the pod for ${name}) -> ${d.verdict}`];
  const head = `${pad}${name}: isolated by ${d.selectedBy.join(', ')} -> ${d.verdict}`;
  const rules = d.allowedBy.map((r) => `${pad}  allowed by ${ruleText(r)}`);
  return [head, ...(rules.length ? rules : [`${pad}  no ${name} rule of these policies allows this flow`])];
}

function ruleText(r: RuleMatch): string {
  const parts = [`${r.policy} ${r.direction}[${r.rule}]`];
  parts.push(r.peer === undefined ? 'any peer' : `peer ${r.peer}`);
  parts.push(r.port === undefined ? 'any port' : `port ${r.port}`);
  return parts.join(', ');
}
