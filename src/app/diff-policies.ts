import { type CellKey, type PolicyObject, type Scenario, type Topology } from '../model/index.js';
import type { FlowChange, PolicyDiff } from '../model/policy-diff.js';
import { FamilyPolicies } from '../policy/index.js';
import { planCells } from '../probe/plan-cells.js';
import { matchesPeer, parsePatternText, replaySteps } from '../scenario/index.js';
import { InputError, type PeerPattern } from '../model/index.js';
import { selectStep } from './plan-records.js';

/** A `--deny-open "FROM->TO"` guard: opening any flow it matches fails the diff. */
export interface OpenGuard {
  readonly text: string;
  readonly from: PeerPattern;
  readonly to: PeerPattern;
}

/** Parses `FROM->TO` (peer patterns as in expectation rules: `x/*`, `*\/db`, `external:*`); bad text is an input error. */
export function parseOpenGuard(text: string): OpenGuard {
  const parts = text.split('->').map((s) => s.trim());
  const [from, to] = parts.map((p) => parsePatternText(p));
  if (parts.length !== 2 || !from || !to || 'error' in from || 'error' in to) {
    throw InputError.commandLine('--deny-open', `--deny-open "${text}": expected FROM->TO with peer patterns such as "*/*->shop/db" or "shop/*->external:*"`);
  }
  return { text, from, to };
}

/** Labels of the two policy sets being compared. */
export interface DiffSides {
  readonly before: { readonly label: string; readonly policies: readonly PolicyObject[] };
  readonly after: { readonly label: string; readonly policies: readonly PolicyObject[] };
}

/**
 * `netseg diff`: every cell of the scenario's matrix (on the topology of `--step`, else the declared
 * one) whose engine verdict differs between two policy sets, merged across target kinds of one flow.
 */
export function diffPolicies(scenario: Scenario, sides: DiffSides, guards: readonly OpenGuard[] = [], stepSelector?: string): PolicyDiff {
  const topology: Topology = stepSelector === undefined ? scenario.topology : replaySteps(scenario)[selectStep(scenario, stepSelector).index]!.topology;
  const cells = planCells(topology, scenario.probes);
  const before = new FamilyPolicies(topology, sides.before.policies);
  const after = new FamilyPolicies(topology, sides.after.policies);
  const byFlow = new Map<string, FlowChange>();
  for (const key of cells) {
    // A request cell's L3/L4 verdict is its connection's, which this diff already lists per flow.
    if (key.request !== undefined) continue;
    const was = before.verdict(key);
    const now = after.verdict(key);
    // Pod-to-itself cells are don't care everywhere else (datapaths differ on hairpin traffic).
    if (was === now || key.from === key.to) continue;
    const id = `${key.from} ${key.to} ${key.port}/${key.protocol} ${key.family ?? ''} ${was} ${now}`;
    const seen = byFlow.get(id);
    if (seen) {
      byFlow.set(id, { ...seen, targets: [...seen.targets, key.target] });
      continue;
    }
    byFlow.set(id, change(key, was, now, after.evaluate(key).summary, guards, topology));
  }
  const changes = [...byFlow.values()].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to) || a.port - b.port || a.protocol.localeCompare(b.protocol));
  return { scenario: scenario.file, before: sides.before.label, after: sides.after.label, changes };
}

function change(key: CellKey, before: FlowChange['before'], after: FlowChange['after'], cause: string, guards: readonly OpenGuard[], topology: Topology): FlowChange {
  const kind = after === 'allowed' ? 'opened' : 'closed';
  const forbiddenBy = kind === 'opened' ? guards.filter((g) => matchesPeer(g.from, key.from, topology) && matchesPeer(g.to, key.to, topology)).map((g) => g.text) : [];
  return { from: key.from, to: key.to, port: key.port, protocol: key.protocol, ...(key.family && { family: key.family }), targets: [key.target], before, after, kind, cause, forbiddenBy };
}

