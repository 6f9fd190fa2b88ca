/**
 * Names of everything one run creates, all derived from the run id so `netseg cleanup` can find
 * leftovers by prefix: network namespaces `netseg-<runid>-node|hub|p<N>|x<N>`, the nft table
 * `netseg_<runid>` (inside the node namespace only), node-side veth names `p<N>` / `x<N>`. A run
 * with scenarios in parallel has one world per worker, `netseg-<runid>-w<K>-node|p<N>|x<N>`, so the
 * run's prefix still covers every world.
 */
export interface NetnsNames {
  readonly runId: string;
  /** The world of a parallel run (undefined: the run's only world). */
  readonly world?: number;
  /** Prefix shared by every network namespace of the run. */
  readonly prefix: string;
  /** Prefix shared by every network namespace of this world (the run's prefix when there is one world). */
  readonly worldPrefix: string;
  readonly node: string;
  /** The empty namespace the agent hubs run in (they make each pod's sockets in that pod's namespace). */
  readonly hub: string;
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

/** The names of a run (or of one world of it); throws on a run id that is not [A-Za-z0-9_-]{1,40}. */
export function netnsNames(runId: string, world?: number): NetnsNames {
  if (!isValidRunId(runId)) throw new Error(`netns: run id must match ${RUN_ID.source}: "${runId}"`);
  if (world !== undefined && !(Number.isInteger(world) && world >= 0 && world < 1000)) throw new Error(`netns: world must be an integer 0-999: ${world}`);
  const prefix = `${NETNS_PREFIX}${runId}-`;
  const worldPrefix = world === undefined ? prefix : `${prefix}w${world}-`;
  return {
    runId,
    ...(world === undefined ? {} : { world }),
    prefix,
    worldPrefix,
    node: `${worldPrefix}node`,
    hub: `${worldPrefix}hub`,
    table: `netseg_${runId.replace(/-/g, '_')}${world === undefined ? '' : `_w${world}`}`,
    pod: (i) => `${worldPrefix}p${i}`,
    external: (i) => `${worldPrefix}x${i}`,
  };
}

/** The directory (inside the run directory) of a world's sockets, ready files and logs. */
export function worldDirName(world?: number): string {
  return world === undefined ? 'netns' : `netns-w${world}`;
}
