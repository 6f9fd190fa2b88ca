import { findingsPerPolicy, type LintRule } from '../lint-rule.js';
import { rulesOf } from '../policy-view.js';

/** Peers the API server rejects: one with no field at all, or an ipBlock next to a selector. */
export const badPeer: LintRule = {
  id: 'bad-peer',
  description: 'a peer the API server rejects: no podSelector, namespaceSelector or ipBlock (`from: [{}]`), or an ipBlock combined with a selector',
  severity: 'error',
  kinds: ['NetworkPolicy'],
  check(input) {
    return findingsPerPolicy(input, (source, report) => {
      for (const rule of rulesOf(source.value)) {
        for (const peer of rule.peers ?? []) {
          // null is absent for the API server (`- podSelector:` with nothing after it).
          const has = (key: string): boolean => peer.value[key] !== undefined && peer.value[key] !== null;
          if (!has('podSelector') && !has('namespaceSelector') && !has('ipBlock')) {
            const all = rule.direction === 'ingress' ? 'an empty `from` list, or no `from`,' : 'an empty `to` list, or no `to`,';
            report(peer.path, `a peer needs podSelector, namespaceSelector or ipBlock; to allow every peer write ${all} not an empty peer`);
          } else if (has('ipBlock') && (has('podSelector') || has('namespaceSelector'))) {
            report([...peer.path, 'ipBlock'], 'ipBlock cannot be combined with podSelector or namespaceSelector in one peer: make them two peers (`- ipBlock` and `- podSelector`)');
          }
        }
      }
    });
  },
};
