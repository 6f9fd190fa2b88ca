import { matchesSelector, type LabelSelector, type LabelSelectorRequirement, type Labels } from '../model/index.js';

/** Label keys people choose to mean "what this workload is", most preferred first; pod-name-like keys come last. */
const PREFERRED_KEYS = ['app', 'app.kubernetes.io/name', 'role', 'tier', 'component', 'app.kubernetes.io/component', 'k8s-app', 'name'];
const LAST_KEYS = new Set(['pod', 'statefulset.kubernetes.io/pod-name', 'pod-template-hash', 'controller-revision-hash']);

/**
 * The simplest label selector matching every `include` label set and none of `exclude` (others are
 * don't care): `{}` when nothing is excluded, else one label, then two, then one key `In` a set of values, then every shared label, then
 * shared labels plus `DoesNotExist` on keys only excluded sets have. Undefined when labels cannot tell
 * them apart (an excluded set has every label an included one has).
 */
export function separatingSelector(include: readonly Labels[], exclude: readonly Labels[]): LabelSelector | undefined {
  if (include.length === 0) return undefined;
  if (exclude.length === 0) return {};
  const common = sharedLabels(include);
  const keys = rankKeys(Object.keys(common));
  const works = (sel: LabelSelector) => exclude.every((l) => !matchesSelector(sel, l));
  const pick = (ks: readonly string[]): LabelSelector => ({ matchLabels: Object.fromEntries(ks.map((k) => [k, common[k]!])) });
  for (const k of keys) if (works(pick([k]))) return pick([k]);
  for (let i = 0; i < keys.length; i++) for (let j = i + 1; j < keys.length; j++) if (works(pick([keys[i]!, keys[j]!]))) return pick([keys[i]!, keys[j]!]);
  // One key with a set of values ("pod In [a, b]"): the grid's pods share no label but `pod`.
  for (const k of rankKeys([...new Set(include.flatMap((l) => Object.keys(l)))])) {
    if (!include.every((l) => k in l)) continue;
    const sel: LabelSelector = { matchExpressions: [{ key: k, operator: 'In', values: [...new Set(include.map((l) => l[k]!))].sort() }] };
    if (works(sel)) return sel;
  }
  const all = keys.length > 0 ? pick(keys) : {};
  if (works(all)) return all;
  // Keys some excluded set has and no included one: `DoesNotExist` on them tells the rest apart.
  const absent = new Set(include.flatMap((l) => Object.keys(l)));
  const expressions: LabelSelectorRequirement[] = [];
  for (const l of exclude.filter((x) => matchesSelector(all, x))) {
    const key = rankKeys(Object.keys(l).filter((k) => !absent.has(k)))[0];
    if (key === undefined) return undefined;
    if (!expressions.some((e) => e.key === key)) expressions.push({ key, operator: 'DoesNotExist' });
  }
  const sel: LabelSelector = { ...all, matchExpressions: expressions };
  return works(sel) ? sel : undefined;
}

function sharedLabels(sets: readonly Labels[]): Record<string, string> {
  const [first, ...rest] = sets;
  return Object.fromEntries(Object.entries(first ?? {}).filter(([k, v]) => rest.every((l) => l[k] === v)));
}

function rankKeys(keys: readonly string[]): string[] {
  const rank = (k: string) => (PREFERRED_KEYS.includes(k) ? PREFERRED_KEYS.indexOf(k) : LAST_KEYS.has(k) ? 1000 : 100);
  return [...keys].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
