import { findingsPerPolicy, type LintRule } from '../lint-rule.js';
import { rulesOf, type RawMap } from '../policy-view.js';

/** Adjacent peers `- namespaceSelector` / `- podSelector`: ORed, where one peer with both (AND) was likely meant. */
export const peerAndVsOr: LintRule = {
  id: 'peer-and-vs-or',
  description: 'separate namespaceSelector and podSelector peers (OR) where one peer with both (AND) was likely meant',
  severity: 'warning',
  kinds: ['NetworkPolicy'],
  check(input) {
    return findingsPerPolicy(input, (source, report) => {
      for (const rule of rulesOf(source.value)) {
        const peers = rule.peers ?? [];
        const field = rule.direction === 'ingress' ? 'from' : 'to';
        for (let i = 1; i < peers.length; i++) {
          const first = peers[i - 1];
          const second = peers[i];
          if (!first || !second) continue;
          const a = onlySelector(first.value);
          const b = onlySelector(second.value);
          if (!a || !b || a === b) continue;
          const ns = a === 'namespaceSelector' ? i - 1 : i;
          const pod = a === 'podSelector' ? i - 1 : i;
          report(
            second.path,
            `${field}[${ns}] (namespaceSelector) and ${field}[${pod}] (podSelector) are separate peers, so they are ORed: ` +
              `every pod of the selected namespaces, OR the selected pods of the policy's own namespace. ` +
              `To require both, write one peer with both selectors (drop the "-" before \`${b}\`)`,
          );
        }
      }
    });
  },
};

/** The single selector a peer has, when it has exactly one selector and no ipBlock. */
function onlySelector(peer: RawMap): 'namespaceSelector' | 'podSelector' | undefined {
  const keys = Object.keys(peer).filter((k) => peer[k] !== undefined);
  if (keys.length !== 1) return undefined;
  const key = keys[0];
  return key === 'namespaceSelector' || key === 'podSelector' ? key : undefined;
}
