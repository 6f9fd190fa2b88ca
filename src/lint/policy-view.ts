import type { PathSegment } from './path-text.js';

// Tolerant accessors over a raw (unvalidated) policy object: anything of the wrong shape is skipped,
// because shape errors are reported by their own rules and must not crash the others.

/** A plain YAML map. */
export type RawMap = Readonly<Record<string, unknown>>;

/** Something found in a policy, with its path relative to the policy. */
export interface Located<T> {
  readonly value: T;
  readonly path: readonly PathSegment[];
}

/** An ingress or egress rule with its peers and ports. */
export interface RuleView {
  readonly direction: 'ingress' | 'egress';
  readonly index: number;
  readonly path: readonly PathSegment[];
  readonly value: RawMap;
  /** Undefined when the rule has no `from`/`to` (matches every peer). */
  readonly peers: readonly Located<RawMap>[] | undefined;
  /** Undefined when the rule has no `ports` (matches every port). */
  readonly ports: readonly Located<RawMap>[] | undefined;
}

/** True for a YAML map (not a list, not null). */
export function isMap(value: unknown): value is RawMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The items of a YAML list, or none when the value is not a list. */
export function listOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The `spec` map of a policy, or an empty map. */
export function specOf(policy: RawMap): RawMap {
  return isMap(policy.spec) ? policy.spec : {};
}

/** The map entries of a list, with their paths (non-map items skipped). */
export function mapItems(value: unknown, path: readonly PathSegment[]): Located<RawMap>[] {
  if (!Array.isArray(value)) return [];
  const items: Located<RawMap>[] = [];
  value.forEach((item, i) => {
    if (isMap(item)) items.push({ value: item, path: [...path, i] });
  });
  return items;
}

/** Every ingress and egress rule of a policy. */
export function rulesOf(policy: RawMap): RuleView[] {
  const spec = specOf(policy);
  const rules: RuleView[] = [];
  for (const direction of ['ingress', 'egress'] as const) {
    const peerKey = direction === 'ingress' ? 'from' : 'to';
    for (const rule of mapItems(spec[direction], ['spec', direction])) {
      const index = rule.path[rule.path.length - 1] as number;
      rules.push({
        direction,
        index,
        path: rule.path,
        value: rule.value,
        peers: Array.isArray(rule.value[peerKey]) ? mapItems(rule.value[peerKey], [...rule.path, peerKey]) : undefined,
        ports: Array.isArray(rule.value.ports) ? mapItems(rule.value.ports, [...rule.path, 'ports']) : undefined,
      });
    }
  }
  return rules;
}

/** Every label selector of a policy: spec.podSelector and the selectors of every peer. */
export function selectorsOf(policy: RawMap): Located<RawMap>[] {
  const selectors: Located<RawMap>[] = [];
  const spec = specOf(policy);
  if (isMap(spec.podSelector)) selectors.push({ value: spec.podSelector, path: ['spec', 'podSelector'] });
  for (const rule of rulesOf(policy)) {
    for (const peer of rule.peers ?? []) {
      for (const key of ['namespaceSelector', 'podSelector'] as const) {
        const selector = peer.value[key];
        if (isMap(selector)) selectors.push({ value: selector, path: [...peer.path, key] });
      }
    }
  }
  return selectors;
}

/** Every ipBlock of a policy. */
export function ipBlocksOf(policy: RawMap): Located<RawMap>[] {
  const blocks: Located<RawMap>[] = [];
  for (const rule of rulesOf(policy)) {
    for (const peer of rule.peers ?? []) {
      if (isMap(peer.value.ipBlock)) blocks.push({ value: peer.value.ipBlock, path: [...peer.path, 'ipBlock'] });
    }
  }
  return blocks;
}

/** The policy's "namespace/name" as written, for messages ("?" for missing parts). */
export function nameOf(policy: RawMap): string | undefined {
  const metadata = isMap(policy.metadata) ? policy.metadata : {};
  return typeof metadata.name === 'string' ? metadata.name : undefined;
}

/** metadata.namespace when it is a string. */
export function declaredNamespaceOf(policy: RawMap): string | undefined {
  const metadata = isMap(policy.metadata) ? policy.metadata : {};
  return typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
}

/**
 * Whether the policy isolates egress, with the API server's defaulting: a non-empty policyTypes
 * decides; otherwise only a policy with at least one egress rule isolates egress.
 */
export function isolatesEgress(policy: RawMap): boolean {
  const spec = specOf(policy);
  if (Array.isArray(spec.policyTypes) && spec.policyTypes.length > 0) return spec.policyTypes.includes('Egress');
  return Array.isArray(spec.egress) && spec.egress.length > 0;
}
