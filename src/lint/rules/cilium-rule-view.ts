import type { PolicySource } from '../lint-input.js';
import type { PathSegment } from '../path-text.js';

type Raw = Readonly<Record<string, unknown>>;

/** One entry of a section of a raw Cilium policy (any shape: lint reads documents the loader may reject), with its path. */
export interface CiliumEntryView {
  /** Path of the rule (`spec`, or `specs[i]`) the entry belongs to. */
  readonly rulePath: readonly PathSegment[];
  readonly section: 'ingress' | 'ingressDeny' | 'egress' | 'egressDeny';
  readonly path: readonly PathSegment[];
  readonly entry: Raw;
}

const isRecord = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every section entry of every rule of a raw CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy, in order (`spec` first, then `specs`). */
export function ciliumEntriesOf(source: PolicySource): CiliumEntryView[] {
  const out: CiliumEntryView[] = [];
  for (const { path, rule } of ciliumRulesOf(source)) {
    for (const section of ['ingress', 'ingressDeny', 'egress', 'egressDeny'] as const) {
      const entries = rule[section];
      if (Array.isArray(entries)) entries.forEach((entry, j) => isRecord(entry) && out.push({ rulePath: path, section, path: [...path, section, j], entry }));
    }
  }
  return out;
}

/** Every rule of a raw Cilium policy with its path (`spec` first, then `specs[i]`). */
export function ciliumRulesOf(source: PolicySource): { path: PathSegment[]; rule: Raw }[] {
  const rules: { path: PathSegment[]; rule: Raw }[] = [];
  if (isRecord(source.value.spec)) rules.push({ path: ['spec'], rule: source.value.spec });
  if (Array.isArray(source.value.specs)) source.value.specs.forEach((r, i) => isRecord(r) && rules.push({ path: ['specs', i], rule: r }));
  return rules;
}
