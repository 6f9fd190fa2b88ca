import type { PolicyRef } from './network-policy.js';
import type { Connectivity } from './connectivity.js';

/** Where in a policy a flow matched: rule index, and which peer / port entry matched (undefined = the rule has none, so it matches all). */
export interface RuleMatch {
  readonly policy: PolicyRef;
  readonly direction: 'ingress' | 'egress';
  readonly rule: number;
  readonly peer?: number;
  readonly port?: number;
}

/**
 * What one layer (one policy kind's tier, e.g. NetworkPolicy) said about a direction: `accept` and
 * `deny` decide it, `pass` and `no-decision` hand it to the next layer, `not-consulted` marks the
 * layers after the one that decided; `ambiguous`: policies of equal priority disagree (see
 * `candidates`), the layer decides unless one candidate passes.
 */
export type LayerOutcome = 'accept' | 'deny' | 'pass' | 'no-decision' | 'not-consulted' | 'ambiguous';

/** One policy rule that matched a flow: the decision of a tiered layer, or one candidate of an ambiguous one. */
export interface LayerCandidate {
  readonly policy: PolicyRef;
  readonly outcome: 'accept' | 'deny' | 'pass';
  readonly priority?: number;
  /** Index of the rule in its direction's list. */
  readonly rule: number;
  readonly ruleName?: string;
}

/** A Calico Log rule a flow matched. */
export interface LoggedRule {
  readonly policy: PolicyRef;
  readonly rule: number;
}

/** One layer's part in a direction's verdict, in evaluation order. */
export interface LayerDecision {
  /** The layer's name, e.g. "NetworkPolicy". */
  readonly layer: string;
  readonly outcome: LayerOutcome;
  /** The policy and rule that accepted, denied or passed, when a rule did (an isolation default deny has none). */
  readonly policy?: PolicyRef;
  readonly rule?: number;
  /** For tiered layers (ClusterNetworkPolicy): the deciding policy's priority and the rule's name. */
  readonly priority?: number;
  readonly ruleName?: string;
  /** For Calico tiers: the deciding policy's order (absent: the policy has none, or no rule decided). */
  readonly order?: number;
  /** For Calico tiers: the Log rules the flow matched on its way, in order (they record, never decide). */
  readonly logged?: readonly LoggedRule[];
  /** For `ambiguous`: the disagreeing rules of equal priority, one per policy. */
  readonly candidates?: readonly LayerCandidate[];
  /** For `not-consulted`: the layer that decided first. */
  readonly decidedBy?: string;
}

/** The decision path as text, e.g. "Admin no decision -> NetworkPolicy accept (x/p rule 0) -> Baseline not consulted". */
export function layerPathText(layers: readonly LayerDecision[]): string {
  return layers.map(layerText).join(' -> ');
}

/**
 * Who decided a direction, for people: e.g. "Admin: tenant-isolation (priority 10) rule
 * deny-cross-tenant Deny → blocked; NetworkPolicy and Baseline not consulted". Undefined when no
 * layer decided (every layer passed or had no decision: the default allows).
 */
export function decisionText(layers: readonly LayerDecision[], verdict: 'allowed' | 'blocked' | 'ambiguous'): string | undefined {
  const decider = layers.findLast((d) => d.outcome === 'accept' || d.outcome === 'deny' || d.outcome === 'ambiguous');
  if (!decider) return undefined;
  const skipped = layers.filter((d) => d.outcome === 'not-consulted').map((d) => d.layer);
  const rest = skipped.length === 0 ? '' : `; ${skipped.length === 1 ? skipped[0] : `${skipped.slice(0, -1).join(', ')} and ${skipped[skipped.length - 1]}`} not consulted`;
  const by = decider.candidates
    ? `ambiguous between ${decider.candidates.map((c) => `${namedRule(c)} ${ACTION_WORD[c.outcome]}`).join(' and ')}`
    : decider.policy === undefined
      ? `${decider.outcome} (no rule of the selecting policies allows it)`
      : `${namedRule({ ...decider, policy: decider.policy })} ${actionWord(decider.layer, decider.outcome as 'accept' | 'deny')}`;
  return `${decider.layer}: ${by} → ${verdict}${rest}`;
}

/** A layer outcome in the words of the policy API (ClusterNetworkPolicy actions). */
const ACTION_WORD = { accept: 'Accept', deny: 'Deny', pass: 'Pass' } as const;

/** Calico's own word in a Calico tier (layer "Tier/<name>"): "Allow" where ClusterNetworkPolicy says "Accept". */
function actionWord(layer: string, outcome: 'accept' | 'deny'): string {
  return layer.startsWith('Tier/') && outcome === 'accept' ? 'Allow' : ACTION_WORD[outcome];
}

