/**
 * Names of everything one run creates, all derived from the run id so `netseg cleanup` can find
 * leftovers by prefix: network namespaces `netseg-<runid>-node|p<N>|x<N>`, the nft table
 * `netseg_<runid>` (inside the node namespace only), node-side veth names `p<N>` / `x<N>`.
 */
export interface NetnsNames {
  readonly runId: string;
  /** Prefix shared by every network namespace of the run. */
  readonly prefix: string;
  readonly node: string;
  readonly table: string;
  pod(index: number): string;
  external(index: number): string;
}

/** Prefix shared by the network namespaces of every netseg run. */
export const NETNS_PREFIX = 'netseg-';

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;

/** True when a run id is safe to embed in netns, file and nft names. */
export function isValidRunId(runId: string): boolean {
  return RUN_ID.test(runId);
}

/** The names of a run; throws on a run id that is not [A-Za-z0-9_-]{1,40}. */
export function netnsNames(runId: string): NetnsNames {
  if (!isValidRunId(runId)) throw new Error(`netns: run id must match ${RUN_ID.source}: "${runId}"`);
  const prefix = `${NETNS_PREFIX}${runId}-`;
  return {
    runId,
    prefix,
    node: `${prefix}node`,
    table: `netseg_${runId.replace(/-/g, '_')}`,
    pod: (i) => `${prefix}p${i}`,
    external: (i) => `${prefix}x${i}`,
  };
}
