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

/** The verdict of one direction (egress at the source, ingress at the destination), with provenance. */
export interface DirectionExplanation {
  /** False when the side is not a pod (external host): nothing to isolate. */
  readonly applies: boolean;
  /** True when at least one policy of this direction selects the pod. */
  readonly isolated: boolean;
  /** Policies whose podSelector selects the pod for this direction. */
  readonly selectedBy: readonly PolicyRef[];
  /** Every rule that allows the flow (empty when isolated and blocked). */
  readonly allowedBy: readonly RuleMatch[];
  readonly verdict: 'allowed' | 'blocked';
}

/** Why the engine decided a cell the way it did. */
export interface Explanation {
  readonly verdict: Connectivity;
  readonly egress: DirectionExplanation;
  readonly ingress: DirectionExplanation;
  /** For dns-name targets: the verdict of the DNS lookup that must succeed first. */
  readonly dns?: Explanation;
  /** One sentence a human can read in a terminal. */
  readonly summary: string;
}