/** "tenant-isolation (priority 10) rule deny-all": a ClusterNetworkPolicy by name (it has no namespace), a NetworkPolicy by namespace/name. */
function namedRule(r: { readonly policy: PolicyRef; readonly priority?: number; readonly order?: number; readonly rule?: number; readonly ruleName?: string }): string {
  const name = r.policy.startsWith('ClusterNetworkPolicy/') ? r.policy.slice('ClusterNetworkPolicy/'.length) : r.policy;
  const priority = r.priority === undefined ? (r.order === undefined ? '' : ` (order ${r.order})`) : ` (priority ${r.priority})`;
  const rule = r.rule === undefined ? '' : ` rule ${r.ruleName ?? r.rule}`;
  return `${name}${priority}${rule}`;
}

function layerText(d: LayerDecision): string {
  const outcome = d.outcome.replace('-', ' ');
  const logged = d.logged?.length ? ` [logged by ${d.logged.map((l) => `${l.policy} rule ${l.rule}`).join(', ')}]` : '';
  if (d.candidates) return `${d.layer} ${outcome} (${d.candidates.map((c) => `${ruleRef(c)} ${c.outcome}`).join(' | ')})`;
  return d.policy === undefined ? `${d.layer} ${outcome}${logged}` : `${d.layer} ${outcome} (${ruleRef({ ...d, policy: d.policy })})${logged}`;
}

/** "x/p rule 0", or for a tiered policy "ClusterNetworkPolicy/t priority 10 rule deny-all" (the name when the rule has one), a Calico one "… order 500 rule 1". */
function ruleRef(r: { readonly policy: PolicyRef; readonly priority?: number; readonly order?: number; readonly rule?: number; readonly ruleName?: string }): string {
  const priority = r.priority === undefined ? '' : ` priority ${r.priority}`;
  const order = r.order === undefined ? '' : ` order ${r.order}`;
  const rule = r.rule === undefined ? '' : ` rule ${r.ruleName ?? r.rule}`;
  return `${r.policy}${priority}${order}${rule}`;
}

/** The verdict of one direction (egress at the source, ingress at the destination), with provenance. */
export interface DirectionExplanation {
  /** False when the side is not a pod (external host): nothing to isolate. */
  readonly applies: boolean;
  /** True when at least one policy of this direction selects the pod (in a consulted layer). */
  readonly isolated: boolean;
  /** Policies whose podSelector selects the pod for this direction. */
  readonly selectedBy: readonly PolicyRef[];
  /** Every rule that allows the flow (empty when isolated and blocked). */
  readonly allowedBy: readonly RuleMatch[];
  /** `ambiguous`: equal-priority policies disagree and the direction may go either way. */
  readonly verdict: 'allowed' | 'blocked' | 'ambiguous';
  /**
   * The layers in evaluation order, each with its outcome (the first accept or deny decides; none
   * deciding means allowed). Empty when the side is not a pod; absent in reports written before layers.
   */
  readonly layers?: readonly LayerDecision[];
}

/** Why the engine decided a cell the way it did. */
export interface Explanation {
  readonly verdict: Connectivity;
  readonly egress: DirectionExplanation;
  readonly ingress: DirectionExplanation;
  /** For dns-name targets: the verdict of the DNS lookup that must succeed first. */
  readonly dns?: Explanation;
  /**
   * The L7 enforcement points a cell passed through after L3/L4 let its connection through, in the
   * order a request meets them (source side first); absent when no L7 layer applies or L3/L4 blocked.
   */
  readonly l7?: readonly L7Explanation[];
  /** One sentence a human can read in a terminal. */
  readonly summary: string;
}

/** What one L7 enforcement point (Istio's sidecar, Cilium's HTTP or DNS proxy) decided for a cell. */
export interface L7Explanation {
  /** The enforcement point, e.g. "AuthorizationPolicy", "Cilium HTTP", "Cilium DNS". */
  readonly layer: string;
  /** `unsupported`: the layer cannot judge the cell (e.g. a CUSTOM provider, a JWT condition); the cell is unsupported. */
  readonly decision: 'allow' | 'deny' | 'no-decision' | 'unsupported';
  /** The policies behind the decision: the matching DENY/ALLOW policy, or the ALLOW policies none of which matched. */
  readonly policies: readonly PolicyRef[];
  /** One clause a human reads, e.g. "AuthorizationPolicy shop/shoes-writer allows POST only". */
  readonly reason: string;
}
