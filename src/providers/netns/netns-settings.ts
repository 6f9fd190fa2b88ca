import type { DenyAction } from './nft-ruleset.js';

/** Settings of a netns environment (resolved from the provider options). */
export interface NetnsSettings {
  readonly enforce: boolean;
  readonly denyAction: DenyAction;
  readonly gateway?: string;
  readonly nodePath: string;
  readonly agentBundle: string;
  /** Bound on agent readiness; undefined = 10 s plus 100 ms per host (100 Node processes start slowly on 2 cores). */
  readonly readyTimeoutMs?: number;
  /** Agent hub processes serving the hosts; 0 = one process per host; undefined = one per core, at most one per 16 hosts. */
  readonly agentHubs?: number;
}
