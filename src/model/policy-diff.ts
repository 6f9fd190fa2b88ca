import type { IpFamily } from './ip-family.js';
import type { Connectivity } from './connectivity.js';
import type { PeerRef } from './pod-ref.js';
import type { Protocol } from './protocol.js';
import type { TargetKind } from './target-kind.js';

/** One flow whose verdict a policy change flips, for every target kind that addresses it the same way. */
export interface FlowChange {
  readonly from: PeerRef;
  readonly to: PeerRef;
  readonly port: number;
  readonly protocol: Protocol;
  /** The IP family of the flow (dual-stack scenarios only). */
  readonly family?: IpFamily;
  readonly targets: readonly TargetKind[];
  readonly before: Connectivity;
  readonly after: Connectivity;
  /** opened: now allowed; closed: no longer allowed. */
  readonly kind: 'opened' | 'closed';
  /** Why the new policies decide it so (the engine's summary, naming the rules). */
  readonly cause: string;
  /** The `--deny-open` guards this opened flow breaks. */
  readonly forbiddenBy: readonly string[];
}

/** What changing the policies from `before` to `after` opens and closes on a scenario's topology. */
export interface PolicyDiff {
  readonly scenario: string;
  readonly before: string;
  readonly after: string;
  /** Sorted by source namespace and pod, then destination, then port. */
  readonly changes: readonly FlowChange[];
}
