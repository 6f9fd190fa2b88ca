import type { CalicoEntityRule } from '../../model/index.js';
import { CALICO_KINDS, findingsPerCalicoPolicy } from '../calico-policy-view.js';
import type { LintRule } from '../lint-rule.js';

/**
 * `selector: all()` in a rule's source or destination: it matches the endpoints in scope (the
 * policy's namespace for a NetworkPolicy), never external hosts or other networks. Omitting the
 * selector matches every packet, which is what "everything" usually meant (_entityrule.mdx).
 */
export const calicoAllSelector: LintRule = {
  id: 'calico-all-selector',
  description: 'selector: all() in a Calico rule: it matches endpoints in scope only (not external hosts); omit the selector to match everything',
  severity: 'warning',
  kinds: CALICO_KINDS,
  check(input) {
    return findingsPerCalicoPolicy(input, (policy, report) => {
      for (const direction of ['ingress', 'egress'] as const) {
        policy.spec[direction].forEach((rule, i) => {
          for (const side of ['source', 'destination'] as const) {
            const entity: CalicoEntityRule | undefined = rule[side];
            // With a namespaceSelector, all() is the usual way to say "every endpoint of those namespaces".
            if (entity?.selector?.kind !== 'all' || entity.namespaceSelector) continue;
            const scope = policy.kind === 'CalicoNetworkPolicy' ? `the endpoints of namespace ${policy.metadata.namespace}` : 'cluster endpoints';
            report(['spec', direction, i, side, 'selector'], `selector: all() matches only ${scope}, never external hosts or other networks; to match every ${side}, leave the selector out`);
          }
        });
      }
    });
  },
};
