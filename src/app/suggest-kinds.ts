/** The policy kinds `netseg suggest` writes (NetworkPolicy, the default, first). */
export const SUGGEST_KINDS = ['NetworkPolicy', 'ClusterNetworkPolicy'] as const;

/** A policy kind `netseg suggest` writes. */
export type SuggestKind = (typeof SUGGEST_KINDS)[number];
