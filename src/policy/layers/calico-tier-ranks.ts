/** Ranks of the fixed points Calico tiers sort around: ClusterNetworkPolicy Admin, the default tier (where NetworkPolicy is), Baseline. */
const ANCHORS = [
  { name: 'kube-admin', order: 1000, rank: -10 },
  { name: 'default', order: 1_000_000, rank: 0 },
  { name: 'kube-baseline', order: 10_000_000, rank: 10 },
] as const;

/** Outside the anchors, ranks stay within these bounds. */
const LOWEST = -20;
const HIGHEST = 20;

/**
 * The layer rank of each Calico tier, so that layers sort as Calico sorts tiers (lower order first,
 * no order last, equal orders by name) around the ranks other kinds use: ClusterNetworkPolicy
 * Admin (rank −10) is Calico's `kube-admin` tier at order 1,000, Baseline (10) `kube-baseline` at
 * order 10,000,000, and the `default` tier (order 1,000,000) keeps NetworkPolicy's rank 0. Tiers
 * between two of those points get evenly spaced ranks strictly between their ranks (before Admin:
 * from −20, after Baseline: up to 20), so the map is monotone in (order, name) and never depends on
 * how close two orders are. The `default` tier must be among `tiers`.
 */
export function calicoTierRanks(tiers: readonly { readonly name: string; readonly order: number | undefined }[]): number[] {
  const key = (t: { readonly name: string; readonly order: number | undefined }): [number, string] => [t.order ?? Infinity, t.name];
  const before = (a: [number, string], b: [number, string]): boolean => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  const sorted = tiers.map((t, i) => ({ i, key: key(t) })).sort((a, b) => (before(a.key, b.key) ? -1 : before(b.key, a.key) ? 1 : 0));
  const ranks: number[] = new Array(tiers.length);
  // Segment s holds the tiers after anchor s-1 and before anchor s (the default tier is anchor 1 itself).
  const segments: number[][] = [[], [], [], []];
  for (const { i, key: k } of sorted) {
    if (tiers[i]!.name === 'default') {
      ranks[i] = 0;
      continue;
    }
    const s = ANCHORS.findIndex((a) => before(k, [a.order, a.name]));
    segments[s === -1 ? ANCHORS.length : s]!.push(i);
  }
  segments.forEach((members, s) => {
    const low = s === 0 ? LOWEST : ANCHORS[s - 1]!.rank;
    const high = s === ANCHORS.length ? HIGHEST : ANCHORS[s]!.rank;
    members.forEach((i, k) => (ranks[i] = low + ((high - low) * (k + 1)) / (members.length + 1)));
  });
  return ranks;
}
